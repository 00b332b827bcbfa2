"""The demo mailbox generator: deterministic, parseable, realistic in shape and proportions."""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from functools import cache
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from accalmie.demo.generator import (
    DEFAULT_START,
    KIND_NAMES,
    KINDS,
    Mailbox,
    demo_owner,
    generate_mailbox,
    is_after_hours,
    iter_messages,
)
from accalmie.triage.decision import Flag, Lane

TZ = ZoneInfo("Europe/Paris")
GROUP = {k.name: k.group for k in KINDS}


@cache
def parse(raw: bytes) -> EmailMessage:
    """Parsed once per test session (the stdlib parser is the slow part of these tests)."""
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def texts(msg: EmailMessage) -> list[str]:
    out = []
    for part in msg.walk():
        if part.get_content_maintype() == "text" and not part.is_attachment():
            out.append(part.get_content().replace("\r\n", "\n"))
    return out


# --- determinism -----------------------------------------------------------------------------


def test_same_arguments_give_identical_bytes() -> None:
    a = generate_mailbox(400, seed=3)
    b = generate_mailbox(400, seed=3)
    assert [m.raw for m in a.messages] == [m.raw for m in b.messages]
    assert [(m.folder, m.kind, m.expected_lane, m.expected_flags) for m in a.messages] == \
        [(m.folder, m.kind, m.expected_lane, m.expected_flags) for m in b.messages]


def test_identical_across_processes_and_hash_seeds() -> None:
    """No dependence on set/dict hashing or on anything process-specific."""
    code = ("import hashlib; from accalmie.demo.generator import iter_messages; "
            "h = hashlib.sha256(); "
            "[h.update(m.raw) for m in iter_messages(150, seed=5)]; print(h.hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": hs}).stdout
               for hs in ("1", "2")}
    assert len(digests) == 1


def test_another_seed_gives_another_mailbox() -> None:
    a = generate_mailbox(200, seed=1)
    b = generate_mailbox(200, seed=2)
    assert [m.raw for m in a.messages] != [m.raw for m in b.messages]
    assert len({m.raw for m in a.messages} & {m.raw for m in b.messages}) == 0


def test_streaming_equals_list(mailbox600: Mailbox) -> None:
    streamed = iter_messages(600, seed=7)
    for expected, got in zip(mailbox600.messages, streamed, strict=True):
        assert expected == got


@pytest.mark.parametrize("size", [10, 11, 57, 600])
def test_exact_size_and_date_order(size: int) -> None:
    mb = generate_mailbox(size)
    assert len(mb.messages) == size
    dates = [m.date for m in mb.messages]
    assert dates == sorted(dates)


@pytest.mark.parametrize("size", [0, 9, 200_001])
def test_size_out_of_range_is_refused(size: int) -> None:
    with pytest.raises(ValueError):
        generate_mailbox(size)


def test_start_and_weeks_bound_the_dates() -> None:
    start = datetime(2027, 3, 15)  # naive: taken as Europe/Paris; crosses the spring DST change
    mb = generate_mailbox(300, seed=5, start=start, weeks=3)
    first = datetime(2027, 3, 15, tzinfo=TZ)
    assert all(first <= m.date < datetime(2027, 4, 5, tzinfo=TZ) for m in mb.messages)
    offsets = {parse(m.raw)["Date"].datetime.utcoffset() for m in mb.messages
               if "+01" in m.raw.split(b"\r\nDate: ", 1)[1][:40].decode()
               or "+02" in m.raw.split(b"\r\nDate: ", 1)[1][:40].decode()}
    assert len(offsets) == 2  # winter and summer time both appear


def test_default_start_is_a_fixed_monday(mailbox600: Mailbox) -> None:
    assert DEFAULT_START.weekday() == 0
    assert mailbox600.messages[0].date >= DEFAULT_START
    assert mailbox600.messages[-1].date < datetime(2026, 11, 30, tzinfo=TZ)


# --- every message parses --------------------------------------------------------------------


def _defects(msg: EmailMessage) -> list[str]:
    found: list[str] = []
    for part in msg.walk():
        found += [repr(d) for d in part.defects]
        for name in ("From", "To", "Cc", "Subject", "Reply-To", "Date", "Message-ID"):
            value = part.get(name)
            if value is not None:
                found += [repr(d) for d in getattr(value, "defects", ())]
        if not part.is_multipart():
            part.get_content()  # raises on undecodable content
    return found


def test_every_message_parses_without_defects(mailbox600: Mailbox,
                                              mailbox_big: Mailbox) -> None:
    for m in mailbox600.messages + mailbox_big.messages:
        msg = parse(m.raw)
        assert _defects(msg) == [], (m.kind, m.message_id)
        assert msg["Message-ID"] == m.message_id
        assert parsedate_to_datetime(msg["Date"]) == m.date
        assert msg["MIME-Version"] == "1.0"
        assert b"\r\n" in m.raw and b"\n" not in m.raw.replace(b"\r\n", b"")
        assert max(len(line) for line in m.raw.split(b"\r\n")) <= 998


def test_no_template_leftovers(mailbox600: Mailbox) -> None:
    """Every slot is filled, every choice made, and the French reads right."""
    bad = re.compile(r"\{[a-z_]+\}|\[\[|\]\]|\x00| de (octobre|avril|août)| à Les | à Le ")
    for m in mailbox600.messages:
        msg = parse(m.raw)
        for text in [str(msg["Subject"]), *texts(msg)]:
            assert not bad.search(text), (m.kind, bad.search(text), text[:200])


def test_message_ids_are_unique(mailbox_big: Mailbox) -> None:
    ids = [m.message_id for m in mailbox_big.messages]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", i) for i in ids)


# --- proportions and ground truth ------------------------------------------------------------


def test_all_kinds_present_at_600(mailbox600: Mailbox) -> None:
    kinds = Counter(m.kind for m in mailbox600.messages)
    assert set(kinds) == set(KIND_NAMES)


def test_proportions_look_like_a_month(mailbox600: Mailbox) -> None:
    n = len(mailbox600.messages)
    groups = Counter(GROUP[m.kind] for m in mailbox600.messages)
    assert 0.30 <= groups["people"] / n <= 0.40
    assert 0.15 <= groups["internal"] / n <= 0.25
    assert 0.25 <= groups["bulk"] / n <= 0.35
    assert 0.02 <= groups["phishing"] / n <= 0.04
    assert 0.01 <= groups["aggressive"] / n <= 0.03
    people = [m for m in mailbox600.messages if GROUP[m.kind] == "people"]
    asking = sum(Flag.REPLY_EXPECTED in m.expected_flags for m in people)
    assert 0.4 <= asking / len(people) <= 0.75
    after = sum(Flag.AFTER_HOURS in m.expected_flags for m in mailbox600.messages)
    assert 0.1 <= after / n <= 0.35


def test_expected_lanes_follow_the_scenarios(mailbox600: Mailbox) -> None:
    owner = demo_owner().email
    for m in mailbox600.messages:
        msg = parse(m.raw)
        if m.folder == "Sent":
            assert m.kind == "sent" and m.expected_lane is None
            assert msg["From"].addresses[0].addr_spec == owner
            assert "Received" not in msg
            continue
        assert m.folder == "INBOX" and isinstance(m.expected_lane, Lane)
        group = GROUP[m.kind]
        if m.kind in ("newsletter", "notification", "auto_reply"):
            assert m.expected_lane is Lane.BULK
        elif group == "phishing":
            assert m.expected_lane is Lane.SUSPECT
        elif m.kind in ("reply", "usager_request", "aggressive", "complaint", "distress",
                        "quoted_insult", "child_at_risk"):
            assert m.expected_lane is Lane.PRIORITY
        elif m.kind == "internal_note":
            assert m.expected_lane is Lane.INFO
        recipients = [a.addr_spec for h in ("To", "Cc") if msg[h] is not None
                      for a in msg[h].addresses]
        if m.expected_lane is Lane.PRIORITY:
            assert owner in [a.addr_spec for a in msg["To"].addresses]
        if m.expected_lane is Lane.INFO:
            assert owner not in [a.addr_spec for a in msg["To"].addresses]
            assert owner in recipients or m.kind in ("internal_note",) or \
                any(a.endswith("@haute-lisiere.fr") for a in recipients)


def test_flags_match_the_messages(mailbox600: Mailbox) -> None:
    for m in mailbox600.messages:
        msg = parse(m.raw)
        when = parsedate_to_datetime(msg["Date"])
        assert (Flag.AFTER_HOURS in m.expected_flags) == is_after_hours(when)
        assert (Flag.AGGRESSIVE in m.expected_flags) == (m.kind == "aggressive")
        if m.kind == "usager_request":
            assert Flag.REPLY_EXPECTED in m.expected_flags
        if m.kind in ("newsletter", "notification", "phishing", "sent", "internal_note"):
            assert Flag.REPLY_EXPECTED not in m.expected_flags


def test_after_hours_rule() -> None:
    assert not is_after_hours(datetime(2026, 11, 2, 8, 30, tzinfo=TZ))
    assert is_after_hours(datetime(2026, 11, 2, 8, 29, tzinfo=TZ))
    assert is_after_hours(datetime(2026, 11, 2, 18, 0, tzinfo=TZ))
    assert not is_after_hours(datetime(2026, 11, 2, 17, 59, tzinfo=TZ))
    assert is_after_hours(datetime(2026, 11, 7, 11, 0, tzinfo=TZ))  # Saturday
    assert is_after_hours(datetime(2026, 11, 2, 17, 30, tzinfo=ZoneInfo("UTC")))  # 18:30 Paris


def test_hard_negatives_are_not_aggressive(mailbox600: Mailbox) -> None:
    for kind in ("complaint", "distress", "child_at_risk", "quoted_insult"):
        found = [m for m in mailbox600.messages if m.kind == kind]
        assert found
        assert all(Flag.AGGRESSIVE not in m.expected_flags for m in found)
    violent = [m for m in mailbox600.messages if m.kind in ("child_at_risk", "quoted_insult")]
    assert any(re.search(r"tuer|crever|frapp|coups|strangulation|mourir", " ".join(texts(parse(
        m.raw)))) for m in violent)


# --- headers and layouts ---------------------------------------------------------------------


def test_bulk_headers(mailbox600: Mailbox) -> None:
    for m in mailbox600.messages:
        msg = parse(m.raw)
        if m.kind == "newsletter":
            assert msg["List-Id"] and msg["List-Unsubscribe"]
            assert msg["Precedence"] in ("bulk", "list")
        if m.kind == "notification":
            assert msg["Auto-Submitted"] in ("auto-generated", "auto-replied")
        if m.kind == "auto_reply":
            assert msg["Auto-Submitted"] == "auto-replied"
    assert any(parse(m.raw)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
               for m in mailbox600.messages if m.kind == "newsletter")


def test_inbound_trace_headers(mailbox600: Mailbox) -> None:
    for m in mailbox600.messages:
        if m.folder != "INBOX":
            continue
        msg = parse(m.raw)
        assert msg.get_all("Received")
        results = msg.get_all("Authentication-Results")
        assert results and results[0].startswith("mx.haute-lisiere.fr;")
        assert msg["Delivered-To"] == demo_owner().email


def test_threads_quote_and_reference_their_parents(mailbox600: Mailbox) -> None:
    sent_ids = {m.message_id for m in mailbox600.messages if m.folder == "Sent"}
    inbox_ids = {m.message_id for m in mailbox600.messages if m.folder == "INBOX"}
    replies = [m for m in mailbox600.messages if m.kind == "reply"]
    linked = 0
    styles = Counter()
    for m in replies:
        msg = parse(m.raw)
        assert msg["In-Reply-To"] and msg["References"]
        assert msg["In-Reply-To"] in msg["References"]
        assert re.match(r"(?i)re ?: ", msg["Subject"])
        linked += msg["In-Reply-To"] in sent_ids
        body = texts(msg)[0]
        styles.update(s for s, pat in (("gmail", r"^Le \w+\. \d+ \w+\.? \d{4} à \d\d:\d\d, .+ a "
                                                  r"écrit :$"),
                                       ("outlook", r"^De : .+\nEnvoyé : "),
                                       ("apple", r"^> Le \d+ \w+\.? \d{4} à "),
                                       ("quoted", r"^> "))
                      if re.search(pat, body, re.M))
    assert linked >= len(replies) // 2
    assert styles["gmail"] and styles["quoted"]
    owner_replies = [m for m in mailbox600.messages if m.kind == "sent"
                     and parse(m.raw)["In-Reply-To"]]
    assert owner_replies
    assert sum(parse(m.raw)["In-Reply-To"] in inbox_ids for m in owner_replies) >= \
        len(owner_replies) // 2
    assert any(re.search(r"^De : .+\nEnvoyé : .+\nÀ : .+\nObjet : ", texts(parse(m.raw))[0],
                         re.M) for m in owner_replies)


def test_layout_variety(mailbox600: Mailbox) -> None:
    seen: Counter[str] = Counter()
    for m in mailbox600.messages:
        msg = parse(m.raw)
        head = m.raw.split(b"\r\n\r\n", 1)[0]
        if b"=?" in head:
            seen["encoded-word"] += 1
        for part in msg.walk():
            seen[part.get_content_type()] += 1
            cte = part.get("Content-Transfer-Encoding")
            if cte:
                seen[cte.lower()] += 1
            cs = part.get_content_charset()
            if cs:
                seen[cs] += 1
    for key in ("multipart/alternative", "multipart/mixed", "text/html", "text/calendar",
                "quoted-printable", "base64", "8bit", "encoded-word", "utf-8",
                "application/pdf", "image/jpeg"):
        assert seen[key], key
    assert seen["iso-8859-1"] + seen["windows-1252"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def _host(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].lower()


def test_phishing_lures_carry_their_tricks(mailbox_big: Mailbox) -> None:
    lures = [parse(m.raw) for m in mailbox_big.messages if m.kind == "phishing"]
    tricks: Counter[str] = Counter()
    for msg in lures:
        if msg["Reply-To"]:
            tricks["reply-to"] += 1
        for part in msg.iter_attachments():
            tricks[part.get_filename().rsplit(".", 1)[-1]] += 1
        html = msg.get_body(("html",))
        if html is not None:
            p = _Links()
            p.feed(html.get_content())
            for text, href in p.links:
                if text.startswith("http") and _host(text) != _host(href):
                    tricks["link-mismatch"] += 1
        if "Sophie Renard" in str(msg["From"]):
            tricks["display-name"] += 1
        if "xn--" in str(msg["From"]):
            tricks["homoglyph"] += 1
        auth = msg.get_all("Authentication-Results")
        if "dmarc=fail" in auth[0]:
            tricks["dmarc-fail"] += 1
    for trick in ("reply-to", "html", "zip", "docm", "link-mismatch", "display-name",
                  "homoglyph", "dmarc-fail"):
        assert tricks[trick], trick


def test_legitimate_institutions_use_their_real_domains(mailbox600: Mailbox) -> None:
    domains = {"caf": "caf.fr", "cpam": "assurance-maladie.fr",
               "france_travail": "francetravail.fr", "court": "justice.fr"}
    for m in mailbox600.messages:
        if m.kind in domains:
            sender = parse(m.raw)["From"].addresses[0].domain
            assert sender == domains[m.kind]


def test_variety_of_text(mailbox600: Mailbox) -> None:
    subjects = {str(parse(m.raw)["Subject"]) for m in mailbox600.messages}
    senders = {parse(m.raw)["From"].addresses[0].addr_spec for m in mailbox600.messages}
    assert len(subjects) > 250
    assert len(senders) > 120
