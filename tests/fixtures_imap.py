"""IMAP fixtures on a real, private Dovecot (see ``tests/support/dovecot.py``).

- ``dovecot``: a fresh server per test (plain IMAP on loopback, '.' separator, user alice);
- ``dovecot_tls``: the same with an implicit-TLS port and STARTTLS, self-signed certificate;
- ``dovecot_factory``: build servers with other options (separator, dropped capabilities);
- ``imap_account``: an ``Account`` for ``dovecot`` (security plain, loopback), password env set.

Without the ``dovecot`` binary every test using them is SKIPPED with the reason and the install
command, printed on stderr and as a warning, and summed up at the end of the run; set
``ACCALMIE_REQUIRE_DOVECOT=1`` to make that a failure instead (CI does, where it is installed).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from accalmie.config import Account
from tests.support.dovecot import DovecotServer, DovecotUnavailable, dovecot_version

PASSWORD_ENV = "ACCALMIE_TEST_IMAP_PASSWORD"
_skipped: list[str] = []


def _unavailable(reason: str) -> None:
    message = f"Dovecot UNAVAILABLE ({reason}): IMAP tests are SKIPPED"
    if os.environ.get("ACCALMIE_REQUIRE_DOVECOT") == "1":
        pytest.fail(message)
    if not _skipped:
        print(f"\n*** {message} ***", file=sys.stderr)
        warnings.warn(message, pytest.PytestWarning, stacklevel=1)
    _skipped.append(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def dovecot_available() -> tuple[int, int]:
    """The Dovecot version; skips loudly (reason + apt command) when it is not installed."""
    try:
        return dovecot_version()
    except DovecotUnavailable as exc:
        _unavailable(str(exc))
        raise AssertionError("unreachable") from None


@pytest.fixture
def dovecot_factory(dovecot_available: tuple[int, int],
                    tmp_path: Path) -> Iterator[Callable[..., DovecotServer]]:
    servers: list[DovecotServer] = []

    def make(**kwargs: object) -> DovecotServer:
        server = DovecotServer(tmp_path / f"dovecot{len(servers)}", **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def dovecot(dovecot_factory: Callable[..., DovecotServer]) -> DovecotServer:
    return dovecot_factory()


@pytest.fixture
def dovecot_tls(dovecot_factory: Callable[..., DovecotServer]) -> DovecotServer:
    return dovecot_factory(tls=True)


def account_for(server: DovecotServer, *, name: str = "test", security: str = "plain",
                host: str = "127.0.0.1", user: str | None = None, **kw: object) -> Account:
    """An Account pointing at a test server (password through PASSWORD_ENV)."""
    port = server.tls_port if security == "tls" else server.port
    defaults: dict[str, object] = {
        "email": f"{user or server.user}@test.example", "host": host, "port": port,
        "security": security, "username": user or server.user, "password_env": PASSWORD_ENV,
        "ca_file": str(server.cert_file) if server.cert_file else "", "timeout": 10.0,
    }
    defaults.update(kw)
    return Account(name=name, **defaults)  # type: ignore[arg-type]


@pytest.fixture
def imap_account(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> Account:
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return account_for(dovecot)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped:
        terminalreporter.section("IMAP tests skipped", sep="!", red=True, bold=True)
        terminalreporter.write_line(_skipped[0])
