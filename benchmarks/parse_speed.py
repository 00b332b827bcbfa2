"""Parser throughput on one core: raw corpus messages -> Message, in messages per second.

The triage benchmark compares the whole pipeline with notmuch + afew; this one isolates the
parser (the costly, per-message stage) so that a regression shows up where it happens.
Messages are read into memory first, so disk and decompression are not measured; the parser's
lazily loaded models are warmed up before the clock starts. Two rates are printed: per second
of wall time, and per second of this process's CPU time (the single-core figure that holds
even when other work shares the machine).

Run: ``python -m benchmarks.parse_speed [--limit N] [--repeat R] [--profile]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import SOURCES, corpora_dir, iter_source  # noqa: E402


def load(limit: int | None) -> dict[str, list[bytes]]:
    root = corpora_dir()
    out: dict[str, list[bytes]] = {}
    total = 0
    for src in SOURCES:
        if not (root / src.name).exists():
            continue
        msgs = out.setdefault(src.name, [])
        for raw in iter_source(root, src.name):
            if limit is not None and total >= limit:
                return out
            msgs.append(raw)
            total += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N messages")
    parser.add_argument("--repeat", type=int, default=1, help="best of R runs")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args(argv)

    from accalmie.mail.parse import parse_message

    corpora = load(args.limit)
    if not corpora:
        print(f"no corpora at {corpora_dir()} (set ACCALMIE_CORPORA)", file=sys.stderr)
        return 2
    parse_message(b"Subject: warm-up\n\nBonjour, ceci est un message pour charger les modeles.")

    if args.profile:
        import cProfile
        import pstats

        every = [raw for msgs in corpora.values() for raw in msgs]
        prof = cProfile.Profile()
        prof.enable()
        for raw in every:
            parse_message(raw)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0

    print(f"{'corpus':32} {'messages':>9} {'MB':>7} {'msgs/s wall':>12} {'msgs/s CPU':>11}")
    total_n = 0
    total_bytes = 0
    total_wall = total_cpu = 0.0
    for name, msgs in corpora.items():
        wall = cpu = float("inf")
        for _ in range(max(1, args.repeat)):
            start, start_cpu = time.perf_counter(), time.process_time()
            for raw in msgs:
                parse_message(raw)
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        size = sum(map(len, msgs))
        total_n += len(msgs)
        total_bytes += size
        total_wall += wall
        total_cpu += cpu
        print(f"{name:32} {len(msgs):9d} {size / 1e6:7.1f} {len(msgs) / wall:12.0f} "
              f"{len(msgs) / max(cpu, 1e-9):11.0f}")
    print(f"{'all (one core)':32} {total_n:9d} {total_bytes / 1e6:7.1f} "
          f"{total_n / total_wall:12.0f} {total_n / max(total_cpu, 1e-9):11.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
