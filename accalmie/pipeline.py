"""Parse raw messages on every core and decide their lanes.

Parsing is the costly step, so it runs in a process pool (the stdlib parser holds the GIL);
deciding is cheap and needs the per-user state (rules, contacts, learned model), so it runs in
the calling process, which also owns the store. Each stage stays pure: this module only moves
bytes to workers and Messages back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Protocol

from accalmie.mail.model import Message
from accalmie.mail.parse import parse_message
from accalmie.triage.decision import Decision


class Decider(Protocol):
    def decide(self, msg: Message) -> Decision: ...


def _parse_many(raws: Sequence[bytes]) -> list[Message]:
    return [parse_message(raw) for raw in raws]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("ACCALMIE_WORKERS", "0") or 64)))


class Parser:
    """Parse batches of raw messages, in parallel when more than one core is available."""

    def __init__(self, workers: int | None = None, chunk: int = 64) -> None:
        self.workers = workers if workers is not None else default_workers()
        self.chunk = chunk
        self._pool: Executor | None = None
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)

    def parse(self, raws: Sequence[bytes]) -> list[Message]:
        if self._pool is None or len(raws) < 2 * self.chunk:
            return _parse_many(raws)
        chunks = [raws[i:i + self.chunk] for i in range(0, len(raws), self.chunk)]
        out: list[Message] = []
        for part in self._pool.map(_parse_many, chunks):
            out.extend(part)
        return out

    def parse_stream(self, batches: Iterable[Sequence[bytes]]) -> Iterator[list[Message]]:
        """Parse batch after batch, keeping the next batch in flight while one is consumed."""
        if self._pool is None:
            for batch in batches:
                yield _parse_many(batch)
            return
        pending = None
        for batch in batches:
            fut = [self._pool.submit(_parse_many, batch[i:i + self.chunk])
                   for i in range(0, len(batch), self.chunk)]
            if pending is not None:
                yield [m for f in pending for m in f.result()]
            pending = fut
        if pending is not None:
            yield [m for f in pending for m in f.result()]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
