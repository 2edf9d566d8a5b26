# The sphinx-refinery documentation, built with sphinx-refinery itself.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-refinery"
author = "sphinx-refinery contributors"
copyright = "2026, sphinx-refinery contributors"

extensions = ["sphinx_refinery", "settings_table", "gallery"]
refinery_number_exercises = "episode"

exclude_patterns = ["_build", "_ext", "gallery"]
html_title = project
myst_heading_anchors = 3
