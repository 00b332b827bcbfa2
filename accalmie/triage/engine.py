"""Triage: one Decision per message, from four authorities in a fixed order.

1. the user's rules (TOML) and overrides ("always this lane for this sender/domain/list");
2. safety: a message scoring at or above the suspect threshold goes to *Suspect*;
3. the per-user learned model, once it has seen enough corrections and is confident;
4. the built-in heuristics.

A rule beats safety because the user said so, but the safety warning still travels with the
decision as a visible reason. Flags come on top: *réponse attendue* when a request addressed to
the user is detected, *agressif* when the new text of the message is hostile (the guard's
hostility detector), *hors horaires* when it arrived outside the person's working time, and
whatever flags the user's rules add. Everything here is pure: no I/O, no clock; the same
message and the same state give the same decision.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from accalmie.config import Account, Config
from accalmie.guard.phishing import SafetyResult, assess
from accalmie.i18n import N_
from accalmie.mail.model import Message
from accalmie.triage.decision import Decision, Flag, Lane, Reason, Source
from accalmie.triage.features import Context, Features, RequestFn, extract
from accalmie.triage.heuristics import (
    DEFAULT_FILTERS,
    REQUEST_THRESHOLD,
    Heuristic,
    excerpt,
    heuristic_lane,
)
from accalmie.triage.requests import request_score
from accalmie.triage.rules import (
    OVERRIDE_KINDS,
    RuleSet,
    lookup_override,
    normalise_overrides,
)

if TYPE_CHECKING:  # the learner is optional at import time
    from accalmie.disconnect.hours import WorkingTime
    from accalmie.triage.learner import OnlineLearner

log = logging.getLogger(__name__)


HostilityFn = Callable[[str, str], Any]  # (new text, language) -> Hostility


def default_hostility(text: str, lang: str) -> Any:
    """The guard's hostility detector, imported on first use (its model loads once)."""
    try:
        from accalmie.guard.hostility import assess_hostility
    except ImportError:  # a trimmed install without the guard
        return None
    return assess_hostility(text, lang)


_GRADE_TEMPLATES = {
    "threat": N_("Warning before reading: threatening or intimidating words"),
    "insult": N_("Warning before reading: insulting words"),
    "incivility": N_("Warning before reading: uncivil, aggressive tone"),
}

CAUTION_SCORE = 0.4  # below the threshold but worth a word of caution
MIN_LEARNED_CONFIDENCE = 0.8
MIN_CORRECTIONS = 5

_OVERRIDE_TEMPLATES = {
    "sender": N_("You chose this lane for this sender ({value})"),
    "list": N_("You chose this lane for this mailing list ({value})"),
    "domain": N_("You chose this lane for this domain ({value})"),
}
_LEARNER_COUNT_ATTRS = ("n_corrections", "n_learned", "n_updates", "n_seen", "n_samples",
                        "n_examples", "count")


def _percent(score: float) -> int:
    return int(round(score * 100))


def _as_reason(item: Any) -> Reason | None:
    """Learner reasons may be Reasons already, or plain strings."""
    if isinstance(item, Reason):
        return item
    if isinstance(item, str) and item:
        return Reason(item, {}, "learned_detail", 0.5)
    return None


class Triager:
    """Decides lanes and flags for one user's mail; learns from their corrections."""

    def __init__(self, config: Config, account: Account | None = None, *,
                 contacts: Mapping[str, int] = {},  # noqa: B006 - read-only default
                 overrides: Mapping[tuple[str, str], str] = {},  # noqa: B006
                 learner: OnlineLearner | None = None, suspect_threshold: float = 0.7,
                 min_learned_confidence: float = MIN_LEARNED_CONFIDENCE,
                 min_corrections: int = MIN_CORRECTIONS,
                 thread_ids: Iterable[str] = (), trusted_authserv_ids: Iterable[str] = (),
                 known_names: Mapping[str, str] | None = None,
                 request_fn: RequestFn = request_score,
                 filters: Sequence[Heuristic] = DEFAULT_FILTERS,
                 hostility_fn: HostilityFn | None = default_hostility,
                 working_time: WorkingTime | None = None) -> None:
        self.config = config
        if account is None and config.accounts:
            account = config.accounts[0]
        self.account = account
        self.rules = RuleSet(config.rules)
        self.rule_problems: list[str] = list(self.rules.problems)
        for problem in self.rule_problems:
            log.warning("%s", problem)
        self.overrides = normalise_overrides(overrides)
        self.learner = learner
        self.corrections = 0
        self.suspect_threshold = suspect_threshold
        self.min_learned_confidence = min_learned_confidence
        self.min_corrections = min_corrections
        self.filters = tuple(filters)
        self.hostility_fn = hostility_fn
        self.working_time = working_time
        self.context = Context(
            own_addresses=account.own_addresses if account else frozenset(),
            internal_domains=account.internal_domains if account else (),
            contacts={k.lower(): int(v) for k, v in contacts.items()},
            important_senders=tuple(config.important_senders),
            overrides=self.overrides,
            thread_ids=frozenset(thread_ids),
            trusted_authserv_ids=frozenset(a.lower() for a in trusted_authserv_ids),
            known_names=dict(known_names or {}),
            request_fn=request_fn,
        )

    # --- state updates ------------------------------------------------------------------------

    def add_contacts(self, contacts: Mapping[str, int]) -> None:
        """Add counts of messages the user sent (e.g. after reading new Sent messages)."""
        if not contacts:
            return
        merged = dict(self.context.contacts)
        for k, v in contacts.items():
            merged[k.lower()] = merged.get(k.lower(), 0) + int(v)
        self.context = replace(self.context, contacts=merged, contact_domains=frozenset())

    update_contacts = add_contacts

    def add_thread_ids(self, ids: Iterable[str]) -> None:
        """Remember Message-IDs the user sent, so replies to them are recognised."""
        self.context = replace(self.context,
                               thread_ids=frozenset(self.context.thread_ids) | frozenset(ids))

    def set_override(self, kind: str, value: str, lane: Lane | str) -> None:
        """"Always this lane" for a sender, a domain or a list (ValueError on a bad kind)."""
        if kind not in OVERRIDE_KINDS:
            raise ValueError(f"unknown override kind {kind!r} (expected one of "
                             f"{', '.join(OVERRIDE_KINDS)})")
        merged = dict(self.overrides)
        merged.update(normalise_overrides({(kind, value): Lane(lane)}))
        self.overrides = merged
        self.context = replace(self.context, overrides=merged)

    def clear_override(self, kind: str, value: str) -> None:
        key = next(iter(normalise_overrides({(kind, value): Lane.INFO})), None)
        if key is not None and key in self.overrides:
            merged = dict(self.overrides)
            del merged[key]
            self.overrides = merged
            self.context = replace(self.context, overrides=merged)

    def learn(self, msg: Message, lane: Lane | str) -> None:
        """Teach the per-user model that ``msg`` belongs in ``lane``, effective immediately."""
        lane = Lane(lane)
        learner = self.learner
        if learner is None:
            learner = self.learner = _default_learner()
            if learner is None:
                log.info("no learner available; correction not learned")
                return
        learner.learn(msg, lane.value)
        self.corrections += 1

    # --- deciding -------------------------------------------------------------------------

    def features(self, msg: Message) -> Features:
        return extract(msg, self.context)

    def decide(self, msg: Message) -> Decision:
        """The lane, flags and reasons for ``msg``; never raises on odd messages.

        Should any check fail on a message nobody foresaw, the message is left in *For
        information* with a reason saying so, rather than stopping the triage of a mailbox.
        """
        try:
            return self._decide(msg)
        except Exception:  # a safe fallback beats a crash in the middle of a mailbox
            log.exception("triage failed on message %r", msg.message_id[:100])
            return Decision(lane=Lane.INFO, source=Source.HEURISTIC, reasons=(
                Reason(N_("This message could not be analysed; please look at it yourself"),
                       {}, "analysis_failed", 1.0),), score=0.0)

    def _decide(self, msg: Message) -> Decision:
        ctx = self.context
        feats = extract(msg, ctx)
        safety = assess(msg, ctx)
        flags: set[Flag] = set()
        reasons: list[Reason] = []
        lane: Lane | None = None
        source = Source.HEURISTIC
        score = 1.0

        # 1. The user's rules, then their one-click overrides.
        if self.rules:
            for rule in self.rules.matching(msg):
                if rule.lane is not None and lane is None:
                    lane = rule.lane
                    reasons.append(Reason(N_("Your rule \u201c{rule}\u201d"), {"rule": rule.name},
                                          "rule", 10.0))
                elif rule.flags:
                    reasons.append(Reason(N_("Your rule \u201c{rule}\u201d adds a flag"),
                                          {"rule": rule.name}, "rule_flag", 5.0))
                flags |= rule.flags
        if lane is None and self.overrides:
            hit = lookup_override(self.overrides, feats.from_email, feats.from_domain,
                                  msg.list_id)
            if hit is not None:
                kind, value, lane = hit
                reasons.append(Reason(_OVERRIDE_TEMPLATES[kind], {"value": value},
                                      f"override_{kind}", 10.0))
        if lane is not None:
            source = Source.RULE
            if safety.score >= self.suspect_threshold:
                reasons.append(Reason(
                    N_("Warning: signs of phishing or malware (risk {percent}%), kept in this "
                       "lane by your choice"), {"percent": _percent(safety.score)},
                    "safety_warning", 9.0))
                reasons.extend(safety.reasons[:3])
            elif safety.score >= CAUTION_SCORE:
                reasons.extend(self._caution(safety))
        # 2. Safety.
        elif safety.score >= self.suspect_threshold:
            lane, source, score = Lane.SUSPECT, Source.SAFETY, safety.score
            reasons.append(Reason(N_("Signs of phishing or malware (risk {percent}%)"),
                                  {"percent": _percent(safety.score)}, "safety", 9.0))
            reasons.extend(safety.reasons)
        else:
            # 3. The learned model, 4. the heuristics.
            learned = self._learned(msg)
            if learned is not None:
                lane, score, lreasons = learned
                source = Source.LEARNED
                reasons.extend(lreasons)
            else:
                lane, score, hreasons = heuristic_lane(feats, msg, ctx, self.filters)
                reasons.extend(hreasons)
            if safety.score >= CAUTION_SCORE:
                reasons.extend(self._caution(safety))

        if (feats.request_score >= REQUEST_THRESHOLD and feats.is_direct and not feats.from_self
                and lane in (Lane.PRIORITY, Lane.INFO)):
            flags.add(Flag.REPLY_EXPECTED)
            for r in reasons:
                if r.code == "request":
                    break
            else:
                params = ({"passage": excerpt(feats.request_passages[0])}
                          if feats.request_passages else {})
                template = (N_("A question or request addressed to you: \u201c{passage}\u201d")
                            if params else N_("A question or request addressed to you"))
                reasons.append(Reason(template, params, "request", 1.0))
        if lane is not Lane.BULK and not feats.from_self:
            reasons.extend(self._hostility(msg, flags))
        if self.working_time is not None and msg.date is not None:
            reasons.extend(self._after_hours(msg.date, flags))
        return Decision(lane=lane, source=source, reasons=tuple(reasons),
                        flags=frozenset(flags), score=round(score, 4))

    def _hostility(self, msg: Message, flags: set[Flag]) -> list[Reason]:
        """The *agressif* flag and its reasons (the passages), from the new text only."""
        if self.hostility_fn is None or not msg.new_text.strip():
            return []
        try:
            verdict = self.hostility_fn(msg.new_text, msg.language or "fr")
        except Exception:  # the warning is a help; its failure must not stop triage
            log.exception("hostility check failed on message %r", msg.message_id[:100])
            return []
        if not getattr(verdict, "hostile", False):
            return []
        flags.add(Flag.AGGRESSIVE)
        template = _GRADE_TEMPLATES.get(verdict.grade, _GRADE_TEMPLATES["incivility"])
        return [Reason(template, {}, "aggressive", 8.0), *tuple(verdict.reasons)[:2]]

    def _after_hours(self, when: datetime, flags: set[Flag]) -> list[Reason]:
        """The *hors horaires* flag: sent or received outside the person's working time."""
        from accalmie.disconnect.after_hours import is_after_hours

        try:
            late = is_after_hours(when, self.working_time)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            return []
        if not late:
            return []
        flags.add(Flag.AFTER_HOURS)
        return [Reason(N_("Arrived outside your working hours"), {}, "after_hours", 0.5)]

    def decide_many(self, messages: Iterable[Message]) -> list[Decision]:
        return [self.decide(m) for m in messages]

    def corrected(self, msg: Message, lane: Lane | str) -> Decision:
        """The decision to record after the user put ``msg`` in ``lane`` themselves.

        The user's choice settles the lane (source: rule); flags and the safety warning are
        recomputed, so a message moved out of *Suspect* still says what looked wrong.
        """
        lane = Lane(lane)
        base = self.decide(msg)
        reasons = [Reason(N_("You put this message here yourself"), {}, "correction", 10.0)]
        if base.source is Source.SAFETY:
            if lane is not Lane.SUSPECT:
                reasons.append(Reason(
                    N_("Warning: signs of phishing or malware (risk {percent}%), kept in this "
                       "lane by your choice"), {"percent": _percent(base.score)},
                    "safety_warning", 9.0))
            reasons.extend(r for r in base.reasons[1:4])  # what looked wrong
        keep = {"request", "safety_warning", "safety_caution", "rule_flag", "aggressive",
                "after_hours"}
        reasons.extend(r for r in base.reasons if r.code in keep and r not in reasons)
        flags = set(base.flags)
        if lane not in (Lane.PRIORITY, Lane.INFO):
            flags.discard(Flag.REPLY_EXPECTED)
        return Decision(lane=lane, source=Source.RULE, reasons=tuple(reasons),
                        flags=frozenset(flags), score=1.0, folder=base.folder)

    def _caution(self, safety: SafetyResult) -> list[Reason]:
        head = Reason(N_("Some signs of phishing (risk {percent}%): be careful with its links "
                         "and attachments"), {"percent": _percent(safety.score)}, "safety_caution",
                      0.4)
        return [head, *(replace(r, weight=min(r.weight, 0.39)) for r in safety.reasons[:2])]

    def learner_corrections(self) -> int:
        """Corrections the learner has seen: this session's, or what it reports about itself."""
        n = self.corrections
        learner = self.learner
        if learner is not None:
            for attr in _LEARNER_COUNT_ATTRS:
                value = getattr(learner, attr, None)
                if isinstance(value, int) and not isinstance(value, bool):
                    n = max(n, value)
                    break
        return n

    def _learned(self, msg: Message) -> tuple[Lane, float, list[Reason]] | None:
        learner = self.learner
        if learner is None or self.learner_corrections() < self.min_corrections:
            return None
        try:
            pred = learner.predict(msg)
        except Exception:  # a faulty model must never stop triage
            log.exception("learner failed; falling back to heuristics")
            return None
        if pred is None:
            return None
        confidence = float(getattr(pred, "confidence", 0.0) or 0.0)
        if confidence < self.min_learned_confidence:
            return None
        try:
            lane = Lane(str(getattr(pred, "label", "")).lower())
        except ValueError:
            return None  # a folder name, not a lane
        reasons = [Reason(N_("Learned from your corrections (confidence: {percent}%)"),
                          {"percent": _percent(confidence)}, "learned", 3.0)]
        for item in getattr(pred, "reasons", ()) or ():
            r = _as_reason(item)
            if r is not None:
                reasons.append(r)
        return lane, confidence, reasons


def _default_learner() -> OnlineLearner | None:
    """A fresh per-user model, when the learner module is installed."""
    try:
        from accalmie.triage.learner import OnlineLearner
    except ImportError:
        return None
    try:
        return OnlineLearner()
    except TypeError:  # needs arguments we cannot guess
        return None
