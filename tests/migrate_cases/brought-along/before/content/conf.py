import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "Brought along"

extensions = [
    "sphinx_lesson",
    # sphinx-lesson installed these three:
    "sphinx_rtd_theme_ext_color_contrast",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    # fails on Sphinx 9
    "hoverxref.extension",
    # the lesson's own lesson-metadata directive
    "lesson_metadata",
]

html_theme = "sphinx_rtd_theme"
