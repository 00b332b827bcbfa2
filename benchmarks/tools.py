"""Running the tools under measurement: wall time, CPU time and the process tree's memory.

Each tool runs as a separate process, exactly as a user would start it, so start-up costs are
counted for everyone. Memory is sampled from /proc over the whole process tree (Accalmie
parses in a process pool), summing the resident set of every live process of the tree.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import FAILED, MISSING, Missing

PAGE = os.sysconf("SC_PAGE_SIZE")

# Debian packages the reference tools come from (the Makefile installs them for `make bench`).
DEBIAN_PACKAGES = {
    "notmuch": "notmuch",
    "afew": "afew",
    "mbsync": "isync",
    "dovecot": "dovecot-imapd",
    "doveadm": "dovecot-core",
}


class ToolMissing(Missing):
    """A program the benchmark needs is not installed; the message says how to get it."""


def find_tool(name: str) -> str:
    """Path of a reference tool, or :class:`ToolMissing` naming its Debian package."""
    path = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()),
        None)
    if path is None:
        pkg = DEBIAN_PACKAGES.get(name, name)
        raise ToolMissing(f"{MISSING}: `{name}` not installed (Debian package {pkg}: "
                          f"apt-get install {pkg})")
    return path


def accalmie_command() -> list[str]:
    """The ``accalmie`` console script of this environment (what users run)."""
    script = Path(sys.executable).with_name("accalmie")
    if script.exists():
        return [str(script)]
    found = shutil.which("accalmie")
    if found:
        return [found]
    raise ToolMissing(f"{MISSING}: the `accalmie` command is not installed "
                      "(pip install -e . in the virtual environment)")


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after the last ')'.
        rest = stat[stat.rfind(b")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(entry.name))
    return kids


def process_tree(root: int) -> list[int]:
    """``root`` and all its live descendants."""
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeMemorySampler(threading.Thread):
    """Sample the summed RSS (and PSS) of a process tree until stopped.

    RSS summed over the tree counts pages shared between the pool workers and their parent
    once per process, so it is the pessimistic figure (the one held to the target); PSS
    splits shared pages fairly and is shown alongside.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        pids = process_tree(self.pid)
        rss = sum(_rss(p) for p in pids)
        if rss > self.peak_rss:
            self.peak_rss = rss
            # PSS is costlier to read: only when RSS reaches a new peak.
            self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
        self.peak_processes = max(self.peak_processes, len(pids))
        self.samples += 1

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass(slots=True)
class RunResult:
    """One run of one command."""

    argv: list[str]
    returncode: int
    wall: float
    cpu: float  # user + system seconds of the command and its waited-for children
    peak_rss: int  # bytes, summed over the process tree at its sampled peak
    peak_pss: int
    max_single_rss: int  # bytes, the largest single process (getrusage ru_maxrss)
    processes: int
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def output_tail(self, lines: int = 15) -> str:
        text = self.stderr.strip() or self.stdout.strip()
        return "\n".join(text.splitlines()[-lines:])

    def failure(self) -> str:
        """Exit status and the last line of output (usually the error itself)."""
        last = [ln.strip() for ln in self.output_tail(3).splitlines() if ln.strip()]
        return f"exit {self.returncode}" + (f": {last[-1][-300:]}" if last else "")

    @property
    def command(self) -> str:
        return shlex.join(self.argv)

    @property
    def short_command(self) -> str:
        """The command with scratch paths shortened to their last part, for tables."""
        return short_command(self.argv)


def short_command(argv: list[str]) -> str:
    parts = [Path(argv[0]).name] if argv else []
    for arg in argv[1:]:
        parts.append(f"<{Path(arg).name}>" if arg.startswith("/") else arg)
    return shlex.join(parts).replace("'<", "<").replace(">'", ">")


def run_measured(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 timeout: float | None = None, sample_memory: bool = True,
                 sample_interval: float = 0.2) -> RunResult:
    """Run one command to completion, timing it and sampling its tree's memory.

    Output goes to temporary files and the child is reaped with ``wait4``, which gives its own
    CPU time and largest resident set (its reaped descendants included).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        sampler = TreeMemorySampler(proc.pid, sample_interval) if sample_memory else None
        if sampler:
            sampler.start()
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if timed_out.is_set():
        stderr += f"\n(killed after {timeout:.0f} s)"
    return RunResult(
        argv=list(argv), returncode=proc.returncode, wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        # The tree's sum is never below its largest process, which sampling may miss.
        peak_rss=max(sampler.peak_rss if sampler else 0, usage.ru_maxrss * 1024),
        peak_pss=sampler.peak_pss if sampler else 0,
        max_single_rss=usage.ru_maxrss * 1024,
        processes=sampler.peak_processes if sampler else 1,
        stdout=stdout, stderr=stderr)


def private_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment whose HOME and XDG folders are private, so no user file is read."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NOTMUCH_", "XDG_", "ACCALMIE_", "MAILDIR"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CACHE_HOME=str(home / ".cache"), LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.update(extra)
    return env


def mb(nbytes: float) -> float:
    return nbytes / 1e6


def machine() -> dict[str, str | int]:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {"cpus": os.cpu_count() or 1, "cpu": cpu, "python": sys.version.split()[0],
            "load_before": load}


def tool_version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return "?"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else "?"


class Side:
    """One contestant of a side-by-side benchmark: its runs, or why it could not run.

    ``attempt`` runs one repetition (a function that prepares fresh data untimed, then runs the
    timed commands and returns their results); a missing tool or a failing command stops the
    side and records the reason, which the tables print loudly.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.commands: list[str] = []
        self.short_commands: list[str] = []
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peak_rss = 0
        self.peak_pss = 0
        self.error: str | None = None
        self.detail = ""  # the failing command and the end of its output
        self.steps: list[list[RunResult]] = []

    def attempt(self, once: Callable[[], list[RunResult]]) -> None:
        if self.error:
            return
        try:
            steps = once()
        except ToolMissing as exc:
            self.error = str(exc)
            return
        except (OSError, subprocess.SubprocessError) as exc:
            self.error = f"{FAILED}: {exc}"
            return
        for step in steps:
            if not step.ok:
                self.error = f"{FAILED}: {Path(step.argv[0]).name} {step.failure()}"
                self.detail = f"$ {step.command}\n{step.output_tail()}"
                return
        self.steps.append(steps)
        self.commands = [s.command for s in steps]
        self.short_commands = [s.short_command for s in steps]
        self.walls.append(sum(s.wall for s in steps))
        self.cpus.append(sum(s.cpu for s in steps))
        self.peak_rss = max(self.peak_rss, *(s.peak_rss for s in steps))
        self.peak_pss = max(self.peak_pss, *(s.peak_pss for s in steps))

    @property
    def best(self) -> float | None:
        return min(self.walls) if self.walls and not self.error else None

    @property
    def best_steps(self) -> list[RunResult]:
        if not self.walls:
            return []
        return self.steps[self.walls.index(min(self.walls))]

    def rate(self, messages: int) -> float | None:
        best = self.best
        return messages / best if best else None

    def to_dict(self, messages: int | None = None) -> dict[str, object]:
        d: dict[str, object] = {
            "label": self.label, "commands": self.commands, "walls_s": self.walls,
            "cpu_s": self.cpus, "best_s": self.best, "peak_rss_mb": mb(self.peak_rss),
            "peak_pss_mb": mb(self.peak_pss), "error": self.error, "detail": self.detail,
        }
        if messages is not None:
            d["messages_per_s"] = self.rate(messages)
        if self.best_steps:
            d["steps"] = [{"command": s.command, "wall_s": s.wall, "cpu_s": s.cpu,
                           "peak_rss_mb": mb(s.peak_rss), "processes": s.processes}
                          for s in self.best_steps]
        return d


def alternate(repeats: int, *pairs: tuple[Side, Callable[[], list[RunResult]]]) -> None:
    """Run every side ``repeats`` times, rotating who goes first so neither always runs cold."""
    for rep in range(repeats):
        order = list(pairs) if rep % 2 == 0 else list(reversed(pairs))
        for side, once in order:
            side.attempt(once)
