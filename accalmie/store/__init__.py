"""Persistent state: messages and decisions, IMAP sync state, the action journal, learning.

SQLite (WAL) by default, PostgreSQL with the same code; schema migrations with Alembic run
automatically when a store is opened. See :class:`Store`.
"""

from accalmie.store.db import StoreError
from accalmie.store.records import (
    Correction,
    FolderState,
    JournalEntry,
    NewAction,
    StoredItem,
    StoredMessage,
)
from accalmie.store.repository import Store

__all__ = [
    "Correction",
    "FolderState",
    "JournalEntry",
    "NewAction",
    "Store",
    "StoreError",
    "StoredItem",
    "StoredMessage",
]
