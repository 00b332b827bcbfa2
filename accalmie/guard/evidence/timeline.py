"""The dated timeline of a pack: one entry per message, as HTML and as PDF.

Entries are built once from the verified originals (parsed again, so the excerpt is the whole
new text rather than the store's short one), pseudonymised when asked, and then both the HTML
page and the JSON manifest are written from the same entries, so they always agree. Message
fields are hostile input: the template autoescapes everything, the page loads nothing from
outside, and the PDF renderer is given a fetcher that refuses every URL.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_time
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from accalmie.guard.evidence.category import Category, assess, categorise
from accalmie.guard.evidence.collect import Original
from accalmie.guard.evidence.pseudonymise import Pseudonymiser
from accalmie.i18n import N_, gettext_for
from accalmie.mail.model import Address, Message
from accalmie.mail.parse import parse_message
from accalmie.triage.decision import Lane

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
EXCERPT_CHARS = 900  # of the new text, from its start
CONTEXT_CHARS = 140  # around a highlighted passage beyond the start
MAX_WINDOWS = 3  # extra passages shown after the start

STRINGS = {
    "title": N_("Evidence pack — timeline of {n} messages"),
    "heading": N_("Timeline of the messages"),
    "account": N_("Mailbox: {account}"),
    "period": N_("From {first} to {last}"),
    "generated": N_("Made by Accalmie on {date}, from the originals kept in this pack."),
    "pseudonymised": N_("Third parties' names and addresses are replaced by pseudonyms in this "
                        "timeline and in manifest.json. The original messages in the folder "
                        "originals/ are unchanged and show the real names."),
    "times": N_("Times are in the time zone {tz}."),
    "summary": N_("Summary"),
    "number": N_("No."),
    "date": N_("Date"),
    "from": N_("From"),
    "to": N_("To"),
    "subject": N_("Subject"),
    "category": N_("Category"),
    "excerpt": N_("Excerpt (new text, quotes left out)"),
    "lane": N_("Lane"),
    "flags": N_("Flags"),
    "hostility_grade": N_("Hostility: {grade}"),
    "why": N_("Why"),
    "file": N_("Original"),
    "sha256": N_("SHA-256"),
    "message_id": N_("Message-ID"),
    "no_subject": N_("(no subject)"),
    "no_text": N_("(no text)"),
    "unknown": N_("(unknown)"),
    "undated": N_("(no date)"),
    "highlight": N_("Highlighted: passages the hostility check found offending."),
    "verify_title": N_("How to check this pack"),
    "verify": N_("Every file of the pack is listed with its SHA-256 fingerprint in SHA256SUMS. "
                 "In a terminal, in the unzipped folder: sha256sum -c SHA256SUMS (every line "
                 "must end with OK), or: accalmie evidence verify followed by the ZIP file. "
                 "Each original's fingerprint is also the one Accalmie recorded when it "
                 "sorted the message, checked again when this pack was made."),
    "first_seen": N_("First read by Accalmie"),
    "gap": N_("[…]"),
    "entry": N_("Message {n}"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One message as the timeline and the manifest show it (already pseudonymised)."""

    number: int
    filename: str  # path inside the pack
    sha256: str
    size: int
    date: datetime | None  # UTC
    date_text: str
    sender_name: str
    sender_email: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    segments: tuple[tuple[str, bool], ...]  # excerpt pieces, True = highlighted
    category: Category
    first_seen: datetime
    first_seen_text: str
    location: str

    @property
    def sender(self) -> str:
        if self.sender_name and self.sender_email:
            return f"{self.sender_name} <{self.sender_email}>"
        return self.sender_name or self.sender_email

    @property
    def excerpt(self) -> str:
        return "".join(text for text, _mark in self.segments)


def local_text(when: datetime | None, tz: tzinfo, lang: str) -> str:
    """'mardi 14 mai 2024, 23:12 (UTC+02:00)' in the user's zone and language."""
    if when is None:
        return gettext_for(lang, STRINGS["undated"])
    local = when.astimezone(tz)
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return (f"{format_date(local, 'full', locale=lang)}, "
            f"{format_time(local, 'short', locale=lang)} ({offset})")


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def excerpt_segments(text: str, spans: Sequence[tuple[int, int]], gap: str,
                     limit: int = EXCERPT_CHARS) -> list[tuple[str, bool]]:
    """The start of the text, then the highlighted passages found further on, with context.

    Whitespace is collapsed inside each piece; offsets are those of ``text``.
    """
    marks = _merge(spans)
    windows = [(0, _word_end(text, limit))]
    for start, end in marks:
        if start >= windows[-1][1] and len(windows) <= MAX_WINDOWS:
            lo = max(_word_start(text, start - CONTEXT_CHARS), windows[-1][1])
            windows.append((lo, _word_end(text, end + CONTEXT_CHARS)))
        elif start < windows[-1][1] < end:
            windows[-1] = (windows[-1][0], min(len(text), end))
    pieces: list[tuple[str, bool]] = []
    for w, (lo, hi) in enumerate(windows):
        if w or lo > 0:
            pieces.append((f" {gap} ", False))
        pos = lo
        for start, end in marks:
            if end <= lo or start >= hi:
                continue
            start, end = max(start, lo), min(end, hi)
            if start > pos:
                pieces.append((text[pos:start], False))
            pieces.append((text[start:end], True))
            pos = end
        if pos < hi:
            pieces.append((text[pos:hi], False))
    if windows[-1][1] < len(text):
        pieces.append((f" {gap}", False))
    return [(_squash(t), m) for t, m in pieces if _squash(t)]


def _word_end(text: str, pos: int) -> int:
    """``pos``, moved back to the end of a word when it falls inside one (not too far)."""
    if pos >= len(text):
        return len(text)
    cut = max(text.rfind(" ", pos - 40, pos), text.rfind("\n", pos - 40, pos))
    return cut if cut > 0 else pos


def _word_start(text: str, pos: int) -> int:
    if pos <= 0:
        return 0
    cut = text.find(" ", pos, pos + 40)
    return cut + 1 if cut >= 0 else pos


def _squash(text: str) -> str:
    """Collapse runs of whitespace, keeping one space at the edges where there was some."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def _sort_key(item: tuple[Original, Message]) -> tuple[float, int]:
    original, msg = item
    when = msg.date or original.row.date
    return (when.timestamp() if when else float("inf"), original.row.id)


def build_entries(originals: Sequence[Original], pseudo: Pseudonymiser, tz: tzinfo,
                  lang: str, filename: Any) -> list[Entry]:
    """Entries in date order; ``filename(number, date, subject)`` names each original."""
    parsed = sorted(((o, parse_message(o.raw)) for o in originals), key=_sort_key)
    for original, msg in parsed:  # everyone in the headers first: stable pseudonyms
        pseudo.learn([msg.from_, msg.sender, *msg.reply_to], people=not _bulk(original, msg))
        pseudo.learn([*msg.to, *msg.cc])
    gap = gettext_for(lang, STRINGS["gap"])
    entries: list[Entry] = []
    for number, (original, msg) in enumerate(parsed, start=1):
        row = original.row
        when = msg.date or row.date
        when = when.astimezone(UTC) if when else None
        sender = msg.from_ or (Address(row.from_name, row.from_email) if row.from_email
                               else None)
        name, email = pseudo.person(sender)
        text = msg.new_text or msg.text
        hostile = assess(text, lang, msg.language or row.language)
        segments = excerpt_segments(text, hostile.spans if hostile else (), gap)
        category = categorise(row, hostile, lang)
        category = replace(category, reasons=tuple(pseudo.text(r) for r in category.reasons))
        subject = pseudo.text(msg.subject or row.subject)
        entries.append(Entry(
            number=number, filename=filename(number, when, subject), sha256=row.raw_sha256,
            size=len(original.raw), date=when, date_text=local_text(when, tz, lang),
            sender_name=pseudo.text(name) if name else "", sender_email=email,
            recipients=tuple(_shown(pseudo, a) for a in (*msg.to, *msg.cc)[:50]),
            subject=subject, message_id=_message_id(pseudo, msg.message_id or row.message_id),
            segments=tuple((pseudo.text(t), m) for t, m in segments), category=category,
            first_seen=row.created_at, first_seen_text=local_text(row.created_at, tz, lang),
            location=pseudo.text(original.location)))
    return entries


def _bulk(original: Original, msg: Message) -> bool:
    """Sent by an organisation (a list, a newsletter, a notification), not by a person."""
    return bool(msg.list_id or msg.precedence in ("bulk", "list", "junk")
                or msg.auto_submitted not in ("", "no")
                or original.row.decision.lane == Lane.BULK)


def _shown(pseudo: Pseudonymiser, addr: Address) -> str:
    name, email = pseudo.person(addr)
    return f"{name} <{email}>" if name and email else (name or email)


def _message_id(pseudo: Pseudonymiser, mid: str) -> str:
    """A Message-ID links the timeline to an original: kept, except a known person's address
    written inside it."""
    inner = mid.strip("<>")
    if pseudo.enabled and pseudo.knows(inner):
        return f"<{pseudo.address(inner)}>"
    return mid


# -- rendering ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(["html"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(entries: Sequence[Entry], *, account: str, lang: str, tz_name: str,
                generated: datetime, tz: tzinfo, pseudonymised: bool) -> str:
    t = {k: gettext_for(lang, v) for k, v in STRINGS.items()}
    dates = [e.date for e in entries if e.date]
    period = t["period"].format(first=local_text(min(dates), tz, lang),
                                last=local_text(max(dates), tz, lang)) if dates else ""
    css = (TEMPLATES / "evidence.css").read_text(encoding="utf-8")
    return _env().get_template("evidence_timeline.html").render(
        lang=lang, t=t, css=Markup(css), entries=entries, pseudonymised=pseudonymised,
        title=t["title"].format(n=len(entries)), account=t["account"].format(account=account),
        period=period, times=t["times"].format(tz=tz_name),
        generated=t["generated"].format(date=local_text(generated, tz, lang)),
        any_highlight=any(m for e in entries for _t, m in e.segments))


def render_pdf(html: str) -> bytes:
    """The same page as PDF (A4), with system fonts and no resource fetched from anywhere.

    PDF/A-3u (the archival form of PDF, for documents kept for years), tagged so that screen
    readers can read it.

    WeasyPrint's warnings (fonts subset without HarfBuzz, and the like) say nothing to the
    user and are kept off the terminal unless debugging.
    """
    with warnings.catch_warnings():  # "HarfBuzz-Subset will be required" on import
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

    quiet = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    levels = [lg.level for lg in quiet]
    if not logging.getLogger("accalmie").isEnabledFor(logging.DEBUG):
        for lg in quiet:
            lg.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():  # its colour profile file is closed late
            warnings.simplefilter("ignore", ResourceWarning)
            return bytes(HTML(string=html, base_url=None,
                              url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(
                pdf_variant="pdf/a-3u", pdf_tags=True))
    finally:
        for lg, level in zip(quiet, levels, strict=True):
            lg.setLevel(level)
