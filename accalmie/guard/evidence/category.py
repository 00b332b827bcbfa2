"""What a message is, in the pack: its lane, its flags, its hostility grade, and why.

The stored decision (lane, flags, reasons) says what Accalmie decided when the message arrived.
When the hostility detector is installed it is asked again on the message's new text, for the
grade (incivility, insult, threat) and for the passages to highlight; it is optional, and any
failure of it leaves the stored decision alone rather than losing the pack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from accalmie.i18n import N_, gettext_for
from accalmie.store import StoredMessage
from accalmie.triage.decision import Flag, Reason, flag_label, lane_label

log = logging.getLogger("accalmie.guard.evidence")

MAX_TEXT = 20_000  # characters of new text given to the detector
GRADE_LABELS = {
    "incivility": N_("incivility"),
    "insult": N_("insult"),
    "threat": N_("threat"),
    "hate": N_("hate"),
}
_GRADE_ALIASES = {"incivilite": "incivility", "incivilité": "incivility", "incivil": "incivility",
                  "insulte": "insult", "insults": "insult", "menace": "threat",
                  "threats": "threat", "intimidation": "threat"}
_NO_GRADE = {"", "none", "no", "ok", "neutral", "clean", "0", "false"}


@dataclass(frozen=True, slots=True)
class Hostile:
    """The detector's verdict, normalised: grade code, score, (start, end) spans, reasons."""

    grade: str
    score: float | None
    spans: tuple[tuple[int, int], ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Category:
    lane: str
    lane_label: str
    flags: tuple[str, ...]
    flag_labels: tuple[str, ...]
    grade: str  # "" when no hostility grade is known
    grade_label: str
    score: float | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"lane": self.lane, "lane_label": self.lane_label, "flags": list(self.flags),
                "flag_labels": list(self.flag_labels), "hostility": self.grade or None,
                "hostility_label": self.grade_label or None, "hostility_score": self.score,
                "reasons": list(self.reasons)}


def _grade_code(grade: Any) -> str:
    value = getattr(grade, "value", grade)
    if value is None or isinstance(value, bool):
        return ""
    text = str(getattr(grade, "name", "") if isinstance(value, int) else value).strip().lower()
    text = _GRADE_ALIASES.get(text, text)
    return "" if text in _NO_GRADE else text


def _span(item: Any, size: int) -> tuple[int, int] | None:
    try:
        if isinstance(item, tuple | list):
            start, end = int(item[0]), int(item[1])
        else:
            start, end = int(item.start), int(item.end)
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    start, end = max(0, start), min(size, end)
    return (start, end) if start < end else None


def _render(reason: Any, lang: str) -> str:
    if isinstance(reason, Reason):
        return reason.render(lang)
    render = getattr(reason, "render", None)
    if callable(render):
        try:
            return str(render(lang))
        except Exception:  # noqa: BLE001 - a reason that cannot render is left out
            return ""
    return str(reason) if isinstance(reason, str) else ""


def assess(text: str, lang: str, message_lang: str) -> Hostile | None:
    """The hostility detector's verdict on ``text``, or None without a detector."""
    try:
        from accalmie.guard.hostility import assess_hostility  # type: ignore[attr-defined]
    except ImportError:
        return None
    text = text[:MAX_TEXT]
    try:
        verdict = assess_hostility(text, message_lang or lang)
    except Exception:  # noqa: BLE001 - the pack must not depend on an optional detector
        log.warning("hostility detector failed; the stored decision is used", exc_info=True)
        return None
    grade = _grade_code(getattr(verdict, "grade", None))
    score = getattr(verdict, "score", None)
    spans = [s for s in (_span(i, len(text)) for i in getattr(verdict, "spans", ()) or ()) if s]
    reasons = [r for r in (_render(x, lang) for x in getattr(verdict, "reasons", ()) or ()) if r]
    return Hostile(grade, float(score) if isinstance(score, int | float) else None,
                   tuple(sorted(spans)), tuple(reasons[:3]))


def categorise(row: StoredMessage, hostile: Hostile | None, lang: str) -> Category:
    decision = row.decision
    flags = tuple(sorted(f.value for f in decision.flags))
    reasons = [r for r in decision.explain(lang)[:3] if r]
    grade = hostile.grade if hostile else ""
    if hostile:
        reasons.extend(r for r in hostile.reasons if r not in reasons)
    if not grade and Flag.AGGRESSIVE in decision.flags:
        grade_label = ""  # the flag "aggressive" says it; no grade is known
    else:
        grade_label = gettext_for(lang, GRADE_LABELS[grade]) if grade in GRADE_LABELS else grade
    return Category(
        lane=decision.lane.value, lane_label=lane_label(decision.lane, lang), flags=flags,
        flag_labels=tuple(flag_label(f, lang) for f in flags), grade=grade,
        grade_label=grade_label, score=hostile.score if hostile and grade else None,
        reasons=tuple(reasons))
