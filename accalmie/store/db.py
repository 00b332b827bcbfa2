"""Engines and migrations: SQLite (WAL) by default, PostgreSQL with the same code.

SQLite gets WAL (readers never wait for the writer), ``synchronous=NORMAL`` (a committed
transaction survives a killed process; only a power loss may drop the last few), a busy
timeout and foreign keys, on every new connection. Write transactions start with
``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout instead of failing with
"database is locked" when a read transaction would have to be upgraded.

Migrations run from the installed package (no ``alembic.ini``, no working directory), inside one
transaction that also serialises concurrent openers: ``BEGIN IMMEDIATE`` on SQLite, an advisory
lock on PostgreSQL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from accalmie.i18n import _

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
# Any constant: the key of the PostgreSQL advisory lock that serialises migrations.
_PG_MIGRATION_LOCK = 0x616363616C6D6965 & 0x7FFFFFFFFFFFFFFF
WRITE = "accalmie_write"  # execution option: this transaction will write
SURROGATES = re.compile("[\ud800-\udfff]")


class StoreError(Exception):
    """The store cannot be opened or used; the message is phrased for the user."""


def to_url(url_or_path: str | Path) -> URL:
    """A SQLAlchemy URL from a URL or a file path (a path means SQLite)."""
    if isinstance(url_or_path, Path) or "://" not in str(url_or_path):
        raw = str(url_or_path)
        if raw in ("", ":memory:"):
            return make_url("sqlite://")
        path = Path(raw).expanduser()
        return URL.create("sqlite+pysqlite", database=str(path))
    url = make_url(str(url_or_path))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _json_dumps(value: Any) -> str:
    """Compact UTF-8 JSON; lone surrogates (undecodable input) become U+FFFD, never an error."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        out = SURROGATES.sub("\ufffd", out)
    return out


def make_engine(url_or_path: str | Path) -> Engine:
    """Create the engine; for a SQLite file, create its folder too."""
    url = to_url(url_or_path)
    kwargs: dict[str, Any] = {
        "hide_parameters": True,  # error messages must never carry message text
        "json_serializer": _json_dumps,
    }
    if url.get_backend_name() == "sqlite":
        memory = not url.database or url.database == ":memory:"
        if memory:
            kwargs["poolclass"] = StaticPool  # one shared connection, or each sees an empty db
        else:
            try:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
            except OSError as exc:
                raise StoreError(_("Cannot create the folder of the database {path}: {error}")
                                 .format(path=url.database, error=exc.strerror or exc)) from None
        kwargs["connect_args"] = {"check_same_thread": False,
                                  "timeout": BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(url, **kwargs)
        _sqlite_events(engine, memory)
        return engine
    if url.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True  # the server may restart under a long-running service
    return create_engine(url, **kwargs)


def _sqlite_events(engine: Engine, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the head revision; a no-op (one query) when it is already there."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    try:
        if current_revision(engine) == head:
            return
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                 {"k": _PG_MIGRATION_LOCK})
                current = MigrationContext.configure(conn).get_current_revision()
                if current == head:
                    return
                if current is not None and current not in {r.revision for r in
                                                           script.walk_revisions()}:
                    raise StoreError(_(
                        "The database was written by a newer version of Accalmie "
                        "(schema {revision}); please upgrade Accalmie.").format(revision=current))
                command.upgrade(alembic_config(conn), "head")
    except SQLAlchemyError as exc:
        raise StoreError(_("Cannot open the database {url}: {error}").format(
            url=engine.url.render_as_string(hide_password=True),
            error=str(exc.orig if getattr(exc, "orig", None) is not None else exc)
            .splitlines()[0])) from exc
