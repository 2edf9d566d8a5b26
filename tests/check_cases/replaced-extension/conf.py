# A lesson that still lists what sphinx-refinery replaces
extensions = [
    "sphinx_refinery",
    "sphinx_togglebutton",
]
sphinx_lesson_transform_html_img = False
togglebutton_hint = "Show"
