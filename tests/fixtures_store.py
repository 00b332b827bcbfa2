"""Store fixtures on real databases: a SQLite file, and PostgreSQL on 127.0.0.1:5432.

- ``sqlite_store``: a fresh migrated store in a SQLite file under ``tmp_path``.
- ``pg_store``: a store on this test session's own PostgreSQL database (created with a unique
  name, dropped at the end); every table is emptied after each test.
- ``store``: parametrized, runs a test on both.
- ``store_url`` (parametrized the same way) gives the path/URL instead, for tests that open
  several stores; ``pg_empty_url`` gives a brand-new empty PostgreSQL database.

PostgreSQL comes from ``ACCALMIE_TEST_PG_URL`` (default: user postgres, trust auth, database
``test``). When it is unreachable the PostgreSQL tests are skipped with the reason, plus a
warning; set ``ACCALMIE_REQUIRE_PG=1`` to make that an error instead.
"""

from __future__ import annotations

import os
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from accalmie.store import Store
from accalmie.store.schema import metadata

PG_ADMIN_URL = os.environ.get("ACCALMIE_TEST_PG_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class PgServer:
    """Creates and drops uniquely named databases on the test PostgreSQL server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT",
                                    connect_args={"connect_timeout": 5})

    def create(self, prefix: str = "accalmie_test") -> str:
        name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        with self.engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.engine.dispose()


def _pg_unavailable(reason: str) -> None:
    message = (f"PostgreSQL UNREACHABLE at {make_url(PG_ADMIN_URL).render_as_string()} "
               f"({reason}): PostgreSQL store tests are SKIPPED")
    if os.environ.get("ACCALMIE_REQUIRE_PG") == "1":
        pytest.fail(message)
    print(f"\n*** {message} ***", file=sys.stderr)
    warnings.warn(message, pytest.PytestWarning, stacklevel=1)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer(PG_ADMIN_URL)
    try:
        with server.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver or network failure means: no server here
        server.close()
        _pg_unavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_session_url(pg_server: PgServer) -> Iterator[str]:
    """This session's own database, migrated once, dropped at the end."""
    url = pg_server.create()
    try:
        Store.open(url).close()
        yield url
    finally:
        pg_server.drop(url)


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    try:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture
def pg_url(pg_session_url: str) -> Iterator[str]:
    """URL of the session database, emptied after the test."""
    yield pg_session_url
    _empty_tables(pg_session_url)


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> Iterator[str]:
    """A brand-new empty PostgreSQL database (no schema), dropped after the test."""
    url = pg_server.create("accalmie_empty")
    yield url
    pg_server.drop(url)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "accalmie.db"


@pytest.fixture
def sqlite_store(sqlite_path: Path) -> Iterator[Store]:
    store = Store.open(sqlite_path)
    yield store
    store.close()


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    store = Store.open(pg_url)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest) -> str:
    """A clean store location on each backend: a SQLite path, or the PostgreSQL URL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_path"))
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Store:
    """A fresh migrated store, on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "pg_store")
