"""Alembic environment of the store, run programmatically by :func:`accalmie.store.db.migrate`.

No ``alembic.ini`` and no working-directory assumptions: the caller passes an open connection
(inside the transaction that holds the migration lock) through ``config.attributes``. New
revisions are written with ``python -m accalmie.store.revision "what changed"``.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext

from accalmie.store.schema import UTCDateTime, metadata

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render the store's own column types with plain SQLAlchemy types (frozen migrations)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("pass an open connection in config.attributes['connection']")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE through copies
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
