"""What a digest says, and how it reads: plain text, accessible HTML, one MIME message.

Written to be read in one minute: the counts per lane in one line, then only what needs the
reader (a few priority items with why, what was held, suspect and aggressive messages with
their warning, outbox problems), the newsletters as one list of unsubscribe links. Every text
comes from the store's decisions (no message body is read again, none is quoted beyond the
subject). Strings are msgids here, so the catalogs carry them; the template is structure only,
with autoescape on: a hostile subject stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from functools import lru_cache
from pathlib import Path
from typing import Any

from accalmie.i18n import N_, gettext_for
from accalmie.store import Store
from accalmie.store.outbox import (
    OutboxItem,
    lane_counts_between,
    messages_between,
    messages_by_ids,
    outbox_list,
)
from accalmie.triage.decision import Flag, Lane, lane_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
TOP = {Lane.PRIORITY: 5, Lane.INFO: 3, Lane.SUSPECT: 10}
MAX_NEWSLETTERS = 15
MAX_HELD = 10
_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>\"'\x00-\x1f]{1,1900}$", re.IGNORECASE)

T = {
    "title": N_("Accalmie — your digest of {when}"),
    "intro": N_("Since {since}:"),
    "nothing": N_("Nothing new since {since}. Enjoy the calm."),
    "lanes": N_("What waits in each lane"),
    "more": N_("and {n} more"),
    "held": N_("Held outside your working hours"),
    "held_line": N_("{n} messages arrived outside your working hours and waited for you."),
    "warnings": N_("Be careful with these messages"),
    "newsletters": N_("Newsletters and notifications"),
    "unsubscribe": N_("unsubscribe"),
    "unsubscribe_from": N_("Unsubscribe from {name}"),
    "no_link": N_("no unsubscribe link"),
    "outbox": N_("Your messages to send"),
    "outbox_waiting": N_("{n} messages wait to be sent; the next one leaves {when}."),
    "footer": N_("Accalmie sorted these messages on your computer; none of them left it. "
                 "To change the times of this digest, edit [digest] times in your "
                 "configuration."),
    "why": N_("why"),
    "aggressive": N_("Aggressive message: read it when you are ready, or hand it to a "
                     "colleague."),
    "suspect": N_("Possible phishing or malware: do not open links or attachments."),
    "no_subject": N_("(no subject)"),
    "from": N_("from"),
    "messages": N_("{n} messages"),
}


def t(lang: str, key: str, **params: Any) -> str:
    text = gettext_for(lang, T[key])
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


@dataclass
class Item:
    sender: str
    subject: str
    why: str = ""
    flags: list[str] = field(default_factory=list)


@dataclass
class LaneBlock:
    lane: str
    label: str
    count: int
    items: list[Item]
    more: int = 0


@dataclass
class Newsletter:
    name: str
    count: int
    link: str = ""


@dataclass
class OutboxLine:
    subject: str
    recipients: str
    state: str
    problem: str


@dataclass
class Digest:
    """The content of one digest, already in the reader's language."""

    lang: str
    title: str
    intro: str
    summary: list[tuple[str, int]]  # (lane label, count)
    lanes: list[LaneBlock]
    held: list[Item]
    held_count: int
    warnings: list[Item]
    newsletters: list[Newsletter]
    newsletters_more: int
    outbox: list[OutboxLine]
    outbox_waiting: str
    footer: str
    since_text: str = ""

    @property
    def empty(self) -> bool:
        return not (any(n for _l, n in self.summary) or self.held_count or self.outbox
                    or self.outbox_waiting)


def _sender(row: Any) -> str:
    return (row.from_name or row.from_email or "?")[:80]


def _item(row: Any, lang: str, *, why: bool = True) -> Item:
    reasons = row.decision.explain(lang) if why and row.decision else []
    flags = sorted(f.value for f in row.decision.flags) if row.decision else []
    return Item(_sender(row), (row.subject or t(lang, "no_subject"))[:140],
                reasons[0][:200] if reasons else "", flags)


def unsubscribe_link(urls: tuple[str, ...] | list[str]) -> str:
    """The link to offer: https first, then http, then mailto; '' when none is safe."""
    clean = [u.strip().strip("<>").strip() for u in urls]
    safe = [u for u in clean if _SAFE_URL.match(u)]
    for prefix in ("https://", "http://", "mailto:"):
        for u in safe:
            if u.lower().startswith(prefix):
                return u
    return ""


def _newsletters(rows: list[Any]) -> tuple[list[Newsletter], int]:
    groups: dict[str, Newsletter] = {}
    for row in rows:
        key = row.list_id or row.from_email or "?"
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = Newsletter(_sender(row), 0)
        entry.count += 1
        if not entry.link:
            entry.link = unsubscribe_link(list(row.list_unsubscribe))
    ordered = sorted(groups.values(), key=lambda n: (-n.count, n.name.lower()))
    return ordered[:MAX_NEWSLETTERS], max(0, len(ordered) - MAX_NEWSLETTERS)


def _held(store: Store, account_id: int, since: datetime | None, until: datetime,
          lang: str) -> tuple[int, list[Item]]:
    """Messages held outside working hours in the period: from the hold records when the
    hold capability is there, else from the after-hours flag the triage gives."""
    try:
        from accalmie.store.hold import held_between
    except ImportError:
        held_between = None  # type: ignore[assignment]
    if held_between is not None:
        records = held_between(store, account_id, since, until)
        rows = messages_by_ids(store, [r.message_row_id for r in records][:MAX_HELD * 5])
        rows.sort(key=lambda r: (r.date or r.created_at), reverse=True)
        return len(records), [_item(r, lang, why=False) for r in rows[:MAX_HELD]]
    rows = messages_between(store, account_id, since, until, flag=Flag.AFTER_HOURS.value,
                            limit=500)
    return len(rows), [_item(r, lang, why=False) for r in rows[:MAX_HELD]]


def build(store: Store, account_id: int, *, since: datetime | None, until: datetime,
          lang: str, when_text: str, since_text: str, outbox_waiting: str = "",
          describe: Any = None) -> Digest:
    """Gather the digest of ``[since, until)`` from the store."""
    counts = lane_counts_between(store, account_id, since, until)
    lanes: list[LaneBlock] = []
    for lane in (Lane.PRIORITY, Lane.INFO):
        n = counts.get(lane.value, 0)
        if not n:
            continue
        rows = messages_between(store, account_id, since, until, lane=lane.value,
                                limit=TOP[lane] * 3)
        rows.sort(key=lambda r: Flag.REPLY_EXPECTED not in r.decision.flags)
        shown = [_item(r, lang) for r in rows[:TOP[lane]]]
        lanes.append(LaneBlock(lane.value, lane_label(lane, lang), n, shown,
                               max(0, n - len(shown))))
    warnings: list[Item] = []
    seen: set[int] = set()
    for row in messages_between(store, account_id, since, until, lane=Lane.SUSPECT.value,
                                limit=TOP[Lane.SUSPECT]):
        item = _item(row, lang)
        item.why = t(lang, "suspect") + (f" ({item.why})" if item.why else "")
        item.flags = ["suspect", *item.flags]
        warnings.append(item)
        seen.add(row.id)
    for row in messages_between(store, account_id, since, until,
                                flag=Flag.AGGRESSIVE.value, limit=TOP[Lane.SUSPECT]):
        if row.id in seen:
            continue
        item = _item(row, lang)
        item.why = t(lang, "aggressive")
        warnings.append(item)
    bulk = messages_between(store, account_id, since, until, lane=Lane.BULK.value, limit=500)
    newsletters, more = _newsletters(bulk)
    held_count, held = _held(store, account_id, since, until, lang)
    outbox = [OutboxLine((i.subject or i.message_id or "?")[:140],
                         ", ".join(i.recipients[:3]) + ("…" if len(i.recipients) > 3 else ""),
                         _state(i, lang), describe(i, lang) if describe else i.error)
              for i in outbox_list(store, account_id, ("failed", "invalid", "uncertain"),
                                   limit=20)]
    summary = [(lane_label(lane, lang), counts.get(lane.value, 0)) for lane in Lane]
    return Digest(lang=lang, title=t(lang, "title", when=when_text),
                  intro=t(lang, "intro", since=since_text), summary=summary, lanes=lanes,
                  held=held, held_count=held_count, warnings=warnings,
                  newsletters=newsletters, newsletters_more=more, outbox=outbox,
                  outbox_waiting=outbox_waiting, footer=t(lang, "footer"),
                  since_text=since_text)


def _state(item: OutboxItem, lang: str) -> str:
    from accalmie.disconnect.outbox import state_label

    return state_label(item.state, lang)


# -- rendering -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(["html"], default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(d: Digest) -> str:
    labels = {key: t(d.lang, key) for key in ("lanes", "held", "warnings", "newsletters",
                                              "unsubscribe", "no_link", "outbox", "why",
                                              "from")}
    return _environment().get_template("digest.html").render(
        d=d, labels=labels, more=lambda n: t(d.lang, "more", n=n),
        unsubscribe_from=lambda name: t(d.lang, "unsubscribe_from", name=name),
        held_line=t(d.lang, "held_line", n=d.held_count),
        nothing=t(d.lang, "nothing", since=d.since_text))


def render_text(d: Digest) -> str:
    """The plain-text alternative: the same content, for any client and screen reader."""
    if d.empty:
        return "\n".join([d.title, "", t(d.lang, "nothing", since=d.since_text), "", "-- ",
                          d.footer, ""])
    lines = [d.title, "=" * min(len(d.title), 72), "", d.intro,
             "  " + " · ".join(f"{label} : {n}" if d.lang == "fr" else f"{label}: {n}"
                               for label, n in d.summary), ""]
    for block in d.lanes:
        lines.append(f"{block.label} ({block.count})")
        for it in block.items:
            lines.append(f"  - {it.sender} — {it.subject}")
            if it.why:
                lines.append(f"    {t(d.lang, 'why')} : {it.why}" if d.lang == "fr"
                             else f"    {t(d.lang, 'why')}: {it.why}")
        if block.more:
            lines.append("  " + t(d.lang, "more", n=block.more))
        lines.append("")
    if d.warnings:
        lines.append(t(d.lang, "warnings"))
        for it in d.warnings:
            lines.append(f"  ! {it.sender} — {it.subject}")
            lines.append(f"    {it.why}")
        lines.append("")
    if d.held_count:
        lines.append(t(d.lang, "held"))
        lines.append("  " + t(d.lang, "held_line", n=d.held_count))
        for it in d.held:
            lines.append(f"  - {it.sender} — {it.subject}")
        lines.append("")
    if d.outbox or d.outbox_waiting:
        lines.append(t(d.lang, "outbox"))
        for o in d.outbox:
            who = f" ({o.recipients})" if o.recipients else ""
            colon = " :" if d.lang == "fr" else ":"
            lines.append(f"  ! {o.subject}{who} — {o.state}{colon} {o.problem}")
        if d.outbox_waiting:
            lines.append("  " + d.outbox_waiting)
        lines.append("")
    if d.newsletters:
        lines.append(t(d.lang, "newsletters"))
        for n in d.newsletters:
            link = n.link or t(d.lang, "no_link")
            lines.append(f"  - {n.name} ({n.count}) : {link}" if d.lang == "fr"
                         else f"  - {n.name} ({n.count}): {link}")
        if d.newsletters_more:
            lines.append("  " + t(d.lang, "more", n=d.newsletters_more))
        lines.append("")
    lines += ["-- ", d.footer, ""]
    return "\n".join(lines)


def as_message(d: Digest, *, address: str, to: str, when: datetime, message_id: str,
               slot: datetime) -> bytes:
    """The digest as one multipart/alternative message (text first, then HTML)."""
    msg = EmailMessage()
    msg["From"] = formataddr(("Accalmie", address)) if address else "Accalmie"
    msg["To"] = to or address
    msg["Subject"] = d.title
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Accalmie-Digest"] = slot.strftime("%Y-%m-%dT%H:%M:%SZ")
    msg.set_content(render_text(d))
    msg.add_alternative(render_html(d), subtype="html")
    msg["Content-Language"] = d.lang  # after: set_content clears the Content-* fields
    return msg.as_bytes(policy=SMTP)


__all__ = ["Digest", "as_message", "build", "render_html", "render_text", "unsubscribe_link"]
