# Configuration file for a sphinx-lesson lesson.
import os

project = "A lesson"

extensions = [
    # githubpages just adds a .nojekyll file
    "sphinx.ext.githubpages",
    "sphinx_lesson",
    "sphinx_lesson.exerciselist",  # the exercise list
    'sphinx_tabs.tabs',
    "myst_nb",
    "sphinx_togglebutton", "sphinx_copybutton", "sphinx.ext.mathjax",
    #'myst_parser',
]
extensions.append("sphinx_design")
extensions += ["sphinx_lesson.directives"]

# Sphinx-lesson config:
sphinx_lesson_transform_html_img = False
sphinx_lesson_extra = {
    "a": 1,
}  # kept as it was

if os.environ.get("X"):
    sphinx_lesson_inner = True

togglebutton_hint = "Show"
nb_execution_mode = "off"
copybutton_exclude = ".linenos, .gp"
