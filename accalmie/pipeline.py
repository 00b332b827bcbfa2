"""Parse raw messages and decide their lanes on every core.

Parsing is the costly step and the stdlib parser holds the GIL, so it runs in a process pool.
Deciding needs the per-user state (rules, contacts, learned model): a snapshot of the decider is
sent once to each worker when a stream starts, so workers parse *and* decide, and only a slim
Message (no raw headers, no full text unless bodies are kept) and its Decision come back. The
calling process keeps the I/O: reading sources, the store, the mailbox.

The decider must not learn while a stream runs (it does not: learning from the user happens
before new mail is triaged); a later stream takes a fresh snapshot.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import replace
from typing import Protocol

from accalmie.mail.model import Message
from accalmie.mail.parse import parse_message
from accalmie.triage.decision import Decision

NEW_TEXT_KEPT = 4000  # characters of new text sent back: enough for any excerpt


class Decider(Protocol):
    def decide(self, msg: Message) -> Decision: ...


def slim(msg: Message, keep_text: bool) -> Message:
    """What the caller needs once the decision is made: less to copy between processes."""
    return replace(msg, headers=(), text=msg.text if keep_text else "",
                   new_text=msg.new_text[:NEW_TEXT_KEPT])


def _parse_many(raws: Sequence[bytes]) -> list[Message]:
    return [parse_message(raw) for raw in raws]


_worker_decider: Decider | None = None


def _install_decider(blob: bytes) -> None:
    global _worker_decider
    _worker_decider = pickle.loads(blob)  # noqa: S301 - our own object, from our own process


def _decide_many(raws: Sequence[bytes], keep_text: bool,
                 decider: Decider | None = None) -> list[tuple[Message, Decision]]:
    decider = decider or _worker_decider
    assert decider is not None, "worker started without a decider"
    out = []
    for raw in raws:
        msg = parse_message(raw)
        out.append((slim(msg, keep_text), decider.decide(msg)))
    return out


def _context() -> multiprocessing.context.BaseContext:
    """Workers start from a small server process, not as copies of the caller: they hold only
    what parsing and deciding need (less memory), and forking a process that runs threads
    (the IMAP prefetcher) is never safe."""
    return multiprocessing.get_context("forkserver")


def default_workers() -> int:
    """``ACCALMIE_WORKERS`` if set, else one worker per core."""
    wanted = int(os.environ.get("ACCALMIE_WORKERS") or 0)
    return max(1, wanted or os.cpu_count() or 1)


def _pipelined(pool: Executor, batches: Iterable[Sequence[bytes]], chunk: int,
               submit) -> Iterator[list]:  # type: ignore[no-untyped-def]
    """Keep the next batch in flight while the current one is consumed."""
    pending: list[Future] | None = None
    for batch in batches:
        futures = [submit(batch[i:i + chunk]) for i in range(0, len(batch), chunk)]
        if pending is not None:
            yield [x for f in pending for x in f.result()]
        pending = futures
    if pending is not None:
        yield [x for f in pending for x in f.result()]


class Parser:
    """Parse (and decide) batches of raw messages, in parallel when several cores exist."""

    def __init__(self, workers: int | None = None, chunk: int = 64) -> None:
        self.workers = workers if workers is not None else default_workers()
        self.chunk = chunk
        self._pool: Executor | None = None  # started on first use: idle workers cost memory

    def _parse_pool(self) -> Executor | None:
        if self._pool is None and self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context())
        return self._pool

    def parse(self, raws: Sequence[bytes]) -> list[Message]:
        if self.workers <= 1 or len(raws) < 2 * self.chunk:
            return _parse_many(raws)
        pool = self._parse_pool()
        assert pool is not None
        chunks = [raws[i:i + self.chunk] for i in range(0, len(raws), self.chunk)]
        return [m for part in pool.map(_parse_many, chunks) for m in part]

    def parse_stream(self, batches: Iterable[Sequence[bytes]]) -> Iterator[list[Message]]:
        """Parse batch after batch, keeping the next batch in flight while one is consumed."""
        pool = self._parse_pool()
        if pool is None:
            for batch in batches:
                yield _parse_many(batch)
            return
        yield from _pipelined(pool, batches, self.chunk,
                              lambda part: pool.submit(_parse_many, part))

    def decide_stream(self, batches: Iterable[Sequence[bytes]], decider: Decider, *,
                      keep_text: bool = False) -> Iterator[list[tuple[Message, Decision]]]:
        """Parse and decide batch after batch; yields ``(slim message, decision)`` pairs."""
        if self.workers <= 1:
            for batch in batches:
                yield _decide_many(batch, keep_text, decider)
            return
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(),
                                   initializer=_install_decider,
                                   initargs=(pickle.dumps(decider),))
        try:
            yield from _pipelined(pool, batches, self.chunk,
                                  lambda part: pool.submit(_decide_many, part, keep_text))
        finally:
            pool.shutdown(cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
