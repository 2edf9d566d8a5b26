extensions = ['sphinx_refinery']
