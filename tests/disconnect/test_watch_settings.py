"""The [watch] section, the backoff, the health file and systemd notifications (no server)."""

from __future__ import annotations

import imaplib
import json
import random
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accalmie.config import ConfigError, parse_config
from accalmie.disconnect.watch import WatchSettings, parse_section
from accalmie.disconnect.watch_account import Backoff, idle_responses, peer_closed, read_pending
from accalmie.disconnect.watch_service import (
    check_health,
    limit_malloc_arenas,
    sd_notify,
    write_health,
)
from accalmie.i18n import set_language
from accalmie.triage.decision import Lane


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")
    yield
    set_language(None)


def test_defaults_and_a_full_section() -> None:
    assert parse_section({}, None, "watch.") == WatchSettings()
    s = parse_config({"watch": {
        "hold": False, "hold_folder": "Demain", "hold_lanes": ["priority", "INFO"],
        "urgent_senders": "*@CHU.example", "urgent_rules": ["Astreinte"], "idle_renew": 600,
        "poll": 5, "tick": 1.5, "rescan": 60, "backoff_initial": 0.5, "backoff_max": 60,
        "health_file": "~/h.json", "health_interval": 2, "stop_grace": 3,
        "max_hold_days": 21}}).section("watch")
    assert s.hold is False and s.hold_folder == "Demain"
    assert s.hold_lanes == frozenset({Lane.PRIORITY, Lane.INFO})
    assert s.urgent_senders == ("*@chu.example",) and s.urgent_rules == ("Astreinte",)
    assert s.idle_renew == 600.0 and s.tick == 1.5 and s.max_hold_days == 21.0
    assert s.health_path() == Path("~/h.json").expanduser()
    assert WatchSettings().health_path().name == "watch-health.json"


@pytest.mark.parametrize(("raw", "key", "words"), [
    ({"idle_renew": 1740}, "watch.idle_renew", "between"),  # 29 minutes is already too late
    ({"idle_renew": 0}, "watch.idle_renew", "between"),
    ({"idle_renew": "25m"}, "watch.idle_renew", "number"),
    ({"tick": True}, "watch.tick", "number"),
    ({"poll": float("nan")}, "watch.poll", "between"),
    ({"hold": "yes"}, "watch.hold", "true or false"),
    ({"hold_folder": ""}, "watch.hold_folder", "folder"),
    ({"hold_folder": "inbox"}, "watch.hold_folder", "inbox"),
    ({"hold_lanes": ["urgent"]}, "watch.hold_lanes", "unknown lane"),
    ({"urgent_senders": [1]}, "watch.urgent_senders", "strings"),
    ({"backoff_initial": 10, "backoff_max": 1}, "watch.backoff_max", "backoff_initial"),
    ({"health_file": 3}, "watch.health_file", "path"),
    ({"idle": 10}, "watch.idle", "unknown key"),
])
def test_mistakes_name_the_key(raw: dict, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"watch": raw}, Path("conf.toml"))
    text = str(err.value)
    assert "conf.toml" in text and key in text and words in text


def test_not_a_table() -> None:
    with pytest.raises(ConfigError, match="table"):
        parse_section([], None, "watch.")


def test_backoff_grows_with_jitter_up_to_the_cap_and_resets() -> None:
    b = Backoff(1.0, 30.0, random.Random(3))
    delays = [b.next() for _ in range(10)]
    for i, d in enumerate(delays):
        cap = min(30.0, 2.0 ** i)
        assert cap / 2 <= d <= cap
    assert max(delays) <= 30.0 and delays[-1] >= 15.0
    other = Backoff(1.0, 30.0, random.Random(4))
    assert [other.next() for _ in range(10)] != delays  # jitter: accounts do not knock at once
    b.reset()
    assert b.next() <= 1.0


def test_health_file_is_atomic_private_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "health.json"
    now = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    assert not check_health(path, 60, now).ok  # no file yet
    doc = {"time": now.isoformat(), "state": "running",
           "accounts": [{"name": "a", "state": "idle"}, {"name": "b", "state": "reconnecting"}]}
    write_health(path, doc)
    assert path.read_text().count("\n") == 1 and json.loads(path.read_text()) == doc
    assert path.stat().st_mode & 0o777 == 0o600
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    assert check_health(path, 60, now + timedelta(seconds=30)).ok
    stale = check_health(path, 60, now + timedelta(seconds=300))
    assert not stale.ok and "300" in stale.message
    write_health(path, {**doc, "accounts": [{"name": "a", "state": "error"}]})
    broken = check_health(path, 60, now)
    assert not broken.ok and "a" in broken.message
    write_health(path, {**doc, "accounts": [{"name": "b", "state": "reconnecting",
                                             "error_kind": "auth"}]})
    assert not check_health(path, 60, now).ok  # a refused password needs the user
    write_health(path, {**doc, "state": "stopped"})
    assert not check_health(path, 60, now).ok
    path.write_text("{not json")
    assert not check_health(path, 60, now).ok


def test_sd_notify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sd_notify("READY=1") is False
    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        assert sd_notify("WATCHDOG=1") is True
        assert server.recv(100) == b"WATCHDOG=1"
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "nobody-listens"))
    assert sd_notify("READY=1") is False


def test_peer_closed_tells_eof_from_silence() -> None:
    a, b = socket.socketpair()
    try:
        assert peer_closed(a) is False  # nothing to read, still open
        b.sendall(b"* OK still here\r\n")
        assert peer_closed(a) is False  # data waiting is not EOF (and is not consumed)
        assert a.recv(100) == b"* OK still here\r\n"
        b.close()
        assert peer_closed(a) is True
    finally:
        a.close()


class _Imap:
    """The part of imaplib.IMAP4 that reads lines, over a socket pair."""

    abort = imaplib.IMAP4.abort
    debug = 0
    _get_line = imaplib.IMAP4._get_line

    def __init__(self, sock: socket.socket) -> None:
        self.file = sock.makefile("rb")

    def readline(self) -> bytes:
        return self.file.readline(10_000)

    def _log(self, line: str) -> None:
        return None


class _Client:
    """What read_pending needs of an IMAPClient."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._imap = _Imap(sock)

    def socket(self) -> socket.socket:
        return self.sock

    def _set_read_timeout(self) -> None:
        self.sock.settimeout(5)


def test_a_response_already_buffered_is_seen_at_once() -> None:
    """``+ idling`` and ``* 5 EXISTS`` in one packet: the second line waits in the read buffer,
    where polling the socket (imapclient's idle_check) does not see it."""
    ours, server = socket.socketpair()
    try:
        client = _Client(ours)
        server.sendall(b"+ idling\r\n* 5 EXISTS\r\n")
        assert client._imap.readline() == b"+ idling\r\n"  # what IMAPClient.idle() reads
        got, readable = idle_responses(client, 5.0)
        assert got == [(5, b"EXISTS")] and readable
        assert idle_responses(client, 0.05) == ([], False)  # nothing more: a quiet wait
        server.sendall(b"* OK Still here\r\n* 6 EXISTS\r\n* 1 RECENT\r\n")
        got, _ = idle_responses(client, 5.0)
        assert (6, b"EXISTS") in got and (1, b"RECENT") in got
        assert ours.gettimeout() == 5  # the socket is blocking again, with its timeout
        server.close()
        got, readable = idle_responses(client, 5.0)
        assert got == [] and readable and peer_closed(ours)  # EOF
        assert read_pending(client) == []
    finally:
        ours.close()


def test_malloc_arenas_can_be_limited() -> None:
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    assert limit_malloc_arenas() is True
