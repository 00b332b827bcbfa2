"""The user's own rules and one-click overrides: the first authority in triage.

Rules come from the TOML configuration (:class:`accalmie.config.Rule`) and are compiled once:
globs and regular expressions become compiled patterns, so matching a message is a handful of
regex calls. A faulty pattern (a bad ``re:`` expression) never crashes triage: it is reported
by :func:`validate_rules` with a clear message and, at triage time, simply never matches.

Overrides are "always this lane for this sender / domain / list" choices, looked up from the
most specific (sender) to the broadest (domain).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from accalmie.config import Rule
from accalmie.i18n import _
from accalmie.mail.model import Address, Message
from accalmie.triage.decision import Lane

ADDRESS_FIELDS = ("from", "to", "cc")
TEXT_FIELDS = ("subject", "body")
OVERRIDE_KINDS = ("sender", "list", "domain")  # lookup order: most specific first


class _MsgView:
    """Lowercased message parts, computed on first use and shared by all rules."""

    __slots__ = ("msg", "_subject", "_body", "_headers")

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        self._subject: str | None = None
        self._body: str | None = None
        self._headers: dict[str, list[str]] | None = None

    @property
    def subject(self) -> str:
        if self._subject is None:
            self._subject = self.msg.subject.lower()
        return self._subject

    @property
    def body(self) -> str:
        if self._body is None:
            self._body = self.msg.text.lower()
        return self._body

    def header(self, name: str) -> list[str]:
        if self._headers is None:
            headers: dict[str, list[str]] = {}
            for key, value in self.msg.headers:
                headers.setdefault(key, []).append(value.lower())
            self._headers = headers
        return self._headers.get(name, [])


Test = Callable[[_MsgView], bool]


def _compile_regex(pattern: str, rule: str, where: str, problems: list[str]
                   ) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.I)
    except re.error as exc:
        problems.append(_("Rule {rule!r}: the regular expression {pattern!r} in {field} is "
                          "invalid ({error}); this condition will never match.").format(
            rule=rule, pattern=pattern, field=where, error=exc))
        return None


def _address_test(field: str, patterns: tuple[str, ...], rule: str,
                  problems: list[str]) -> Test:
    """Globs match the whole address; a glob without '@' may also match the display name;
    ``re:`` expressions search both."""
    on_email: list[Callable[[str], object]] = []
    on_name: list[Callable[[str], object]] = []
    for p in patterns:
        p = p.strip()
        if p.lower().startswith("re:"):
            rx = _compile_regex(p[3:], rule, field, problems)
            if rx is not None:
                on_email.append(rx.search)
                on_name.append(rx.search)
        elif p:
            glob = re.compile(fnmatch.translate(p.lower()), re.I)
            on_email.append(glob.match)
            if "@" not in p:
                on_name.append(glob.match)

    def test(view: _MsgView) -> bool:
        msg = view.msg
        if field == "from":
            frm = msg.from_ or msg.sender
            addrs: tuple[Address, ...] = (frm,) if frm is not None else ()
        else:
            addrs = msg.to if field == "to" else msg.cc
        for addr in addrs:
            for m in on_email:
                if m(addr.email):
                    return True
            if addr.name:
                for m in on_name:
                    if m(addr.name):
                        return True
        return False

    return test


def _text_rx(patterns: tuple[str, ...], rule: str, where: str,
             problems: list[str]) -> list[re.Pattern[str]]:
    out = []
    for p in patterns:
        if p.lower().startswith("re:"):
            rx = _compile_regex(p[3:], rule, where, problems)
            if rx is not None:
                out.append(rx)
        elif p:
            out.append(re.compile(re.escape(p.lower())))
    return out


def _text_test(field: str, patterns: tuple[str, ...], rule: str, problems: list[str]) -> Test:
    rxs = _text_rx(patterns, rule, field, problems)

    if field == "subject":
        def test(view: _MsgView) -> bool:
            s = view.subject
            return any(rx.search(s) for rx in rxs)
    else:
        def test(view: _MsgView) -> bool:
            s = view.body
            return any(rx.search(s) for rx in rxs)
    return test


def _list_test(patterns: tuple[str, ...], rule: str, problems: list[str]) -> Test:
    rxs: list[re.Pattern[str]] = []
    for p in patterns:
        if p.lower().startswith("re:"):
            rx = _compile_regex(p[3:], rule, "list_id", problems)
            if rx is not None:
                rxs.append(rx)
        elif p.strip():
            rxs.append(re.compile(fnmatch.translate(p.strip().strip("<>").lower()), re.I))

    def test(view: _MsgView) -> bool:
        lid = view.msg.list_id
        return bool(lid) and any(rx.search(lid) for rx in rxs)
    return test


def _header_test(name: str, patterns: tuple[str, ...], rule: str, problems: list[str]) -> Test:
    """'' or '*' asks only that the header be present; otherwise substring or ``re:``."""
    presence = any(p.strip() in ("", "*") for p in patterns)
    rxs = _text_rx(tuple(p for p in patterns if p.strip() not in ("", "*")), rule,
                   f"headers.{name}", problems)

    def test(view: _MsgView) -> bool:
        values = view.header(name)
        if not values:
            return False
        return presence or any(rx.search(v) for v in values for rx in rxs)
    return test


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to match: one test per condition."""

    rule: Rule
    tests: tuple[Test, ...]

    @property
    def name(self) -> str:
        return self.rule.name

    def matches_view(self, view: _MsgView) -> bool:
        if not self.tests:
            return False
        if self.rule.match_all:
            return all(t(view) for t in self.tests)
        return any(t(view) for t in self.tests)

    def matches(self, msg: Message) -> bool:
        return self.matches_view(_MsgView(msg))


def compile_rule(rule: Rule) -> tuple[CompiledRule, list[str]]:
    """Compile one rule; the problems found are returned, never raised."""
    problems: list[str] = []
    tests: list[Test] = []
    for key, value in rule.conditions.items():
        if key == "headers":
            if not isinstance(value, Mapping):
                problems.append(_("Rule {rule!r}: headers must be a table of "
                                  "header = pattern.").format(rule=rule.name))
                continue
            for hname, pats in value.items():
                tests.append(_header_test(str(hname).lower(), _as_tuple(pats), rule.name,
                                          problems))
            continue
        pats = _as_tuple(value)
        if key in ADDRESS_FIELDS:
            tests.append(_address_test(key, pats, rule.name, problems))
        elif key in TEXT_FIELDS:
            tests.append(_text_test(key, pats, rule.name, problems))
        elif key == "list_id":
            tests.append(_list_test(pats, rule.name, problems))
        else:
            problems.append(_("Rule {rule!r}: unknown condition {field!r}.").format(
                rule=rule.name, field=key))
    if not tests:
        problems.append(_("Rule {rule!r} has no usable condition and will never match.").format(
            rule=rule.name))
    return CompiledRule(rule, tuple(tests)), problems


def _as_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


def validate_rules(rules: Iterable[Rule]) -> list[str]:
    """Every problem in the rules, phrased for the user (empty when all is well)."""
    problems: list[str] = []
    for rule in rules:
        problems.extend(compile_rule(rule)[1])
    return problems


class RuleSet:
    """The user's rules, compiled, in the order they were written."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self.rules: list[CompiledRule] = []
        self.problems: list[str] = []
        for rule in rules:
            compiled, problems = compile_rule(rule)
            self.rules.append(compiled)
            self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def matching(self, msg: Message) -> list[Rule]:
        """The rules that match ``msg``, in order (the first with a lane decides the lane)."""
        if not self.rules:
            return []
        view = _MsgView(msg)
        return [c.rule for c in self.rules if c.matches_view(view)]


# --- overrides --------------------------------------------------------------------------------

def normalise_overrides(overrides: Mapping[tuple[str, str], str | Lane]
                        ) -> dict[tuple[str, str], Lane]:
    """Lowercase the keys and check kinds and lanes; invalid entries are dropped."""
    out: dict[tuple[str, str], Lane] = {}
    for key, lane in overrides.items():
        try:
            kind, value = key
            kind = str(kind).lower()
            value = str(value).strip().strip("<>").lower()
            if kind == "domain":
                value = value.lstrip("@").lstrip(".")
            if kind in OVERRIDE_KINDS and value:
                out[(kind, value)] = Lane(str(lane).lower())
        except (ValueError, TypeError):
            continue
    return out


def lookup_override(overrides: Mapping[tuple[str, str], Lane], from_email: str,
                    from_domain: str, list_id: str) -> tuple[str, str, Lane] | None:
    """The override that applies, most specific first: sender, list, then domain and parents."""
    if not overrides:
        return None
    if from_email:
        lane = overrides.get(("sender", from_email))
        if lane is not None:
            return "sender", from_email, lane
    if list_id:
        lane = overrides.get(("list", list_id))
        if lane is not None:
            return "list", list_id, lane
    if from_domain:
        parts = from_domain.split(".")
        for i in range(max(1, len(parts) - 1)):
            candidate = ".".join(parts[i:])
            lane = overrides.get(("domain", candidate))
            if lane is not None:
                return "domain", candidate, lane
    return None
