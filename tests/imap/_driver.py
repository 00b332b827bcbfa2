"""A minimal triage process for the kill test: ``python -m tests.imap._driver CONFIG DB``.

It runs :func:`accalmie.imap.pipeline.triage_imap` with the deterministic stand-in triager
(lanes from ``X-Test-Lane``), so that a test can kill it at random instants and know where
every message must end up. The product's own command (``accalmie triage``) is killed the same
way in ``test_kill.py``.
"""

from __future__ import annotations

import sys

from accalmie.config import load_config
from accalmie.imap.pipeline import triage_imap
from accalmie.store import Store
from tests.imap.mailgen import StandInTriager


def main(argv: list[str]) -> int:
    config = load_config(argv[0])
    account = config.account(None)
    store = Store.open(argv[1])
    try:
        report = triage_imap(config, account, store, StandInTriager(),
                             password=account.password())
    finally:
        store.close()
    print(f"fetched={report.fetched} moved={report.moved} recovered={report.recovered} "
          f"already={report.already_done}", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
