# A lesson not migrated yet: sphinx-lesson is not installed, sphinx-refinery stands in.
extensions = [
    "sphinx_lesson",
]
