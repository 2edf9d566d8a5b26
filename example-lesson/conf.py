# The example lesson: every feature of sphinx-refinery in a small, real lesson.
project = "Example lesson: tidy research code"
author = "sphinx-refinery contributors"
copyright = "2026, sphinx-refinery contributors"
version = "1.0"

extensions = ["sphinx_refinery"]

refinery_number_exercises = "episode"
refinery_metadata = {
    "license": "CC-BY-4.0",
    "created": "2026-11-25",
    "keywords": ["naming", "testing", "licensing"],
    "audience": "researchers who write code",
    "prerequisites": ["Running a Python script from a terminal"],
}
refinery_box_kinds = {
    "signature": {"title": "Signature", "collapsible": "open", "icon": "law"},
}

exclude_patterns = ["_build", "README.md"]
html_title = project
