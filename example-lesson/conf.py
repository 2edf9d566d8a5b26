# The example lesson: every feature of sphinx-refinery in a small, real lesson.
project = "Example lesson: tidy research code"
author = "sphinx-refinery contributors"
copyright = "2026, sphinx-refinery contributors"
version = "1.0"

extensions = ["sphinx_refinery"]

refinery_number_exercises = "episode"
refinery_box_kinds = {
    "signature": {"title": "Signature", "collapsible": "open"},
}

exclude_patterns = ["_build", "README.md"]
html_title = project
