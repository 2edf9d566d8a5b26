extensions = ["sphinx_lesson"]
