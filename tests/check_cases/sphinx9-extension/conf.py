# Lesson on Sphinx 9
extensions = [
    "sphinx_refinery",
    "hoverxref.extension",
]
