"""Alembic environment of the store, run programmatically by :func:`accalmie.store.db.migrate`.

No ``alembic.ini`` and no working-directory assumptions: the caller passes an open connection
(inside the transaction that holds the migration lock) through ``config.attributes``. The
Alembic command line still works, given ``-x url=...``, for maintainers writing new revisions.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from accalmie.store.schema import metadata

config = context.config


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE through copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass -x url=... or a connection")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
