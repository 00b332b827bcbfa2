"""Hostile-message warnings (capability 8): threats, insults and incivility, French and English.

``assess_hostility(text, lang)`` grades the new text of a message and says where and why.
"""

from __future__ import annotations

from accalmie.guard.hostility.detector import (
    GRADES,
    THRESHOLD,
    Hostility,
    Span,
    assess_hostility,
)

__all__ = ["GRADES", "THRESHOLD", "Hostility", "Span", "assess_hostility"]
