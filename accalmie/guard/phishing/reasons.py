"""Building the analyser's reasons: one template (an English msgid), a stable code, a weight.

A reason's ``weight`` is how likely the sign alone is to mean an attack; the score combines
them (see :mod:`accalmie.guard.phishing.score`).
"""

from __future__ import annotations

from accalmie.i18n import N_
from accalmie.triage.decision import Reason

__all__ = ["N_", "reason", "add"]


def reason(template: str, code: str, weight: float, **params: object) -> Reason:
    return Reason(template, dict(params), code, weight)


def add(out: dict[str, Reason], key: str, template: str, weight: float, *, code: str = "",
        **params: object) -> None:
    """Record a reason under ``key`` unless one is there already (the first one found wins)."""
    if key not in out:
        out[key] = Reason(template, dict(params), code or key, weight)
