"""The phishing and malware score: every sign as a reason, combined into a risk in [0, 1].

Each reason has a weight, how likely the sign alone is to mean an attack; the score is their
noisy-or, so two independent medium signs make a strong one. Signs that come from the wording
(lures, scam lexicons, the learned text model, the greeting) read the same words, so they are
weighed as one group: the strongest counts in full, the others at :data:`TEXT_OVERLAP` of
their weight. Without any sign in the message's construction (sender, links, attachments,
authentication) the wording can at most reach :data:`WORDING_ALONE_CAP`: the vocabulary of a
fraud is also that of the real institution it imitates.

The weights were set by reasoning about each sign, then checked against the evaluation
corpora's legitimate mail (the causes of false alarms were fixed rather than the threshold
raised); see ``accalmie/data/models/phishing.md`` for the figures.

Nothing here does network lookups; the costly lookups are cached per domain, and every text
check reads a bounded prefix of the message, so a message costs well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from accalmie.guard.attachments import attachment_reasons
from accalmie.guard.phishing.auth import auth_signals
from accalmie.guard.phishing.content import content_signals
from accalmie.guard.phishing.institutions import FREEMAIL, official_of
from accalmie.guard.phishing.links import LinkFacts, link_signals
from accalmie.guard.phishing.lures import lure_signals
from accalmie.guard.phishing.model import text_model
from accalmie.guard.phishing.reasons import N_, reason
from accalmie.guard.phishing.sender import sender_signals
from accalmie.guard.phishing.text import text_view
from accalmie.guard.settings import DEFAULT_SUSPECT_THRESHOLD
from accalmie.mail.model import Address, Message
from accalmie.triage.decision import Reason
from accalmie.triage.features import Context, registrable_domain

DEFAULT_THRESHOLD = DEFAULT_SUSPECT_THRESHOLD
WORDING = frozenset({"lure", "lex_prize", "lex_scam", "lex_spam", "model", "greeting"})
TEXT_OVERLAP = 0.5
WORDING_ALONE_CAP = 0.8
MAX_HEAD = 500  # characters of the subject and of the sender's name that are examined


@dataclass(frozen=True, slots=True)
class SafetyResult:
    """The phishing/malware score and the reasons behind it, strongest first."""

    score: float
    reasons: tuple[Reason, ...] = ()

    def suspect(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.score >= threshold


SAFE = SafetyResult(0.0, ())


def _stranger(frm: Address | None, ctx: Context | None) -> bool:
    return frm is None or ctx is None or not (
        ctx.contacts.get(frm.email) or frm.email in ctx.own_addresses
        or ctx.is_internal(frm.domain)
        or (ctx.important_rx is not None and ctx.important_rx.fullmatch(frm.email)))


def _brand_signals(msg: Message, frm: Address | None, facts: LinkFacts, claims: list,
                   out: dict[str, Reason]) -> None:
    """An institution speaks (by its address, its name, or in the text) but its links go
    elsewhere: the shape of nearly every credential phish."""
    if not facts.n or not facts.foreign:
        return
    from_reg = registrable_domain(frm.domain) if frm is not None and frm.domain else ""
    inst = official_of(from_reg) if from_reg and from_reg not in FREEMAIL else None
    how = "address"
    if inst is None and "display_name" in out and out["display_name"].code == \
            "display_name_spoof":
        inst = official_of(out["display_name"].params.get("email", "").rpartition("@")[2])
        how = "name"
    if inst is None:
        for c in claims:
            if c.kind in ("bank", "public", "parcel"):
                inst, how = c, "text"
                break
    if inst is None:
        return
    if facts.foreign_action:
        # The link that asks to act ("click here to verify") leads away from the institution,
        # however many genuine links surround it.
        w = {"address": 0.5, "name": 0.45, "text": 0.35}[how]
        out["brand_links"] = reason(
            N_("The message speaks for {institution} but its link to act leads to {domain}"),
            "brand_foreign_action", w, institution=inst.name, domain=facts.foreign_action)
        return
    # Most links lead away from the institution: its own mail links to its own site.
    if facts.foreign * 2 < facts.n:
        return
    w = {"address": 0.5, "name": 0.35, "text": 0.3}[how]
    out["brand_links"] = reason(
        N_("The message speaks for {institution} but its links lead to {domain}"),
        "brand_foreign_links", w, institution=inst.name, domain=facts.foreign_example)


def assess(msg: Message, ctx: Context | None = None) -> SafetyResult:
    """Score ``msg`` for phishing and malware risk (0 = no sign, 1 = certain) with reasons."""
    out: dict[str, Reason] = {}
    frm = msg.from_ or msg.sender
    if len(msg.subject) > MAX_HEAD or (frm is not None and len(frm.name) > MAX_HEAD):
        # gigantic headers: the checks that walk them character by character stay bounded
        frm = Address(frm.name[:MAX_HEAD], frm.email[:320]) if frm is not None else None
        msg = replace(msg, subject=msg.subject[:MAX_HEAD], from_=frm)
    sender_signals(msg, frm, ctx, out)
    from_domain = frm.domain if frm else ""
    facts = link_signals(msg, from_domain, ctx, out) if msg.links else LinkFacts()
    if msg.attachments:
        for i, r in enumerate(attachment_reasons(msg, _stranger(frm, ctx))):
            out[f"attachment{i}" if i else "attachment"] = r
    auth_signals(msg, ctx, out)
    view = text_view(msg)
    lure_signals(view, out)
    claims = content_signals(msg, view, facts, out)
    _brand_signals(msg, frm, facts, claims, out)
    model = text_model()
    if model is not None:
        p = model.probability(view)
        w = model.weight(p)
        if w > 0:
            out["model"] = reason(N_("Its wording resembles fraudulent mail (learned model, "
                                     "{percent}% alike)"), "learned_text", w,
                                  percent=int(round(p * 100)))
    if not out:
        return SAFE
    miss_struct = 1.0
    wording = []
    for key, r in out.items():
        if key in WORDING:
            wording.append(r.weight)
        else:
            miss_struct *= 1.0 - r.weight
    # The wording signs read the same words: the strongest counts in full, the others half.
    wording.sort(reverse=True)
    miss_text = 1.0
    for i, w in enumerate(wording):
        miss_text *= 1.0 - (w if i == 0 else TEXT_OVERLAP * w)
    text_score = 1.0 - miss_text
    if miss_struct == 1.0:
        score = min(text_score, WORDING_ALONE_CAP)
    else:
        score = 1.0 - miss_struct * miss_text
    reasons = tuple(sorted(out.values(), key=lambda r: -r.weight))
    return SafetyResult(round(score, 4), reasons)
