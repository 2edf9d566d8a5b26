extensions = ['sphinx_lesson']
