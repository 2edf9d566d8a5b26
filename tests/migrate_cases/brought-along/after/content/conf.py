import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "Brought along"

extensions = [
    "sphinx_refinery",
    # sphinx-lesson installed these three:
    "sphinx_rtd_theme_ext_color_contrast",
    # fails on Sphinx 9
    "hoverxref.extension",
    # the lesson's own lesson-metadata directive
]

html_theme = "sphinx_rtd_theme"
