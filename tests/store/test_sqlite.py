"""SQLite specifics: pragmas, two stores on one file, and durability when the process dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from accalmie.store import NewAction, Store
from tests.store.helpers import item


def _pragma(store: Store, name: str) -> object:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_pragmas(sqlite_store: Store) -> None:
    assert _pragma(sqlite_store, "journal_mode") == "wal"
    assert _pragma(sqlite_store, "synchronous") == 1  # NORMAL
    assert _pragma(sqlite_store, "foreign_keys") == 1
    assert int(_pragma(sqlite_store, "busy_timeout")) >= 5000  # type: ignore[call-overload]


def test_path_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c.db"
    with Store.open(path) as store:
        assert store.dialect == "sqlite"
    assert path.is_file()
    with Store.open(f"sqlite:///{path}") as store:  # the same file as a URL
        assert store.account_id("x") == 1


def test_memory_store() -> None:
    with Store.open(":memory:") as store:
        acc = store.account_id("a")
        store.save_messages(acc, [item(0)])
        assert store.count_messages() == 1


def test_foreign_keys_enforced_and_cascade(sqlite_store: Store) -> None:
    acc = sqlite_store.account_id("a")
    [rid] = sqlite_store.save_messages(acc, [item(0)])
    sqlite_store.add_correction(acc, rid, "<m0@example.org>", "priority", "bulk", "cli")
    with sqlite_store.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM messages WHERE id = {rid}")
    [corr] = sqlite_store.corrections(acc)
    assert corr.message_row_id is None  # ON DELETE SET NULL works, so foreign keys are on


def test_two_stores_one_writing_one_reading(sqlite_path: Path) -> None:
    writer, reader = Store.open(sqlite_path), Store.open(sqlite_path)
    try:
        acc = writer.account_id("a")
        errors: list[BaseException] = []
        seen: list[int] = []
        done = threading.Event()

        def write() -> None:
            try:
                for batch in range(20):
                    writer.save_messages(acc, [item(batch * 50 + i) for i in range(50)])
                    writer.journal_add(acc, [NewAction(f"k{batch}", "move", {})])
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                done.set()

        thread = threading.Thread(target=write)
        thread.start()
        while not done.is_set():
            seen.append(reader.count_messages(acc))  # never blocked by the writer (WAL)
            reader.lane_counts(acc)
        thread.join()
        assert not errors
        assert seen == sorted(seen)  # reads see whole committed batches, in order
        assert all(n % 50 == 0 for n in seen)
        assert reader.count_messages(acc) == 1000
        assert len(reader.journal_pending(acc)) == 20
    finally:
        writer.close()
        reader.close()


def test_two_stores_both_writing(sqlite_path: Path) -> None:
    """Writers queue on the busy timeout instead of failing with 'database is locked'."""
    a, b = Store.open(sqlite_path), Store.open(sqlite_path)
    try:
        acc = a.account_id("a")
        errors: list[BaseException] = []

        def write(store: Store, offset: int) -> None:
            try:
                for n in range(30):
                    store.save_messages(acc, [item(offset + n * 10 + i) for i in range(10)])
                    store.bump_contacts(acc, {"chef@ccas.fr": 1})
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(s, off))
                   for s, off in ((a, 0), (b, 100_000))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors
        assert a.count_messages(acc) == 600
        assert b.contacts(acc) == {"chef@ccas.fr": 60}
    finally:
        a.close()
        b.close()


def test_a_returned_write_survives_sigkill(tmp_path: Path) -> None:
    """What a method returned is on disk: the journal's crash-safety depends on it."""
    db = tmp_path / "j.db"
    code = (
        "import os, signal, sys\n"
        "from accalmie.store import Store, NewAction\n"
        "s = Store.open(sys.argv[1]); acc = s.account_id('a')\n"
        "s.journal_add(acc, [NewAction('move:1', 'move', {'uid': 1})])\n"
        "[e] = s.journal_pending(acc); s.journal_mark([e.id], 'done')\n"
        "s.journal_add(acc, [NewAction('move:2', 'move', {'uid': 2})])\n"
        "s.set_folder_state(acc, 'INBOX', 7, 3)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert Path(str(db) + "-wal").exists()  # killed before any checkpoint: data is in the WAL
    with Store.open(db) as store:
        acc = store.account_id("a")
        assert store.journal_get(acc, "move:1").state == "done"  # type: ignore[union-attr]
        assert [e.key for e in store.journal_pending(acc)] == ["move:2"]
        assert store.folder_state(acc, "INBOX").uidnext == 3  # type: ignore[union-attr]
    assert os.path.getsize(db) > 0
