"""The HTML overview page: readable, accessible, self-contained, and safe with hostile input."""

from __future__ import annotations

import email
import re
from email import policy
from html import escape
from html.parser import HTMLParser

import pytest

from accalmie.demo.generator import Mailbox
from accalmie.demo.overview import render_overview
from accalmie.mail.model import Address, Message
from accalmie.triage.decision import Decision, Flag, Lane, Reason, Source, lane_label

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _rows(mb: Mailbox) -> list[tuple[Message, Decision]]:
    """Decisions that follow the generator's expectations, on Messages built with the stdlib
    (the overview must not depend on how messages were parsed)."""
    rows = []
    for m in mb.messages:
        if m.folder != "INBOX":
            continue
        e = email.message_from_bytes(m.raw, policy=policy.default)
        frm = e["From"].addresses[0]
        msg = Message(message_id=m.message_id, subject=str(e["Subject"]),
                      from_=Address(frm.display_name, frm.addr_spec.lower()), date=m.date)
        reasons = (Reason("Generated as {kind}", {"kind": m.kind}, "demo", 1.0),)
        assert m.expected_lane is not None
        rows.append((msg, Decision(m.expected_lane, Source.HEURISTIC, reasons,
                                   m.expected_flags)))
    return rows


class _Checker(HTMLParser):
    VOID = {"meta", "br", "img", "link", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with {self.stack[-3:]}")
        else:
            self.stack.pop()


def _check(html: str) -> _Checker:
    c = _Checker()
    c.feed(html)
    assert not c.errors and not c.stack, (c.errors, c.stack)
    return c


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_of_the_demo_mailbox(mailbox600: Mailbox, lang: str) -> None:
    rows = _rows(mailbox600)
    html = render_overview(rows, mailbox600.owner, lang)
    c = _check(html)
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": lang}) in c.tags
    names = [t for t, _ in c.tags]
    assert names.count("h1") == 1 and names.count("h2") == 5  # summary + four lanes
    ths = [a for t, a in c.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    assert "caption" in names
    # self-contained: no script, no stylesheet or image fetched from anywhere
    assert "script" not in names and "link" not in names and "img" not in names
    assert not re.search(r'\ssrc=', html)
    for lane in Lane:
        n = sum(d.lane is lane for _, d in rows)
        assert escape(f"{lane_label(lane, lang)} ({n})") in html
    assert mailbox600.owner.email in html
    assert escape(rows[0][0].subject) in html


def test_hostile_fields_are_escaped() -> None:
    msg = Message(message_id="<x@y>", subject=HOSTILE, from_=Address(HOSTILE, "evil@example.org"))
    reason = Reason("Sent directly to you", {}, "direct", 1.0)
    rows = [(msg, Decision(Lane.SUSPECT, Source.SAFETY, (reason,),
                           frozenset({Flag.AGGRESSIVE, Flag.AFTER_HOURS})))]
    html = render_overview(rows, "Camille Martin <camille.martin@haute-lisiere.fr>", "en")
    _check(html)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'class="aggressive"' in html
    assert "(unknown sender)" not in html


def test_limit_per_lane_keeps_counts() -> None:
    rows = [(Message(subject=f"m{i}"), Decision(Lane.BULK, Source.HEURISTIC)) for i in range(7)]
    html = render_overview(rows, "x", "en", limit_per_lane=3)
    _check(html)
    assert html.count("<td class=\"subject\">") == 3
    assert "4 more messages" in html
    assert "No reason recorded." in html
    full = render_overview(rows, "x", "en", limit_per_lane=None)
    assert full.count("<td class=\"subject\">") == 7


def test_empty_mailbox() -> None:
    html = render_overview([], "x", "fr")
    _check(html)
    assert 'lang="fr"' in html
