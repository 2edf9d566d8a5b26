"""The ``sphinx-refinery`` command line, a module per command. A command loads Sphinx and the
build only inside its ``run``, so that ``--help`` stays quick.

May import: every part.
"""
