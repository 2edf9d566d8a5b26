# Configuration file for a sphinx-lesson lesson.
import os

project = "A lesson"

extensions = [
    # githubpages just adds a .nojekyll file
    "sphinx.ext.githubpages",
    "sphinx_refinery",
    # the exercise list
    "myst_nb",
    "sphinx.ext.mathjax",
    #'myst_parser',
]

# Sphinx-lesson config:
# sphinx-refinery migrate: no equivalent, kept for reference: sphinx_lesson_transform_html_img = False
# sphinx-refinery migrate: no equivalent, kept for reference: sphinx_lesson_extra = {
#     "a": 1,
# }  # kept as it was

if os.environ.get("X"):
    sphinx_lesson_inner = True

# sphinx-refinery migrate: no equivalent, kept for reference: togglebutton_hint = "Show"
nb_execution_mode = "off"
copybutton_exclude = ".linenos, .gp"
