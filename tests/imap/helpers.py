"""Checks made with a fresh IMAP connection, independent of the code under test."""

from __future__ import annotations

import re
from collections import Counter

from imapclient import IMAPClient

from accalmie.config import Account, Config
from accalmie.triage.decision import Lane
from tests.support.dovecot import DovecotServer

LANE_FOLDERS = {
    Lane.PRIORITY: "Accalmie.Prioritaire",
    Lane.INFO: "Accalmie.Pour info",
    Lane.BULK: "Accalmie.Infolettres",
    Lane.SUSPECT: "Accalmie.Suspect",
}
_MID = re.compile(rb"^message-id:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)
_LANE = re.compile(rb"^x-test-lane:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def client(server: DovecotServer, user: str | None = None) -> IMAPClient:
    c = IMAPClient("127.0.0.1", server.port, ssl=False, timeout=30)
    name = user or server.user
    c.login(name, server.users[name])
    return c


def mailbox_contents(server: DovecotServer, user: str | None = None) -> dict[str, list[dict]]:
    """Folder -> messages (uid, message-id, test lane, flags) of every folder."""
    out: dict[str, list[dict]] = {}
    with client(server, user) as c:
        for _flags, _delim, name in c.list_folders():
            info = c.select_folder(name, readonly=True)
            rows: list[dict] = []
            if info.get(b"EXISTS"):
                resp = c.fetch(c.search("ALL"), ["UID", "FLAGS",
                                       "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID X-TEST-LANE)]"])
                for uid, data in resp.items():
                    head = next(v for k, v in data.items() if k.startswith(b"BODY[HEADER"))
                    mid = _MID.search(head)
                    lane = _LANE.search(head)
                    rows.append({"uid": uid, "mid": mid.group(1).decode() if mid else "",
                                 "lane": lane.group(1).decode() if lane else "",
                                 "flags": tuple(data.get(b"FLAGS", ()))})
            out[name] = rows
    return out


def locations(server: DovecotServer, user: str | None = None) -> dict[str, list[str]]:
    """Message-ID -> every folder holding it (a list, to see duplicates)."""
    where: dict[str, list[str]] = {}
    for folder, rows in mailbox_contents(server, user).items():
        for r in rows:
            where.setdefault(r["mid"], []).append(folder)
    return where


def assert_exactly_once(server: DovecotServer, expected: dict[str, str],
                        user: str | None = None) -> None:
    """Every expected Message-ID sits exactly once, in its expected folder; nothing else."""
    where = locations(server, user)
    dupes = {m: f for m, f in where.items() if len(f) > 1}
    assert not dupes, f"duplicated: {list(dupes.items())[:5]} ({len(dupes)} in all)"
    missing = [m for m in expected if m not in where]
    assert not missing, f"lost: {missing[:5]} ({len(missing)} in all)"
    wrong = {m: (where[m][0], f) for m, f in expected.items() if where[m][0] != f}
    assert not wrong, f"misplaced (is, should be): {list(wrong.items())[:5]} ({len(wrong)})"
    counts = Counter(f[0] for f in where.values())
    assert sum(counts.values()) == len(expected), f"unexpected messages: {counts}"
    deleted = [r for rows in mailbox_contents(server, user).values() for r in rows
               if b"\\Deleted" in r["flags"]]
    assert not deleted, f"messages left flagged \\Deleted: {deleted[:3]}"


def config_for(account: Account, **kw: object) -> Config:
    return Config(accounts=(account,), **kw)  # type: ignore[arg-type]
