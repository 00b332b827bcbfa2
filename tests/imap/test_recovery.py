"""Every window in which a triage run can be killed, and the rerun that repairs it.

A kill is simulated by raising :class:`Killed` (a BaseException, which no code under test
catches) at one precise point; the rerun must leave every message exactly once in its folder,
with one stored row each and nothing pending in the journal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

import accalmie.imap.actions as actions
import accalmie.imap.pipeline as pipeline
from accalmie.config import Account
from accalmie.imap.sync import FolderSync
from accalmie.store import Store
from accalmie.triage.decision import Lane
from tests.fixtures_imap import account_for
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, client, config_for
from tests.imap.mailgen import StandInTriager, mailbox
from tests.imap.test_triage import expected_places
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.imap
N = 23


class Killed(BaseException):
    """Stands for SIGKILL at this exact point."""


def kill_on(call: int, fn: Callable[..., Any], when: Callable[..., bool] | None = None,
            before: bool = True) -> Callable[..., Any]:
    """``fn`` that dies on its ``call``-th (matching) call, before or after doing its work."""
    seen = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when is None or when(*args, **kwargs):
            seen["n"] += 1
            if seen["n"] == call:
                if not before:
                    fn(*args, **kwargs)
                raise Killed(fn.__name__)
        return fn(*args, **kwargs)

    return wrapper


def triage(account: Account, store: Store, server: DovecotServer, **kw: Any):
    return pipeline.triage_imap(config_for(account), account, store, StandInTriager(),
                                password=server.password, **kw)


def check(server: DovecotServer, store: Store, account: Account) -> None:
    assert_exactly_once(server, expected_places(N))
    acc_id = store.account_id(account.name)
    assert store.count_messages(acc_id) == N
    assert store.journal_pending(acc_id, "move") == []
    for lane, folder in LANE_FOLDERS.items():
        rows = store.find_messages(acc_id, lane=lane.value, limit=1000)
        assert rows and all(r.folder == folder for r in rows), (lane, rows[:2])


def killed_then_rerun(server: DovecotServer, store: Store, account: Account,
                      monkeypatch: pytest.MonkeyPatch, target: Any, name: str,
                      patched: Callable[..., Any]) -> pipeline.TriageReport:
    server.deliver_many(None, mailbox(N))
    account = replace(account, batch_size=5)
    with monkeypatch.context() as m:
        m.setattr(target, name, patched)
        with pytest.raises(Killed):
            triage(account, store, server)
    report = triage(account, store, server)
    assert report.ok, report.errors
    check(server, store, account)
    return report


@pytest.fixture
def setup(dovecot: DovecotServer, imap_account: Account, sqlite_store: Store):
    return dovecot, sqlite_store, imap_account


def test_killed_after_decisions_stored_before_journal(setup, monkeypatch) -> None:
    server, store, account = setup
    killed_then_rerun(server, store, account, monkeypatch, Store, "journal_add",
                      kill_on(2, Store.journal_add))


def test_killed_after_journal_before_folder_state(setup, monkeypatch) -> None:
    server, store, account = setup
    killed_then_rerun(server, store, account, monkeypatch, FolderSync, "commit",
                      kill_on(2, FolderSync.commit))


def test_killed_after_folder_state_before_moves(setup, monkeypatch) -> None:
    server, store, account = setup
    report = killed_then_rerun(server, store, account, monkeypatch, pipeline,
                               "execute_moves", kill_on(3, pipeline.execute_moves))
    assert report.pending_before == 5 and report.recovered == 5


def test_killed_after_move_before_journal_done(setup, monkeypatch) -> None:
    server, store, account = setup
    report = killed_then_rerun(server, store, account, monkeypatch, actions, "relocate",
                               kill_on(2, actions.relocate,
                                       when=lambda store, moves: bool(moves)))
    assert report.pending_before == 5 and report.already_done == 5 and report.recovered == 0


def test_killed_after_journal_done_before_next_batch(setup, monkeypatch) -> None:
    server, store, account = setup
    killed_then_rerun(server, store, account, monkeypatch, Store, "journal_mark",
                      kill_on(2, Store.journal_mark, before=False,
                              when=lambda self, ids, state, error="": state == "done"))


def test_killed_twice_the_second_time_during_recovery(setup, monkeypatch) -> None:
    server, store, account = setup
    server.deliver_many(None, mailbox(N))
    account = replace(account, batch_size=5)
    with monkeypatch.context() as m:
        m.setattr(pipeline, "execute_moves", kill_on(1, pipeline.execute_moves))
        with pytest.raises(Killed):
            triage(account, store, server)
    with monkeypatch.context() as m:  # the recovery itself is killed after its MOVE
        m.setattr(actions, "relocate",
                  kill_on(1, actions.relocate, when=lambda store, moves: bool(moves)))
        with pytest.raises(Killed):
            triage(account, store, server)
    assert triage(account, store, server).ok
    check(server, store, account)


@pytest.fixture
def copy_setup(dovecot_factory, monkeypatch, sqlite_store: Store):
    server = dovecot_factory(drop_capabilities=("MOVE",))
    monkeypatch.setenv("ACCALMIE_TEST_IMAP_PASSWORD", server.password)
    return server, sqlite_store, account_for(server)


def test_copy_fallback_killed_after_copy_before_flag(copy_setup, monkeypatch) -> None:
    server, store, account = copy_setup
    report = killed_then_rerun(server, store, account, monkeypatch, actions,
                               "_remove_originals", kill_on(2, actions._remove_originals))
    # Killed in the second destination of the first batch: its copies are found, not redone.
    assert report.pending_before >= 1 and report.already_done >= 1


def test_copy_fallback_killed_after_flag_before_expunge(copy_setup, monkeypatch) -> None:
    server, store, account = copy_setup
    original = actions._remove_originals  # noqa: SLF001

    def flag_only(session, uids) -> None:
        session.client.add_flags(list(uids), [b"\\Deleted"], silent=True)
        raise Killed("after STORE")

    calls = {"n": 0}

    def patched(session, uids) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            flag_only(session, uids)
        original(session, uids)

    report = killed_then_rerun(server, store, account, monkeypatch, actions,
                               "_remove_originals", patched)
    assert report.pending_before >= 1 and report.already_done >= 1


def test_killed_while_learning_a_user_move(setup, monkeypatch) -> None:
    server, store, account = setup
    server.deliver_many(None, mailbox(N))
    triager = StandInTriager()
    pipeline.triage_imap(config_for(account), account, store, triager,
                         password=server.password)
    places = expected_places(N)
    mid = next(m for m, f in places.items() if f == LANE_FOLDERS[Lane.INFO])
    with client(server) as c:
        c.select_folder(LANE_FOLDERS[Lane.INFO])
        c.move(c.search(["HEADER", "Message-ID", mid]), LANE_FOLDERS[Lane.SUSPECT])
    with monkeypatch.context() as m:  # killed after the correction, before the relocation
        m.setattr(pipeline, "relocate",
                  kill_on(1, pipeline.relocate, when=lambda store, moves: bool(moves)))
        with pytest.raises(Killed):
            pipeline.triage_imap(config_for(account), account, store, triager,
                                 password=server.password)
    report = pipeline.triage_imap(config_for(account), account, store, triager,
                                  password=server.password)
    assert report.ok
    acc_id = store.account_id(account.name)
    assert [(c.message_id, c.new_lane) for c in store.corrections(acc_id)] == [(mid, "suspect")]
    places[mid] = LANE_FOLDERS[Lane.SUSPECT]
    assert_exactly_once(server, places)
    assert store.count_messages(acc_id) == N
