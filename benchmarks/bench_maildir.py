"""(a) Local triage throughput: Accalmie against notmuch + afew on the same Maildir.

notmuch indexes and afew tags (spam, killed threads, mailing lists, sent, inbox): the closest
established pipeline to "read a Maildir and sort it". Both read the same files, each from its
own hard-linked copy (the tools rename files), in the same run, twice, alternating who goes
first; the best run of each counts. Throughput is messages in the Maildir per wall second.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from benchmarks import Context, Outcome, Table, ratio_check, register
from benchmarks.corpus import corpus_maildir, link_tree
from benchmarks.tools import (
    RunResult,
    Side,
    accalmie_command,
    alternate,
    find_tool,
    mb,
    private_env,
    run_measured,
    tool_version,
)

TARGET = 5.0  # Accalmie's messages/s at least 5x notmuch new + afew

NOTMUCH_CONFIG = """\
[database]
path={path}
[user]
name=Bench User
primary_email=bench@example.org
[new]
tags=new;
ignore=
[search]
exclude_tags=deleted;spam;
[maildir]
synchronize_flags=true
"""

# afew's documented default filter chain, spelled out so no user file changes it.
AFEW_CONFIG = """\
[global]
[SpamFilter]
[KillThreadsFilter]
[ListMailsFilter]
[ArchiveSentMailsFilter]
[InboxFilter]
"""

ACCALMIE_CONFIG = """\
[general]
language = "en"
"""

NOTMUCH_LABEL = "notmuch new + afew --tag --new"
ACCALMIE_LABEL = "accalmie triage --maildir"


def notmuch_afew_once(master: Path, work: Path) -> list[RunResult]:
    """Index and tag a fresh copy of the Maildir; return both timed steps."""
    notmuch, afew = find_tool("notmuch"), find_tool("afew")
    if work.exists():
        shutil.rmtree(work)
    mail = work / "mail"
    link_tree(master, mail)
    home = work / "home"
    (home / ".config" / "afew").mkdir(parents=True)
    (home / ".config" / "afew" / "config").write_text(AFEW_CONFIG)
    config = work / "notmuch-config"
    config.write_text(NOTMUCH_CONFIG.format(path=mail))
    env = private_env(home, NOTMUCH_CONFIG=str(config))
    steps = [run_measured([notmuch, "new", "--quiet"], env=env)]
    if steps[0].ok:
        steps.append(run_measured([afew, "--tag", "--new"], env=env))
        if steps[-1].ok:
            steps[-1].extra.update(_notmuch_counts(notmuch, env))
    shutil.rmtree(mail, ignore_errors=True)
    return steps


def _notmuch_counts(notmuch: str, env: dict[str, str]) -> dict[str, float]:
    """What notmuch + afew made of the mailbox (a sanity check, not timed)."""
    out: dict[str, float] = {}
    for key, args in (("indexed_messages", ["*"]), ("files", ["--output=files", "*"]),
                      ("still_new", ["tag:new"]), ("spam", ["tag:spam"]),
                      ("lists", ["tag:lists"]), ("inbox", ["tag:inbox"])):
        res = subprocess.run([notmuch, "count", *args], env=env, capture_output=True,
                             text=True, timeout=120)
        if res.returncode == 0 and res.stdout.strip().isdigit():
            out[key] = int(res.stdout.strip())
    return out


def accalmie_once(master: Path, work: Path) -> list[RunResult]:
    """Triage a fresh copy of the Maildir into a fresh store; return the timed run."""
    cmd = accalmie_command()
    if work.exists():
        shutil.rmtree(work)
    mail = work / "mail"
    link_tree(master, mail)
    config = work / "config.toml"
    config.write_text(ACCALMIE_CONFIG)
    db = work / "accalmie.db"
    env = private_env(work / "home")
    steps = [run_measured([*cmd, "triage", "--maildir", str(mail), "--db", str(db),
                           "--config", str(config), "--no-progress"], env=env)]
    shutil.rmtree(mail, ignore_errors=True)
    return steps


def side_rows(sides: list[Side], messages: int) -> list[list[str]]:
    rows = []
    for side in sides:
        if side.error:
            status = side.error.split(":", 1)[0]
            rows.append([side.label, f"{status} (see below)", "", "", "", "", ""])
            continue
        rate = side.rate(messages)
        rows.append([
            side.label,
            "\n".join(side.short_commands),
            " / ".join(f"{w:.1f}" for w in side.walls),
            f"{side.best:.1f}" if side.best else "",
            f"{rate:,.0f}" if rate else "",
            f"{min(side.cpus):.1f}" if side.cpus else "",
            f"{mb(side.peak_rss):.0f}",
        ])
    return rows


def summary_line(stdout: str) -> str:
    """What Accalmie printed after its table of lanes (counts of sorted messages, flags…)."""
    lines = stdout.rstrip().splitlines()
    ends = [i for i, ln in enumerate(lines) if ln.lstrip().startswith(("└", "+"))]
    tail = lines[ends[-1] + 1:] if ends else lines[-1:]
    return " ".join(ln.strip() for ln in tail if ln.strip())[:300]


def failure_notes(table: Table, sides: list[Side]) -> None:
    """Put the end of a failing tool's output under the table, where it is seen."""
    for side in sides:
        if side.detail:
            table.notes.append(f"{side.label} failed:\n{side.detail}")


COLUMNS = ["Tool", "Command (timed)", "Runs (s)", "Best (s)", "msg/s", "CPU (s)",
           "Peak RSS (MB)"]


@register(
    "maildir", "(a) Maildir triage throughput",
    "messages/s of `accalmie triage --maildir` vs `notmuch new` + `afew --tag --new`, "
    "same Maildir (every raw corpus message), same run; target >= 5x",
    order=10)
def bench_maildir(ctx: Context) -> Outcome:
    master, n = corpus_maildir(ctx)
    ours, theirs = Side(ACCALMIE_LABEL), Side(NOTMUCH_LABEL)
    ctx.log(f"maildir: {n} messages, {ctx.repeats} runs per tool")
    alternate(ctx.repeats,
              (theirs, lambda: notmuch_afew_once(master, ctx.workdir / "notmuch")),
              (ours, lambda: accalmie_once(master, ctx.workdir / "accalmie")))
    table = Table(f"Maildir of {n:,} messages, best of {ctx.repeats} runs per tool",
                  COLUMNS, side_rows([ours, theirs], n))
    if theirs.best_steps:
        steps = theirs.best_steps
        table.notes.append(f"notmuch new {steps[0].wall:.1f} s + afew {steps[1].wall:.1f} s")
        counts = steps[-1].extra
        if counts:
            table.notes.append(
                "notmuch indexed {indexed_messages:.0f} messages ({files:.0f} files; "
                "duplicate Message-IDs merge); afew tagged spam {spam:.0f}, lists {lists:.0f}, "
                "inbox {inbox:.0f}; still tagged new {still_new:.0f}".format_map(
                    {k: counts.get(k, float("nan")) for k in (
                        "indexed_messages", "files", "spam", "lists", "inbox", "still_new")}))
    if ours.best_steps:
        said = summary_line(ours.best_steps[0].stdout)
        if said:
            table.notes.append(f"accalmie: {said}")
    table.notes.append("msg/s = files in the Maildir / best wall time (start-up included).")
    failure_notes(table, [ours, theirs])
    versions = {"notmuch": tool_version(["notmuch", "--version"]),
                "afew": tool_version(["afew", "--version"])}
    check = ratio_check(
        "Maildir triage", ours.rate(n), theirs.rate(n), "msg/s", target_ratio=TARGET,
        higher_is_better=True, reference="notmuch new + afew",
        ours_error=ours.error, theirs_error=theirs.error)
    return Outcome(
        "maildir", "", "", tables=[table], checks=[check],
        data={"messages": n, "accalmie": ours.to_dict(n), "reference": theirs.to_dict(n),
              "versions": versions})
