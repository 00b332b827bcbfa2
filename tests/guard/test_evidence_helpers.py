"""Shared by the evidence tests (no test here): a demo mailbox triaged into a real store, the
pack options they use, and tools to open and tamper with a ZIP."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from accalmie.config import Account, Config
from accalmie.demo import generate_mailbox, write_maildir
from accalmie.demo.generator import DemoMessage, Mailbox
from accalmie.demo.run import demo_config
from accalmie.guard.evidence import PackOptions
from accalmie.guard.evidence.collect import parse_file_key
from accalmie.service import triage_files
from accalmie.store import Store, StoredMessage

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@lru_cache(maxsize=1)
def demo_box() -> Mailbox:
    return generate_mailbox(size=120, seed=3)


@dataclass
class Triaged:
    store: Store
    config: Config
    account: Account
    maildir: Path
    box: Mailbox

    def message(self, mid: str) -> DemoMessage:
        return next(m for m in self.box.messages if m.message_id == mid)

    def of_kind(self, kind: str) -> list[DemoMessage]:
        return [m for m in self.box.messages if m.kind == kind and m.folder == "INBOX"]

    def row(self, mid: str) -> StoredMessage:
        acc = self.store.account_id(self.account.name)
        return self.store.find_messages(acc, message_id=mid, limit=1)[0]

    def path_of(self, mid: str) -> Path:
        rel, offset = parse_file_key(self.row(mid).key)
        assert offset is None
        return self.maildir / rel

    def options(self, out: Path, **kw: object) -> PackOptions:
        defaults: dict[str, object] = {
            "out": out, "account": self.account.email, "lang": "en", "tz": PARIS,
            "tz_name": "Europe/Paris", "own_addresses": self.account.own_addresses, "now": NOW}
        defaults.update(kw)
        return PackOptions(**defaults)  # type: ignore[arg-type]


def triage_demo(store: Store, tmp_path: Path) -> Triaged:
    box = demo_box()
    maildir = tmp_path / "Maildir"
    write_maildir(box, maildir)
    config, account = demo_config(box, tmp_path / "unused.db")
    triage_files(maildir, store, config, account, workers=1)
    return Triaged(store, config, account, maildir, box)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def rewrite_zip(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None] | None = None,
                extra: dict[str, bytes] | None = None, names: Sequence[str] | None = None
                ) -> Path:
    """A copy of a ZIP with members changed (None drops one) and extra ones added."""
    with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if change is not None:
                changed = change(info.filename, data)
                if changed is None:
                    continue
                data = changed
            out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
        for name in names or ():
            out.writestr(name, b"x")
    return dst
