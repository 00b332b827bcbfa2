"""Schema migrations: from nothing to head, idempotent, and in step with the models."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from accalmie.store import Store, StoreError
from accalmie.store.db import alembic_config, current_revision, head_revision, make_engine
from accalmie.store.schema import metadata
from tests.fixtures_store import BACKENDS
from tests.store.helpers import item

TABLES = {t.name for t in metadata.sorted_tables}


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A location with no database yet (SQLite) or an empty database (PostgreSQL)."""
    if request.param == "sqlite":
        return str(tmp_path / "new" / "deeper" / "accalmie.db")
    return request.getfixturevalue("pg_empty_url")


def test_open_migrates_an_empty_database_to_head(empty_url: str) -> None:
    head = head_revision()
    assert head is not None
    store = Store.open(empty_url)
    try:
        assert current_revision(store.engine) == head
        names = set(inspect(store.engine).get_table_names())
        assert TABLES <= names and "alembic_version" in names
        acc = store.account_id("a")
        store.save_messages(acc, [item(0)])
    finally:
        store.close()
    # Re-opening is a no-op that keeps the data.
    for _ in range(2):
        with Store.open(empty_url) as again:
            assert current_revision(again.engine) == head
            assert again.count_messages() == 1


def test_models_and_migrations_agree(store: Store) -> None:
    """Autogenerate against a migrated database finds nothing to do."""
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "compare_server_default": True})
        diff = compare_metadata(ctx, metadata)
    assert diff == []


def test_downgrade_to_base_and_back(empty_url: str) -> None:
    Store.open(empty_url).close()
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert set(inspect(engine).get_table_names()) & TABLES == set()
        assert current_revision(engine) is None
    finally:
        engine.dispose()
    with Store.open(empty_url) as store:
        assert current_revision(store.engine) == head_revision()


def test_newer_schema_is_refused_clearly(empty_url: str) -> None:
    Store.open(empty_url).close()
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="ffff_future"):
        Store.open(empty_url)


def test_concurrent_first_opens(empty_url: str) -> None:
    """Several processes starting at once on a new database: one migrates, all succeed."""
    def open_and_use(i: int) -> int:
        with Store.open(empty_url) as store:
            return store.account_id(f"acc{i % 2}")

    with ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(open_and_use, range(6)))
    assert len(set(ids)) == 2
    with Store.open(empty_url) as store:
        assert current_revision(store.engine) == head_revision()


def test_migrations_run_from_the_package_in_any_directory(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    code = ("import sys; from accalmie.store import Store; s = Store.open(sys.argv[1]); "
            "print(s.account_id('a')); s.close()")
    out = subprocess.run([sys.executable, "-c", code, str(db)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not a database file at all, really not" * 100)
    with pytest.raises(StoreError, match="bogus.db"):
        Store.open(bogus)


def test_unreachable_postgresql_is_a_clear_error() -> None:
    with pytest.raises(StoreError):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
