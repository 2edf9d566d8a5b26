"""Small helpers with no lesson knowledge: cache files written whole, JSON for HTML,
generic tables, errors in one line.

May import: nothing.
"""
