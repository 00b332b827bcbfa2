"""A process to kill: ``python -m tests.disconnect.test_outbox_driver CONFIG DB NOW [STEP [MODE]]``.

It runs one outbox pass (MODE ``outbox``, the default) or one digest pass (``digest``) at the
instant NOW (ISO). When the pass reaches STEP (a durable step the product reports through its
``on_step`` hook) it prints ``STOPPED <step>`` and waits, so that the test can SIGKILL it at
exactly that point. Without STEP it runs to the end and prints ``DONE``.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

from accalmie.config import load_config
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.digest import send_due
from accalmie.disconnect.outbox import process_due
from accalmie.store import Store


def main(argv: list[str]) -> int:
    config = load_config(argv[0])
    account = config.account(None)
    clock = ManualClock(datetime.fromisoformat(argv[2]))
    stop = argv[3] if len(argv) > 3 else ""
    mode = argv[4] if len(argv) > 4 else "outbox"

    def hook(name: str, item_id: int) -> None:
        if name == stop:
            print(f"STOPPED {name} {item_id}", flush=True)
            time.sleep(600)

    with Store.open(argv[1]) as store:
        if mode == "digest":
            report = send_due(config, account, store, clock, on_step=hook)
            print(f"DONE delivered={report.delivered}", flush=True)
        else:
            out = process_due(config, account, store, clock, on_step=hook)
            print(f"DONE sent={out.sent} filed={out.filed} uncertain={out.uncertain} "
                  f"recovered={out.recovered}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
