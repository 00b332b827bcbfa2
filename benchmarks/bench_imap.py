"""(b) IMAP full sync + triage: Accalmie against mbsync pulling the same mailbox.

A private Dovecot on loopback serves the corpus Maildir to one user per run (each a fresh
hard-linked copy, indexed by ``doveadm force-resync`` before the clock starts, so no tool pays
for the server's first scan). mbsync pulls INBOX into an empty local Maildir; Accalmie syncs,
parses, triages, stores and moves every message into its lane folder on the server. Each tool
runs twice, alternating who goes first; the best wall time counts.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from benchmarks import Context, Missing, Outcome, Table, ratio_check, register
from benchmarks.bench_maildir import COLUMNS, failure_notes, side_rows, summary_line
from benchmarks.corpus import REPO, corpus_maildir, count_maildir, link_tree
from benchmarks.tools import (
    RunResult,
    Side,
    ToolMissing,
    accalmie_command,
    alternate,
    find_tool,
    private_env,
    run_measured,
    tool_version,
)

TARGET = 1.5  # Accalmie's wall time at most 1.5x mbsync's
PASSWORD = "bench-secret"
PASSWORD_ENV = "ACCALMIE_BENCH_PW"

MBSYNCRC = """\
IMAPAccount bench
Host 127.0.0.1
Port {port}
User {user}
Pass {password}
AuthMechs PLAIN LOGIN
SSLType None

IMAPStore bench-remote
Account bench

MaildirStore bench-local
Path {local}/
Inbox {local}/INBOX

Channel bench
Far :bench-remote:
Near :bench-local:
Patterns INBOX
Sync Pull
Create Near
Expunge None
SyncState *
"""

ACCALMIE_CONFIG = """\
[general]
language = "en"

[[accounts]]
name = "bench"
host = "127.0.0.1"
port = {port}
security = "plain"
username = "{user}"
password_env = "{env}"
folders = ["INBOX"]
"""

MBSYNC_LABEL = "mbsync (pull INBOX)"
ACCALMIE_LABEL = "accalmie triage (IMAP)"


def _dovecot_server_class():  # type: ignore[no-untyped-def]
    """The private Dovecot runner shared with the tests (tests/support/dovecot.py)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        from tests.support.dovecot import DovecotServer, DovecotUnavailable
    except ImportError as exc:
        raise Missing(f"MISSING: tests/support/dovecot.py cannot be imported ({exc})") from None
    return DovecotServer, DovecotUnavailable


class Mailboxes:
    """One Dovecot, one fresh user (a hard-linked copy of the corpus) per timed run."""

    def __init__(self, ctx: Context, master: Path) -> None:
        server_cls, unavailable = _dovecot_server_class()
        find_tool("doveadm")  # a loud MISSING row when Dovecot's admin tool is absent
        # Every user exists before the server starts: no passwd-file reload races a login.
        users = {f"{tag}{i}": PASSWORD for i in range(ctx.repeats)
                 for tag in ("mbsync", "accalmie")}
        try:
            self.server = server_cls(ctx.workdir / "dovecot", users=users)
        except unavailable as exc:
            raise ToolMissing(f"MISSING: {exc}") from None
        self.master = master
        self.used: dict[str, int] = {}
        self.server.start()

    def fresh_user(self, tag: str) -> str:
        """The next unused user of ``tag``, its INBOX holding the whole mailbox, indexed."""
        i = self.used.get(tag, 0)
        self.used[tag] = i + 1
        user = f"{tag}{i}"
        maildir = self.server.maildir(user)
        link_tree(self.master, maildir)
        uid = getattr(self.server, "mail_uid", os.geteuid())
        gid = getattr(self.server, "mail_gid", os.getegid())
        if (uid, gid) != (os.geteuid(), os.getegid()):
            # As root the server reads and writes mail as an unprivileged user.
            for dirpath, _dirs, files in os.walk(maildir.parent):
                os.chown(dirpath, uid, gid)
                for name in files:
                    os.chown(os.path.join(dirpath, name), uid, gid)
        self.server.doveadm("force-resync", "-u", user, "INBOX")
        return user

    def drop_user(self, user: str) -> None:
        shutil.rmtree(self.server.maildir(user).parent, ignore_errors=True)

    def folder_counts(self, user: str) -> dict[str, int]:
        out = self.server.doveadm("mailbox", "status", "-u", user, "messages", "*")
        counts: dict[str, int] = {}
        for line in out.splitlines():
            name, _, rest = line.rpartition(" messages=")
            if name and rest.strip().isdigit():
                counts[name] = int(rest.strip())
        return counts

    def close(self) -> None:
        self.server.close()


def mbsync_once(boxes: Mailboxes, work: Path) -> list[RunResult]:
    """Pull a fresh server copy into an empty local Maildir."""
    mbsync = find_tool("mbsync")
    user = boxes.fresh_user("mbsync")
    if work.exists():
        shutil.rmtree(work)
    local = work / "local"
    local.mkdir(parents=True)
    rc = work / "mbsyncrc"
    rc.write_text(MBSYNCRC.format(port=boxes.server.port, user=user, password=PASSWORD,
                                  local=local))
    rc.chmod(0o600)
    env = private_env(work / "home")
    steps = [run_measured([mbsync, "-c", str(rc), "-q", "bench"], env=env, timeout=3600)]
    steps[0].extra["local_files"] = count_maildir(local)
    shutil.rmtree(local, ignore_errors=True)
    boxes.drop_user(user)
    return steps


def accalmie_once(boxes: Mailboxes, work: Path) -> list[RunResult]:
    """Sync, triage, store and move a fresh server copy into lane folders."""
    cmd = accalmie_command()
    user = boxes.fresh_user("accalmie")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    config = work / "config.toml"
    config.write_text(ACCALMIE_CONFIG.format(port=boxes.server.port, user=user,
                                             env=PASSWORD_ENV))
    db = work / "accalmie.db"
    env = private_env(work / "home", **{PASSWORD_ENV: PASSWORD})
    steps = [run_measured([*cmd, "triage", "--config", str(config), "--db", str(db),
                           "--no-progress"], env=env, timeout=3600)]
    counts = boxes.folder_counts(user)
    steps[0].extra["server_total"] = sum(counts.values())
    steps[0].extra["left_in_inbox"] = counts.get("INBOX", 0)
    steps[0].extra.update({f"folder:{k}": v for k, v in counts.items() if k != "INBOX"})
    boxes.drop_user(user)
    return steps


@register(
    "imap", "(b) IMAP full sync + triage",
    "wall time of `accalmie triage` (sync, parse, triage, store, move every message) vs "
    "`mbsync` pulling the same mailbox from a local Dovecot, same run; target <= 1.5x",
    order=20)
def bench_imap(ctx: Context) -> Outcome:
    master, n = corpus_maildir(ctx)
    boxes = Mailboxes(ctx, master)
    ours, theirs = Side(ACCALMIE_LABEL), Side(MBSYNC_LABEL)
    ctx.log(f"imap: {n} messages on Dovecot port {boxes.server.port}, "
            f"{ctx.repeats} runs per tool")
    try:
        alternate(ctx.repeats,
                  (theirs, lambda: mbsync_once(boxes, ctx.workdir / "mbsync")),
                  (ours, lambda: accalmie_once(boxes, ctx.workdir / "accalmie")))
    finally:
        boxes.close()
    table = Table(f"Dovecot INBOX of {n:,} messages, best of {ctx.repeats} runs per tool",
                  COLUMNS, side_rows([ours, theirs], n))
    notes = table.notes
    if theirs.best_steps:
        got = theirs.best_steps[0].extra.get("local_files", 0)
        notes.append(f"mbsync wrote {got:.0f} local files (of {n})")
    if ours.best_steps:
        extra = ours.best_steps[0].extra
        folders = ", ".join(f"{k[7:]} {v:.0f}" for k, v in sorted(extra.items())
                            if k.startswith("folder:"))
        notes.append(f"accalmie: server holds {extra.get('server_total', 0):.0f} of {n} "
                     f"messages afterwards, {extra.get('left_in_inbox', 0):.0f} left in INBOX; "
                     f"{folders}")
        said = summary_line(ours.best_steps[0].stdout)
        if said:
            notes.append(f"accalmie: {said}")
        lost = n - int(extra.get("server_total", 0))
        if lost:
            notes.append(f"WARNING: {lost} messages missing on the server after accalmie")
    notes.append("Wall time includes start-up, login, every fetch and, for accalmie, the "
                 "moves; mbsync runs with its defaults (FSync yes).")
    failure_notes(table, [ours, theirs])
    error = ours.error
    if not error and ours.best_steps:
        lost = n - int(ours.best_steps[0].extra.get("server_total", n))
        if lost:
            error = f"FAILED: {lost} messages missing on the server after the run"
    check = ratio_check(
        "IMAP sync + triage", ours.best, theirs.best, "s", target_ratio=TARGET,
        higher_is_better=False, reference="mbsync", ours_error=error,
        theirs_error=theirs.error)
    return Outcome(
        "imap", "", "", tables=[table], checks=[check],
        data={"messages": n, "accalmie": ours.to_dict(n), "reference": theirs.to_dict(n),
              "versions": {"mbsync": tool_version(["mbsync", "--version"]),
                           "dovecot": tool_version(["dovecot", "--version"])},
              "cpus": os.cpu_count()})
