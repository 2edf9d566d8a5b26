extensions = ["sphinx_refinery"]
