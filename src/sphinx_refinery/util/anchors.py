"""Anchors for labels: docutils' ids, and a stable one for a label with no ASCII letter."""

from __future__ import annotations

import hashlib

from docutils.nodes import make_id


def label_anchor(label: str) -> str:
    """The anchor of a box with this label: ``make_id(label)``; for a label docutils makes
    nothing of (``データ``), ``box-`` and a hash of the label, which stays the same when a
    box is added above it (``box``, ``box-1``... moved)."""
    return make_id(label) or "box-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:12]
