"""SpamAssassin and rspamd, run offline, as the reference phishing scorers.

Both are the Debian packages, with their stock rules, scoring the same stripped messages as
Accalmie; only what needs the network is turned off (a benchmark must not depend on live DNS
blocklists, and the product makes no lookups either):

* SpamAssassin runs in one Perl process through its own API (``Mail::SpamAssassin``, what
  ``spamd`` runs for each message) with local tests only (``local_tests_only``, the ``-L`` of
  ``spamd``), no DNS, no Razor/Pyzor/DCC, no Bayes database, a private home and site-config
  folder (the system's ``.pre`` plugin lists plus our ``local.cf``).
* rspamd runs as its own daemon on 127.0.0.1 (one scanner worker, no controller, no proxy),
  with a private configuration overlay, pid, database and log folders, the network modules
  disabled (RBLs, SURBL, fuzzy, DCC, SPF/DKIM/DMARC/ARC, ASN, phishtank, reputation, Redis
  users) and DNS pointed at a closed loopback port so nothing waits; messages are posted to
  its ``/checkv2`` HTTP endpoint.

Each scorer returns one score per message (higher is more suspicious), the messages it could
not score (their score is ``-inf``: never flagged), and the CPU seconds its scanning process
spent, so that messages per CPU second is a one-core figure for everyone, whatever else the
machine is doing. Start-up (rule compilation) is not counted.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks import MISSING
from benchmarks.tools import ToolMissing, private_env

SA_PACKAGE = "spamassassin"
RSPAMD_PACKAGE = "rspamd"
SA_RULES = Path("/usr/share/spamassassin")
SA_SYSTEM_CONF = Path("/etc/spamassassin")
RSPAMD_CONF = Path("/etc/rspamd/rspamd.conf")
START_TIMEOUT = 600.0  # rspamd compiles its regular expressions on first start
PER_MESSAGE_TIMEOUT = 60.0

SA_LOCAL_CF = """\
# Offline: no network test, no learning, nothing outside this folder.
use_bayes 0
bayes_auto_learn 0
skip_rbl_checks 1
dns_available no
use_razor2 0
use_pyzor 0
use_dcc 0
"""

SA_SCRIPT = r"""
use strict; use warnings;
use Time::HiRes qw(time);
use Mail::SpamAssassin;
my ($site, $home, $input) = @ARGV;
$ENV{HOME} = $home;
my $sa = Mail::SpamAssassin->new({
  local_tests_only => 1, dont_copy_prefs => 1, site_rules_filename => $site,
  userprefs_filename => "$home/user_prefs", home_dir_for_helpers => $home,
  userstate_dir => "$home/state",
});
$sa->compile_now(0, 1);
open(my $fh, "<:raw", $input) or die "cannot read $input: $!";
$| = 1;
my @t0 = times;
my $w0 = time;
my $n = 0;
print "READY\n";
while (defined(my $len = <$fh>)) {
  chomp $len;
  my $raw = "";
  read($fh, $raw, $len) == $len or die "short read";
  my $score = "nan";
  eval {
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm(__TIMEOUT__);
    my $mail = $sa->parse($raw);
    my $status = $sa->check($mail);
    $score = $status->get_score();
    $status->finish(); $mail->finish();
    alarm(0);
    1;
  } or do { alarm(0); $score = "nan"; };
  print "$score\n";
  $n++;
}
my @t1 = times;
printf "DONE %d %.6f %.6f\n", $n, ($t1[0] + $t1[1]) - ($t0[0] + $t0[1]), time - $w0;
"""

# rspamd modules that need the network (DNS lists, hash services, Redis, HTTP feeds).
RSPAMD_NETWORK_MODULES = (
    "rbl", "surbl", "emails", "fuzzy_check", "dcc", "spf", "dkim", "dmarc", "arc", "asn",
    "mx_check", "url_redirector", "rspamd_update", "reputation", "neural", "ratelimit",
    "greylist", "replies", "history_redis", "clickhouse", "elastic", "metadata_exporter",
    "external_services", "antivirus", "p0f", "bimi", "dkim_signing", "spamtrap",
    "external_relay", "aws_s3", "metric_exporter", "dynamic_conf",
)


@dataclass
class ToolScores:
    """What one tool said about the messages, in their order."""

    name: str
    version: str
    scores: list[float]
    errors: int
    cpu_seconds: float
    wall_seconds: float

    @property
    def msgs_per_cpu_s(self) -> float | None:
        return len(self.scores) / self.cpu_seconds if self.cpu_seconds > 0 else None


class ToolFailed(RuntimeError):
    """A reference tool is installed but did not run; the message says what it printed."""


def _missing(program: str, package: str, why: str = "") -> ToolMissing:
    return ToolMissing(f"{MISSING}: {why or f'`{program}` not installed'} (Debian package "
                       f"{package}: apt-get install {package}; scripts/system-deps.sh "
                       "installs it)")


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return -math.inf
    return -math.inf if math.isnan(value) else value


def _write_batch(path: Path, messages: Sequence[bytes]) -> None:
    with open(path, "wb") as fh:
        for raw in messages:
            fh.write(b"%d\n" % len(raw))
            fh.write(raw)


# --- SpamAssassin ------------------------------------------------------------------------------

def spamassassin_version() -> str:
    perl = shutil.which("perl")
    if perl is None or shutil.which("spamassassin") is None:
        raise _missing("spamassassin", SA_PACKAGE)
    try:
        out = subprocess.run([perl, "-MMail::SpamAssassin", "-e",
                              "print Mail::SpamAssassin::Version()"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise _missing("spamassassin", SA_PACKAGE, f"Mail::SpamAssassin unusable ({exc})") \
            from None
    if out.returncode != 0 or not out.stdout.strip():
        raise _missing("spamassassin", SA_PACKAGE, "the Perl module Mail::SpamAssassin is "
                       "not loadable")
    if not SA_RULES.is_dir() and not any(Path("/var/lib/spamassassin").glob("*/updates_*")):
        raise _missing("spamassassin", SA_PACKAGE, "no SpamAssassin rules found")
    return f"SpamAssassin {out.stdout.strip()}"


def _chunks(messages: Sequence[bytes], n: int) -> list[Sequence[bytes]]:
    size = max(1, math.ceil(len(messages) / max(1, n)))
    return [messages[i:i + size] for i in range(0, len(messages), size)] or [messages]


def run_spamassassin(messages: Sequence[bytes], workdir: Path, workers: int = 1) -> ToolScores:
    """Score ``messages`` with SpamAssassin's stock rules, local tests only.

    ``workers`` processes each score a contiguous share; their CPU seconds are summed, so the
    rate stays a one-core figure.
    """
    version = spamassassin_version()
    base = workdir / "spamassassin"
    shutil.rmtree(base, ignore_errors=True)
    site, home = base / "site", base / "home"
    site.mkdir(parents=True)
    (home / "state").mkdir(parents=True)
    for pre in SA_SYSTEM_CONF.glob("*.pre"):
        shutil.copy(pre, site / pre.name)  # the plugin list the package enables
    (site / "local.cf").write_text(SA_LOCAL_CF)
    script = base / "score.pl"
    script.write_text(SA_SCRIPT.replace("__TIMEOUT__", str(int(PER_MESSAGE_TIMEOUT))))
    env = private_env(home)
    procs = []
    chunks = _chunks(messages, workers)
    try:
        for i, chunk in enumerate(chunks):
            batch = base / f"messages{i}.bin"
            _write_batch(batch, chunk)
            out = open(base / f"out{i}.txt", "wb")  # noqa: SIM115 - closed below
            err = open(base / f"err{i}.txt", "wb")  # noqa: SIM115
            procs.append((subprocess.Popen(
                ["perl", str(script), str(site), str(home), str(batch)], stdout=out, stderr=err,
                stdin=subprocess.DEVNULL, env=env, start_new_session=True), out, err, chunk))
        timeout = 600 + 2.0 * max(len(c) for c in chunks)
        deadline = time.monotonic() + timeout
        for proc, out, err, _ in procs:
            try:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise ToolFailed(f"SpamAssassin did not finish within {timeout:.0f} s") \
                    from None
            finally:
                out.close()
                err.close()
    finally:
        for proc, *_ in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    scores: list[float] = []
    cpu = wall = 0.0
    for i, (proc, _, _, chunk) in enumerate(procs):
        lines = (base / f"out{i}.txt").read_text("utf-8", "replace").splitlines()
        if proc.returncode != 0 or not lines or not lines[-1].startswith("DONE"):
            tail = (base / f"err{i}.txt").read_text("utf-8", "replace")[-1500:]
            raise ToolFailed(f"SpamAssassin failed (exit {proc.returncode}): {tail}")
        _, n, used, took = lines[-1].split()
        got = [_score(line) for line in lines[lines.index("READY") + 1:-1]]
        if len(got) != len(chunk) or int(n) != len(chunk):
            raise ToolFailed(f"SpamAssassin scored {len(got)} of {len(chunk)} messages")
        scores += got
        cpu += float(used)
        wall = max(wall, float(took))
    shutil.rmtree(base, ignore_errors=True)
    return ToolScores(version, version, scores, sum(1 for s in scores if s == -math.inf),
                      cpu, wall)


# --- rspamd ------------------------------------------------------------------------------------

def rspamd_version() -> str:
    if shutil.which("rspamd") is None or not RSPAMD_CONF.exists():
        raise _missing("rspamd", RSPAMD_PACKAGE)
    try:
        out = subprocess.run(["rspamd", "--version"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise _missing("rspamd", RSPAMD_PACKAGE, f"rspamd unusable ({exc})") from None
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0].replace("Rspamd daemon version", "rspamd").strip() if text else "rspamd"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NullDNS(threading.Thread):
    """A loopback DNS server that answers every query at once with 'no such name'.

    rspamd looks names up in several modules (received-header PTRs, remote maps); with no
    network each lookup would wait for its timeout. An immediate NXDOMAIN is what an offline
    resolver says, and keeps the scanner's time its own.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port = int(self.sock.getsockname()[1])
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                query, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if len(query) < 12:
                continue
            flags = 0x8000 | (query[2] & 0x01) << 8 | 0x0080 | 3  # QR, RD copied, RA, NXDOMAIN
            qdcount = int.from_bytes(query[4:6], "big")
            end = 12
            for _ in range(min(qdcount, 1)):  # copy the question section as asked
                while end < len(query) and query[end]:
                    end += 1 + query[end]
                end += 5
            reply = (query[:2] + flags.to_bytes(2, "big") + min(qdcount, 1).to_bytes(2, "big")
                     + b"\x00" * 6 + query[12:end])
            try:
                self.sock.sendto(reply, peer)
            except OSError:
                pass

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=2)
        self.sock.close()


def _rspamd_overlay(root: Path, port: int, dns_port: int, workers: int) -> None:
    local, override = root / "local.d", root / "override.d"
    local.mkdir(parents=True)
    override.mkdir(parents=True)
    (override / "worker-normal.inc").write_text(
        f'bind_socket = "127.0.0.1:{port}";\ncount = {workers};\nmime = true;\n'
        f"task_timeout = {PER_MESSAGE_TIMEOUT:.0f}s;\n")
    for worker in ("worker-controller.inc", "worker-proxy.inc", "worker-fuzzy.inc"):
        (override / worker).write_text("enabled = false;\ncount = 0;\n")
    (local / "options.inc").write_text(
        'filters = "chartable,regexp";\n'
        f'dns {{\n  nameserver = ["127.0.0.1:{dns_port}"];\n  timeout = 1s;\n'
        "  retransmits = 0;\n}\n"
        f'control_socket = "{root}/db/rspamd.sock mode=0600";\n')
    (override / "logging.inc").write_text(
        f'type = "file";\nfilename = "{root}/log/rspamd.log";\nlevel = "error";\n')
    for module in RSPAMD_NETWORK_MODULES:
        (local / f"{module}.conf").write_text("enabled = false;\n")
    (local / "phishing.conf").write_text(  # its own URL checks stay; the remote feeds go
        "openphish_enabled = false;\nphishtank_enabled = false;\n")
    (local / "classifier-bayes.conf").write_text("enabled = false;\n")
    (override / "redis.conf").write_text("")
    for sub in ("db", "run", "log"):
        (root / sub).mkdir(exist_ok=True)


class RspamdServer:
    """A private rspamd on 127.0.0.1: started, queried, then stopped (process group killed)."""

    def __init__(self, root: Path, workers: int = 1) -> None:
        self.root = root
        self.workers = workers
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.dns = NullDNS()

    def start(self) -> None:
        self.dns.start()
        _rspamd_overlay(self.root, self.port, self.dns.port, self.workers)
        argv = ["rspamd", "-f", "-c", str(RSPAMD_CONF), "-p", str(self.root / "run/rspamd.pid"),
                f"--var=LOCAL_CONFDIR={self.root}", f"--var=DBDIR={self.root / 'db'}",
                f"--var=RUNDIR={self.root / 'run'}", f"--var=LOGDIR={self.root / 'log'}"]
        if os.geteuid() == 0:
            argv += ["-u", "root", "-g", "root", "-i"]
        env = private_env(self.root / "home")
        self.stderr = open(self.root / "log" / "stderr.txt", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(argv, env=env, stdout=self.stderr, stderr=self.stderr,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ToolFailed(f"rspamd exited at start (code {self.proc.returncode}): "
                                 + self.log_tail())
            try:
                self.check(b"Subject: ping\r\n\r\nping\r\n")
                return
            except (OSError, http.client.HTTPException, ToolFailed):
                time.sleep(0.5)
        raise ToolFailed(f"rspamd did not answer within {START_TIMEOUT:.0f} s: "
                         + self.log_tail())

    def log_tail(self) -> str:
        parts = []
        for name in ("stderr.txt", "rspamd.log"):
            path = self.root / "log" / name
            if path.exists():
                parts.append(path.read_text("utf-8", "replace")[-800:])
        return " | ".join(parts)

    def check(self, raw: bytes, conn: http.client.HTTPConnection | None = None) -> float:
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port,
                                                  timeout=PER_MESSAGE_TIMEOUT)
        try:
            conn.request("POST", "/checkv2", body=raw,
                         headers={"Content-Length": str(len(raw))})
            resp = conn.getresponse()
            body = resp.read()
        finally:
            if own:
                conn.close()
        if resp.status != 200:
            raise ToolFailed(f"rspamd answered HTTP {resp.status}")
        return float(json.loads(body)["score"])

    def check_all(self, messages: Sequence[bytes]) -> list[float]:
        """Scores over one keep-alive connection; ``-inf`` for a message rspamd failed on."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=PER_MESSAGE_TIMEOUT)
        scores: list[float] = []
        for raw in messages:
            try:
                scores.append(self.check(raw, conn))
            except (OSError, http.client.HTTPException, ToolFailed, ValueError, KeyError):
                scores.append(-math.inf)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                  timeout=PER_MESSAGE_TIMEOUT)
        conn.close()
        return scores

    def worker_cpu(self) -> float:
        """CPU seconds of the scanner worker(s): the children of the main process."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        if self.proc is None:
            return 0.0
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_bytes()
            except OSError:
                continue
            fields = stat[stat.rfind(b")") + 2:].split()
            if int(fields[1]) == self.proc.pid and b"normal" in Path(
                    f"/proc/{entry.name}/cmdline").read_bytes():
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=20)
        if getattr(self, "stderr", None) is not None:
            self.stderr.close()
        if self.dns.is_alive():
            self.dns.stop()


def run_rspamd(messages: Sequence[bytes], workdir: Path, workers: int = 1) -> ToolScores:
    """Score ``messages`` with rspamd's stock rules, network modules off.

    ``workers`` scanner processes, each fed by one client connection; their CPU seconds are
    summed, so the rate stays a one-core figure.
    """
    version = rspamd_version()
    root = Path(tempfile.mkdtemp(prefix="rspamd-", dir=workdir))
    server = RspamdServer(root, workers)
    try:
        server.start()
        cpu0, wall0 = server.worker_cpu(), time.perf_counter()
        chunks = _chunks(messages, workers)
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            parts = list(pool.map(server.check_all, chunks))
        wall = time.perf_counter() - wall0
        cpu = server.worker_cpu() - cpu0
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    scores = [s for part in parts for s in part]
    errors = sum(1 for s in scores if s == -math.inf)
    if errors == len(scores):
        raise ToolFailed("rspamd scored no message: " + server.log_tail())
    return ToolScores(version, version, scores, errors, cpu, wall)
