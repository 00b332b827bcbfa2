"""(c) Peak memory of `accalmie triage --maildir` on a 100,000-message Maildir.

The mailbox comes from the demo generator (a French social worker's year of mail, inbox and
sent folder); without it, from the corpus repeated with fresh Message-IDs. Memory is the sum
of the resident sets of the whole process tree (the command and its parsing workers), sampled
from /proc every 50 ms; the peak of that sum is held to the target.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from benchmarks import Context, Outcome, Table, limit_check, register
from benchmarks.corpus import (
    DataMissing,
    corpora_dir,
    count_maildir,
    iter_corpus,
    write_maildir,
)
from benchmarks.tools import Side, accalmie_command, mb, private_env, run_measured

FULL_SIZE = 100_000
QUICK_SIZE = 2_000
TARGET_MB = 250.0
LABEL = "accalmie triage --maildir"

_MSGID = re.compile(rb"(?im)^message-id:[^\n]*\n(?:[ \t][^\n]*\n)*")


def _with_message_id(raw: bytes, mid: str) -> bytes:
    """The message with its Message-ID replaced (or added), so every copy is a new message."""
    header = f"Message-ID: <{mid}>\n".encode()
    end = raw.find(b"\n\n")
    head = raw if end < 0 else raw[:end + 1]
    new_head, n = _MSGID.subn(header, head, count=1)
    if n == 0:
        new_head = header + head
    return new_head + (b"" if end < 0 else raw[end + 1:])


def repeated_corpus(size: int) -> Iterator[bytes]:
    """``size`` messages: the corpus over and over, each copy with its own Message-ID."""
    base = list(iter_corpus(limit=size))
    if not base:
        raise DataMissing(f"MISSING: no demo generator and no corpora at {corpora_dir()}")
    for i, raw in enumerate(itertools.islice(itertools.cycle(base), size)):
        yield raw if i < len(base) else _with_message_id(raw, f"bench-{i}@accalmie.invalid")


def build_large_maildir(path: Path, size: int) -> tuple[int, str, str]:
    """Write the big Maildir; return (messages, where they come from, the owner's address)."""
    try:
        from accalmie.demo.generator import demo_owner, iter_messages
        from accalmie.demo.generator import write_maildir as write_demo
    except ImportError:
        n = write_maildir(repeated_corpus(size), path)
        return n, "the corpus repeated with new Message-IDs", ""
    weeks = max(1, min(52, size // 2000))
    write_demo(iter_messages(size=size, seed=7, weeks=weeks), path)
    return count_maildir(path), f"accalmie.demo.generator (seed 7, {weeks} weeks)", \
        demo_owner().email


ACCALMIE_CONFIG = """\
[general]
language = "en"
{account}"""


@register(
    "memory", "(c) Peak RSS at 100k messages",
    "peak summed RSS of the `accalmie triage --maildir` process tree (workers included) on a "
    "100,000-message Maildir; target <= 250 MB",
    order=30)
def bench_memory(ctx: Context) -> Outcome:
    size = QUICK_SIZE if ctx.quick else FULL_SIZE
    mail = ctx.workdir / "mail"
    ctx.log(f"memory: writing a {size:,}-message Maildir")
    n, origin, owner = build_large_maildir(mail, size)
    side = Side(LABEL)
    work = ctx.workdir / "run"

    def once() -> list:  # type: ignore[type-arg]
        cmd = accalmie_command()
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        config = work / "config.toml"
        account = (f'\n[[accounts]]\nname = "bench"\nemail = "{owner}"\n' if owner else "")
        config.write_text(ACCALMIE_CONFIG.format(account=account))
        env = private_env(work / "home")
        return [run_measured([*cmd, "triage", "--maildir", str(mail), "--db",
                              str(work / "accalmie.db"), "--config", str(config),
                              "--no-progress"], env=env, timeout=7200,
                             sample_interval=0.05)]

    ctx.log(f"memory: triaging {n:,} messages")
    side.attempt(once)
    table = Table(f"Maildir of {n:,} messages from {origin}",
                  ["Tool", "Command", "Wall (s)", "msg/s", "Peak RSS, tree (MB)",
                   "Peak PSS, tree (MB)", "Largest process (MB)", "Processes"])
    step = side.best_steps[0] if side.best_steps else None
    if side.error or step is None:
        table.rows.append([LABEL, f"{(side.error or 'FAILED').split(':', 1)[0]} (see below)",
                           "", "", "", "", "", ""])
        if side.detail:
            table.notes.append(f"{LABEL} failed:\n{side.detail}")
    else:
        table.rows.append([LABEL, step.short_command, f"{step.wall:.1f}",
                           f"{n / step.wall:,.0f}", f"{mb(step.peak_rss):.0f}",
                           f"{mb(step.peak_pss):.0f}", f"{mb(step.max_single_rss):.0f}",
                           str(step.processes)])
    table.notes.append("RSS summed over the tree counts pages shared by the workers once per "
                       "process (pessimistic, held to the target); PSS shares them out.")
    check = limit_check("Peak RSS (process tree)", mb(step.peak_rss) if step else None, "MB",
                        limit=TARGET_MB, error=side.error)
    return Outcome("memory", "", "", tables=[table], checks=[check],
                   data={"messages": n, "origin": origin, "accalmie": side.to_dict(n),
                         "peak_rss_mb": mb(step.peak_rss) if step else None,
                         "peak_pss_mb": mb(step.peak_pss) if step else None,
                         "largest_process_mb": mb(step.max_single_rss) if step else None})
