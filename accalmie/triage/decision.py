"""What triage decides about one message, and why.

Reasons are first-class: each is a template in English (marked for translation) with named
parameters, so the same decision can be shown in French or English, stored, and explained in
the dashboard. A decision's ``source`` says which authority settled the lane, in the order
rules > safety > learned > heuristics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accalmie.i18n import N_, gettext_for


class Lane(StrEnum):
    PRIORITY = "priority"  # Prioritaire: a person expects something from you
    INFO = "info"  # Pour info: copy, broadcasts, no request
    BULK = "bulk"  # Infolettres & notifications
    SUSPECT = "suspect"  # phishing or malware risk: quarantined, never deleted


class Flag(StrEnum):
    REPLY_EXPECTED = "reply_expected"  # réponse attendue
    AGGRESSIVE = "aggressive"  # agressif
    AFTER_HOURS = "after_hours"  # hors horaires


class Source(StrEnum):
    RULE = "rule"
    SAFETY = "safety"
    LEARNED = "learned"
    HEURISTIC = "heuristic"


LANE_LABELS = {
    Lane.PRIORITY: N_("Priority"),
    Lane.INFO: N_("For information"),
    Lane.BULK: N_("Newsletters & notifications"),
    Lane.SUSPECT: N_("Suspect"),
}

FLAG_LABELS = {
    Flag.REPLY_EXPECTED: N_("reply expected"),
    Flag.AGGRESSIVE: N_("aggressive"),
    Flag.AFTER_HOURS: N_("after hours"),
}

SOURCE_LABELS = {
    Source.RULE: N_("your rule"),
    Source.SAFETY: N_("safety check"),
    Source.LEARNED: N_("learned from you"),
    Source.HEURISTIC: N_("built-in heuristics"),
}


def lane_label(lane: Lane | str, lang: str | None = None) -> str:
    return gettext_for(lang, LANE_LABELS[Lane(lane)])


def flag_label(flag: Flag | str, lang: str | None = None) -> str:
    return gettext_for(lang, FLAG_LABELS[Flag(flag)])


@dataclass(frozen=True, slots=True)
class Reason:
    """One plain-words reason: ``template`` is an English msgid with ``{name}`` fields."""

    template: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    code: str = ""  # stable machine name, e.g. "list_id"
    weight: float = 0.0  # how much it pushed (for ordering the explanation)

    def render(self, lang: str | None = None) -> str:
        text = gettext_for(lang, self.template)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template, "params": self.params, "code": self.code,
                "weight": self.weight}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        return cls(data["template"], dict(data.get("params") or {}), data.get("code", ""),
                   float(data.get("weight", 0.0)))


@dataclass(frozen=True, slots=True)
class Decision:
    """Lane, flags and reasons for one message. ``score`` is the confidence in the lane."""

    lane: Lane
    source: Source
    reasons: tuple[Reason, ...] = ()
    flags: frozenset[Flag] = frozenset()
    score: float = 1.0
    folder: str = ""  # a user folder predicted by the learner, when foldering is enabled

    def explain(self, lang: str | None = None) -> list[str]:
        """The reasons in plain words, strongest first."""
        ordered = sorted(self.reasons, key=lambda r: -abs(r.weight))
        return [r.render(lang) for r in ordered]

    def to_dict(self) -> dict[str, Any]:
        return {"lane": self.lane.value, "source": self.source.value,
                "reasons": [r.to_dict() for r in self.reasons],
                "flags": sorted(f.value for f in self.flags), "score": self.score,
                "folder": self.folder}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return cls(Lane(data["lane"]), Source(data["source"]),
                   tuple(Reason.from_dict(r) for r in data.get("reasons", [])),
                   frozenset(Flag(f) for f in data.get("flags", [])),
                   float(data.get("score", 1.0)), data.get("folder", ""))
