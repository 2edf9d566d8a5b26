"""Translations of every user-visible string, one gettext catalog per language.

May import: nothing.
"""

from pathlib import Path

from sphinx.locale import get_translation

CATALOG = "sphinx_refinery"
LOCALE_DIR = Path(__file__).parent

_ = get_translation(CATALOG)
