"""`accalmie demo`: the whole product on a generated mailbox, with no server needed.

Generates the mailbox deterministically, writes it as a Maildir, triages it with the same code
as a real account (store included), compares the lanes with what the generator intended, and
writes the HTML overview page.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from accalmie.config import Account, Config
from accalmie.demo.corpus_fr import MX_HOST
from accalmie.demo.generator import generate_mailbox, write_maildir
from accalmie.demo.overview import render_overview
from accalmie.disconnect.hours import parse_section as parse_hours
from accalmie.mail.model import Message
from accalmie.service import TriageSummary, open_store, triage_files
from accalmie.triage.decision import Decision, Flag

Progress = Callable[[str, int, int | None], None]


@dataclass
class DemoResult:
    summary: TriageSummary
    owner: str
    agreement: float | None
    html_path: Path
    maildir: Path
    db_path: Path
    # per flag: (found and expected, found but not expected, expected but missed)
    flags: dict[Flag, tuple[int, int, int]] = field(default_factory=dict)


def demo_config(mailbox, db_path: Path) -> tuple[Config, Account]:  # type: ignore[no-untyped-def]
    owner_email = mailbox.owner.email
    account = Account(name="demo", email=owner_email,
                      internal_domains=(owner_email.rpartition("@")[2],),
                      trusted_authserv_ids=(MX_HOST,))
    # The generator's working time: Monday to Friday, 08:30 to 18:00, French holidays off.
    hours = parse_hours({"timezone": "Europe/Paris", "days": "lun-ven",
                         "ranges": ["08:30-18:00"]}, None, "hours.")
    return Config(store=str(db_path), accounts=(account,), sections={"hours": hours}), account


def run_demo(out: Path, *, size: int = 600, seed: int = 7, lang: str = "fr",
             progress: Progress | None = None) -> DemoResult:
    out = Path(out).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    maildir = out / "Maildir"
    db_path = out / "accalmie-demo.db"
    # A demo run starts from scratch so that it shows the same result every time.
    shutil.rmtree(maildir, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if progress:
        progress("demo", 0, size)
    mailbox = generate_mailbox(size=size, seed=seed)
    write_maildir(mailbox, maildir)
    if progress:
        progress("demo", size, size)
    config, account = demo_config(mailbox, db_path)
    store = open_store(config)
    try:
        summary = triage_files(maildir, store, config, account, progress=progress,
                               keep_rows=True)
    finally:
        store.close()
    expected = {m.message_id: m.expected_lane.value for m in mailbox.messages
                if m.expected_lane is not None}
    judged = [(msg, d) for msg, d in summary.rows if msg.message_id in expected]
    agreement = (sum(expected[msg.message_id] == d.lane.value for msg, d in judged)
                 / len(judged)) if judged else None
    wanted = {m.message_id: m.expected_flags for m in mailbox.messages
              if m.expected_lane is not None}
    flags = {flag: _flag_counts(flag, judged, wanted) for flag in Flag}
    html_path = out / "apercu.html" if lang == "fr" else out / "overview.html"
    rows = sorted(summary.rows, key=lambda r: r[0].date.timestamp() if r[0].date else 0,
                  reverse=True)
    html_path.write_text(render_overview(rows, mailbox.owner, lang), encoding="utf-8")
    return DemoResult(summary, str(mailbox.owner), agreement, html_path, maildir, db_path,
                      flags)


def _flag_counts(flag: Flag, judged: list[tuple[Message, Decision]],
                 wanted: dict[str, frozenset[Flag]]) -> tuple[int, int, int]:
    """(true positives, false positives, misses) of one flag against the generator."""
    tp = fp = fn = 0
    for msg, decision in judged:
        found, expected = flag in decision.flags, flag in wanted[msg.message_id]
        tp += found and expected
        fp += found and not expected
        fn += expected and not found
    return tp, fp, fn
