# The project's own documentation: not a lesson, so sphinx_tabs stays.
extensions = ["sphinx_tabs.tabs", "myst_parser"]
