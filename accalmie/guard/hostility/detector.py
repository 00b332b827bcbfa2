"""Hostility of the new text of a message: graded, located, explained.

Rules come first because they can read who says what to whom: a threat is the writer acting on
the reader, an insult is a hostile word aimed at the reader, and the same words quoted,
reported, mentioned or denied are not the writer's. The learned model adds the hostile tone
that no list foresees, on the text with the set-aside words masked, and only when confident.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from accalmie.guard.hostility import patterns as P
from accalmie.guard.hostility.lexicon import lexicon
from accalmie.guard.hostility.model import HashedLR, shipped
from accalmie.guard.hostility.text import MAX_CHARS, View, view
from accalmie.i18n import N_
from accalmie.triage.decision import Reason

GRADES = ("incivility", "insult", "threat")  # increasing severity
THRESHOLD = 0.5  # score from which a message is flagged
MODEL_FLOOR = 0.5  # the model's probability counts only above this (unless its JSON says)
MODEL_SHARE = 1.0  # scaled so that the model alone flags half-way between floor and 1
_PASSAGE = 80

TEMPLATES = {
    "threat": N_('Threat or intimidation: "{passage}"'),
    "insult": N_('Insult aimed at you: "{passage}"'),
    "hate": N_('Hateful words: "{passage}"'),
    "incivility": N_('Coarse or contemptuous words: "{passage}"'),
    "shouting": N_('Shouting (written in capitals): "{passage}"'),
    "model": N_("Hostile tone (learned model, {score} sure)"),
}


@dataclass(frozen=True, slots=True)
class Span:
    """A passage to highlight: offsets into the text given to :func:`assess_hostility`."""

    start: int
    end: int
    category: str  # "threat", "insult" or "incivility"


@dataclass(frozen=True, slots=True)
class Hostility:
    grade: str | None  # None, "incivility", "insult" or "threat"
    score: float  # in [0, 1]
    spans: tuple[Span, ...] = ()
    reasons: tuple[Reason, ...] = ()
    set_aside: tuple[Span, ...] = field(default=(), compare=False)  # quoted, reported…

    @property
    def hostile(self) -> bool:
        return self.grade is not None

    def to_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "score": self.score,
                "spans": [[s.start, s.end, s.category] for s in self.spans],
                "reasons": [r.to_dict() for r in self.reasons]}


NOT_HOSTILE = Hostility(None, 0.0)


@dataclass(slots=True)
class Finding:
    category: str  # threat / insult / incivility
    code: str  # reason key in TEMPLATES
    weight: float
    first: int  # token indices
    last: int
    start: int  # offsets in the original text
    end: int
    scope: str = ""  # why it was set aside: "quoted", "reported", "negated"


def _scope(v: View, first: int, last: int, lang: str, negatable: bool) -> str:
    toks = v.tokens
    if any(toks[k].quoted for k in range(first, last + 1)):
        return "quoted"
    if P.reported(toks, first, lang):
        return "reported"
    if negatable and P.negated(toks, first, lang):
        return "negated"
    return ""


def _lexicon_findings(v: View, lang: str) -> list[Finding]:
    toks = v.tokens
    sizes = Counter(t.clause for t in toks)
    out: list[Finding] = []
    for hit in lexicon(lang).find(toks):
        e = hit.entry
        aimed = P.targeted(toks, hit.first, hit.last, lang, sizes[toks[hit.first].clause])
        if e.kind == "insult":
            weight = min(1.0, e.weight + 0.35) if aimed else e.weight * 0.7
            category = "insult" if aimed and e.weight >= 0.6 else "incivility"
            code = category
        elif e.kind == "slur":
            weight = min(1.0, e.weight + 0.2) if aimed else e.weight
            category, code = "insult", "hate"
        elif e.kind == "addressed":
            weight, category, code = e.weight, "insult", "insult"
        elif e.kind == "profanity":
            weight, category, code = e.weight * 0.75, "incivility", "incivility"
        else:  # contempt
            weight, category, code = e.weight, "incivility", "incivility"
        f = Finding(category, code, weight, hit.first, hit.last, toks[hit.first].start,
                    toks[hit.last].end)
        f.scope = _scope(v, hit.first, hit.last, lang,
                         negatable=e.kind == "insult")
        out.append(f)
    return out


def _pattern_findings(v: View, lang: str) -> list[Finding]:
    toks = v.tokens
    out: list[Finding] = []
    if not toks:
        return out
    for pat in (P.EN_PATTERNS if lang == "en" else P.FR_PATTERNS):
        for m in pat.regex.finditer(v.joined):
            text = m.group().rstrip(" #")
            if not text:
                continue
            span = v.tokens_between(m.start(), m.start() + len(text))
            first, last = span.start, span.stop - 1
            code = "threat" if pat.category == "threat" else (
                "hate" if pat.code == "hate" else pat.category)
            f = Finding(pat.category, code, pat.weight, first, last, toks[first].start,
                        toks[last].end)
            f.scope = _scope(v, first, last, lang, negatable=False)
            out.append(f)
    return out


_WORDS = re.compile(r"[^\W\d_]+")
_BANGS = re.compile(r"[!?]{3,}")


def _shouting(text: str) -> list[Finding]:
    """Capitals: a whole message in capitals, or a run of shouted words inside it."""
    out: list[Finding] = []
    words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(text)]
    letters = sum(len(w) for _, _, w in words)
    upper = sum(len(w) for _, _, w in words if w.isupper())
    if letters >= 40 and upper / letters >= 0.7:
        end = words[-1][1]
        out.append(Finding("incivility", "shouting", 0.45, 0, 0, words[0][0], end))
    else:
        run: list[tuple[int, int, str]] = []
        for w in words + [(len(text), len(text), "x")]:
            if len(w[2]) >= 2 and w[2].isupper():
                run.append(w)
                continue
            if len(run) >= 3 and sum(len(x[2]) for x in run) >= 12 and \
                    max(len(x[2]) for x in run) >= 4:
                out.append(Finding("incivility", "shouting", 0.35, 0, 0, run[0][0], run[-1][1]))
            run = []
    m = _BANGS.search(text)
    if m:
        out.append(Finding("incivility", "shouting", 0.15, 0, 0, m.start(), m.end()))
    return out


def model_text(v: View, findings: list[Finding] | None = None) -> str:
    """What the model reads: the folded words, without those the scope rules set aside."""
    masked: set[int] = set()
    for f in findings or ():
        if f.scope:
            masked.update(range(f.first, f.last + 1))
    if not masked:
        return " ".join(t.text for t in v.tokens)
    return " ".join(t.text for i, t in enumerate(v.tokens) if i not in masked)


def model_input(text: str, lang: str = "fr") -> str:
    """The model's view of ``text`` (used to train it on exactly what it will read)."""
    text = text[:MAX_CHARS]
    v = view(text)
    return model_text(v, _lexicon_findings(v, lang) + _pattern_findings(v, lang))


def _combine(weights: list[float]) -> float:
    rest = 1.0
    for w in weights:
        rest *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - rest


def _passage(text: str, f: Finding) -> str:
    s = " ".join(text[f.start:f.end].split())
    return s if len(s) <= _PASSAGE else s[:_PASSAGE - 1] + "…"


def assess_hostility(text: str, lang: str = "fr", *, model: HashedLR | None | bool = True
                     ) -> Hostility:
    """Grade the hostility of ``text``, the new text of a message (quotes already stripped).

    ``model``: True for the shipped model of ``lang`` (if any), False for rules only, or a
    model to use instead (training and evaluation).
    """
    if not text or not text.strip():
        return NOT_HOSTILE
    lang = "en" if (lang or "").lower().startswith("en") else "fr"
    text = text[:MAX_CHARS]
    v = view(text)
    findings = _lexicon_findings(v, lang) + _pattern_findings(v, lang) + _shouting(text)
    live = [f for f in findings if not f.scope]
    rule_score = _combine([f.weight for f in live])
    lr = shipped(lang) if model is True else (model or None)
    prob = None
    if lr is not None:
        prob = float(lr.probability([model_text(v, findings)])[0])
    model_part = 0.0
    floor = (lr.floor if lr is not None and lr.floor is not None else MODEL_FLOOR)
    if prob is not None and prob > floor:
        model_part = MODEL_SHARE * (prob - floor) / (1.0 - floor)
    score = round(_combine([rule_score, model_part]), 4)
    set_aside = tuple(Span(f.start, f.end, f.scope) for f in findings if f.scope)
    if score < THRESHOLD:
        return Hostility(None, score, set_aside=set_aside)
    strong = [f for f in live if f.weight >= 0.3] or live
    grade = max((f.category for f in strong), key=GRADES.index, default="incivility")
    spans = _merge_spans(strong)
    reasons: list[Reason] = []
    for code in ("threat", "hate", "insult", "incivility", "shouting"):
        best = max((f for f in strong if f.code == code), key=lambda f: f.weight, default=None)
        if best is not None:
            reasons.append(Reason(TEMPLATES[code], {"passage": _passage(text, best)},
                                  f"hostility_{code}", round(best.weight, 3)))
    if model_part > 0 and prob is not None:
        reasons.append(Reason(TEMPLATES["model"], {"score": f"{prob:.0%}"}, "hostility_model",
                              round(model_part, 3)))
    return Hostility(grade, score, spans, tuple(reasons), set_aside)


def _merge_spans(findings: list[Finding]) -> tuple[Span, ...]:
    """Overlapping passages become one, with the most severe category."""
    spans = sorted((f.start, f.end, f.category) for f in findings if f.end > f.start)
    merged: list[list[Any]] = []
    for start, end, cat in spans:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if GRADES.index(cat) > GRADES.index(last[2]):
                last[2] = cat
        else:
            merged.append([start, end, cat])
    return tuple(Span(s, e, c) for s, e, c in merged)
