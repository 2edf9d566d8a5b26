import sphinx_lesson

version = sphinx_lesson.__version__
