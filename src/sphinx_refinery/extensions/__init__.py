"""The other extensions a lesson meets: MyST or myst-nb, sphinx-design, the sphinx-tabs
syntax, sphinx-lesson's extensions, and the scan of the sources that decides.

May import: util, locale.
"""
