"""A private, throw-away Dovecot IMAP server for tests and benchmarks.

Each :class:`DovecotServer` writes its own minimal configuration (loopback only, free ports,
passwd-file users, Maildir under its folder, sockets/state/logs in private folders), so several
can run at once (pytest-xdist workers, benchmarks next to tests) without touching the system's
Dovecot. Nothing here imports pytest: benchmarks use it too. Tests get it through the fixtures in
``tests/fixtures_imap.py``, which skip loudly when the ``dovecot`` binary is missing.
"""

from __future__ import annotations

import atexit
import getpass
import imaplib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

APT_HINT = "apt-get install -y dovecot-imapd"

# Dovecot 2.3's post-login capabilities, used as a base when a test drops some of them.
_CAPS_FALLBACK = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
    "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES "
    "WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW "
    "STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
)

_running: set[DovecotServer] = set()


class DovecotUnavailable(RuntimeError):
    """The dovecot binary is not installed: the message says how to install it."""


class DovecotError(RuntimeError):
    """The private server failed to start or to act; the message quotes its log."""


def dovecot_binary() -> str | None:
    for name in ("dovecot", "/usr/sbin/dovecot"):
        found = shutil.which(name)
        if found:
            return found
    return None


def dovecot_version() -> tuple[int, int]:
    """(major, minor) of the installed Dovecot; raises DovecotUnavailable when absent."""
    binary = dovecot_binary()
    if binary is None:
        raise DovecotUnavailable(
            f"the 'dovecot' binary is not installed, so the IMAP tests cannot run; "
            f"install it with: {APT_HINT}")
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    m = re.match(r"(\d+)\.(\d+)", out.stdout.strip())
    if not m:
        raise DovecotUnavailable(f"cannot read the Dovecot version from {out.stdout!r}")
    return int(m.group(1)), int(m.group(2))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_self_signed_cert(folder: Path, hostnames: Sequence[str] = ("localhost",)) -> tuple[
        Path, Path]:
    """A self-signed certificate (also its own CA) for ``hostnames`` and 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    san = ",".join([f"DNS:{h}" for h in hostnames] + ["IP:127.0.0.1"])
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
         "-days", "3650", "-subj", f"/CN={hostnames[0]}", "-addext", f"subjectAltName={san}",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    key.chmod(0o600)
    return cert, key


class DovecotServer:
    """One private Dovecot instance.

    ``tls=True`` adds an implicit-TLS listener (``tls_port``) and STARTTLS on the plain port,
    with a self-signed certificate at ``cert_file`` (give it to clients as their CA file).
    ``separator`` is the hierarchy separator ('.' is Maildir++'s). ``drop_capabilities`` hides
    extensions (e.g. ``("MOVE",)``) from the post-login CAPABILITY, to exercise fallbacks.
    """

    def __init__(self, tmpdir: str | os.PathLike[str], port: int | None = None, *,
                 tls: bool = False, separator: str = ".",
                 drop_capabilities: Iterable[str] = (), users: dict[str, str] | None = None,
                 ) -> None:
        self.root = Path(tmpdir).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.version = dovecot_version()
        self.binary = dovecot_binary() or "dovecot"
        self.doveadm_bin = shutil.which("doveadm") or "/usr/bin/doveadm"
        self.fixed_port = port
        self.port = port or 0
        self.tls_port = 0
        self.tls = tls
        self.separator = separator
        self.drop_capabilities = frozenset(c.upper() for c in drop_capabilities)
        self.users: dict[str, str] = dict(users or {"alice": "secret"})
        self.host = "127.0.0.1"
        # Unix socket paths are limited to ~108 bytes: keep the run folder short.
        self.runtime = Path(tempfile.mkdtemp(prefix="dvc"))
        self.runtime.chmod(0o755)
        self.base_dir = self.runtime / "run"
        self.base_dir.mkdir(mode=0o755)
        self.state_dir = self.root / "state"
        # Dovecot refuses to access mail as root: as root, mail belongs to 'nobody' and must
        # sit where that user can reach it (pytest's folders are private to root).
        self.mail_uid, self.mail_gid = _mail_ids()
        if os.geteuid() == 0:
            self.home_root = self.runtime / "home"
        else:
            self.home_root = self.root / "home"
        self.log_path = self.root / "dovecot.log"
        self.conf_path = self.root / "dovecot.conf"
        self.passwd_path = self.base_dir / "users"  # the auth process must be able to read it
        self.cert_file: Path | None = None
        self.key_file: Path | None = None
        self._capability_line: str | None = None
        if tls:
            self.cert_file, self.key_file = make_self_signed_cert(self.root / "tls")

    # -- configuration -------------------------------------------------------------------

    @property
    def user(self) -> str:
        """The first (default) test user."""
        return next(iter(self.users))

    @property
    def password(self) -> str:
        return self.users[self.user]

    def _write_passwd(self) -> None:
        lines = [f"{name}:{{PLAIN}}{pw}\n" for name, pw in self.users.items()]
        self.passwd_path.write_text("".join(lines), encoding="utf-8")
        self.passwd_path.chmod(0o644)

    def _config(self) -> str:
        root = os.geteuid() == 0
        me = "root" if root else getpass.getuser()
        login_user = "dovenull" if root and _user_exists("dovenull") else me
        internal_user = "dovecot" if root and _user_exists("dovecot") else me
        uid, gid = self.mail_uid, self.mail_gid
        caps = ""
        if self.drop_capabilities:
            base = (self._capability_line or _CAPS_FALLBACK).split()
            kept = [c for c in base if c.upper() not in self.drop_capabilities]
            caps = " ".join(kept)
        listeners = (f"  inet_listener imap {{\n    address = 127.0.0.1\n"
                     f"    port = {self.port}\n  }}\n")
        if self.tls:
            listeners += (f"  inet_listener imaps {{\n    address = 127.0.0.1\n"
                          f"    port = {self.tls_port}\n    ssl = yes\n  }}\n")
        else:
            listeners += "  inet_listener imaps {\n    port = 0\n  }\n"
        chroot = "" if root else "  chroot =\n"
        group = "" if root else f"default_internal_group = {_group_name(os.getegid())}\n"
        sent = "\n".join(
            f'  mailbox "{name}" {{\n    special_use = {use}\n  }}'
            for name, use in (("Sent", "\\Sent"), ("Drafts", "\\Drafts"),
                              ("Trash", "\\Trash"), ("Junk", "\\Junk")))
        if self.version >= (2, 4):
            return self._config_24(me, login_user, internal_user, uid, gid, caps, listeners,
                                    chroot, sent)
        ssl = ""
        if self.tls:
            ssl = (f"ssl = yes\nssl_cert = <{self.cert_file}\nssl_key = <{self.key_file}\n"
                   "ssl_min_protocol = TLSv1.2\n")
        else:
            ssl = "ssl = no\n"
        return f"""# Private test server written by tests/support/dovecot.py
instance_name = accalmie-{self.port}
base_dir = {self.base_dir}
state_dir = {self.state_dir}
log_path = {self.log_path}
protocols = imap
listen = 127.0.0.1
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
{group}first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd_path}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.home_root}/%u
}}
namespace inbox {{
  inbox = yes
  separator = {self.separator}
  prefix =
{sent}
}}
service imap-login {{
{listeners}{chroot}}}
service anvil {{
{chroot}}}
service stats {{
  unix_listener stats-reader {{
    user = {me}
  }}
  unix_listener stats-writer {{
    user = {me}
    mode = 0666
  }}
}}
protocol imap {{
  mail_max_userip_connections = 200
{f"  imap_capability = {caps}" if caps else ""}
}}
"""

    def _config_24(self, me: str, login_user: str, internal_user: str, uid: int, gid: int,
                   caps: str, listeners: str, chroot: str, sent: str) -> str:
        """Dovecot 2.4 renamed many settings (``auth_allow_cleartext``, ``mail_driver``...)."""
        ssl = ("ssl = yes\n"
               f"ssl_server_cert_file = {self.cert_file}\n"
               f"ssl_server_key_file = {self.key_file}\n") if self.tls else "ssl = no\n"
        cap_block = ""
        if caps:
            cap_block = "imap_capability {\n" + "".join(
                f"  {c} = no\n" for c in sorted(self.drop_capabilities)) + "}\n"
        return f"""# Private test server written by tests/support/dovecot.py
dovecot_config_version = {self.version[0]}.{self.version[1]}.0
dovecot_storage_version = {self.version[0]}.{self.version[1]}.0
instance_name = accalmie-{self.port}
base_dir = {self.base_dir}
state_dir = {self.state_dir}
log_path = {self.log_path}
protocols = imap
listen = 127.0.0.1
{ssl}auth_allow_cleartext = yes
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 0
first_valid_gid = 0
mail_driver = maildir
mail_home = {self.home_root}/%{{user}}
mail_path = ~/Maildir
mail_fsync = never
passdb passwd-file {{
  passwd_file_path = {self.passwd_path}
  default_password_scheme = PLAIN
}}
userdb static {{
  fields {{
    uid = {uid}
    gid = {gid}
    home = {self.home_root}/%{{user}}
  }}
}}
namespace inbox {{
  inbox = yes
  separator = {self.separator}
  prefix =
{sent}
}}
service imap-login {{
{listeners}{chroot}}}
service anvil {{
{chroot}}}
mail_max_userip_connections = 200
{cap_block}"""

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._master_pid() is not None

    def _master_pid(self) -> int | None:
        try:
            pid = int((self.base_dir / "master.pid").read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        if _state(pid) in ("Z", "X", ""):
            return None  # exited (a zombie when nothing reaps daemons here)
        return pid

    def start(self) -> DovecotServer:
        """Start (ports chosen now unless fixed); waits until the server greets."""
        if self.running:
            return self
        if self.drop_capabilities and self._capability_line is None:
            self._capability_line = self._probe_capabilities()
        self._write_passwd()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.home_root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(self.home_root, self.mail_uid, self.mail_gid)
        last = ""
        for _attempt in range(5):
            # A restart keeps its ports (clients reconnect to the same place) unless taken.
            if not self.fixed_port and (_attempt or not self.port):
                self.port = free_port()
            if self.tls and (_attempt or not self.tls_port):
                self.tls_port = free_port()
            self.conf_path.write_text(self._config(), encoding="utf-8")
            # The daemon keeps inherited descriptors open: never capture through a pipe.
            err_path = self.root / "dovecot.stderr"
            with open(err_path, "wb") as err:
                proc = subprocess.run([self.binary, "-c", str(self.conf_path)],
                                      stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                      check=False)
            if proc.returncode == 0 and self._wait_ready():
                _running.add(self)
                return self
            last = err_path.read_text(errors="replace") + self._log_tail()
            self._kill_master()
            if self.fixed_port and "in use" not in last:
                break
        raise DovecotError(f"dovecot did not start (config {self.conf_path}):\n{last}")

    def _wait_ready(self, timeout: float = 15.0) -> bool:
        deadline = time.monotonic() + timeout
        ports = [self.port] + ([self.tls_port] if self.tls else [])
        while time.monotonic() < deadline:
            if self._master_pid() is None:
                time.sleep(0.05)
                continue
            try:
                for p in ports:
                    with socket.create_connection(("127.0.0.1", p), timeout=1):
                        pass
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def _log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def _kill_master(self, timeout: float = 0.3) -> None:
        """SIGTERM, then (Dovecot can take seconds to wind down) SIGKILL the whole instance."""
        pid = self._master_pid()
        if pid is None:
            return
        children = _children(pid)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._master_pid() is not None:
            time.sleep(0.02)
        for p in [pid, *children, *_children(pid)]:
            try:
                os.kill(p, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and self._master_pid() is not None:
            time.sleep(0.02)
        if self._master_pid() is None:
            # A zombie master (nothing reaps daemons in some containers) would make the
            # next start believe Dovecot is still running.
            (self.base_dir / "master.pid").unlink(missing_ok=True)

    def stop(self) -> None:
        """Stop the server; its mail stays on disk for a later :meth:`start`."""
        self._kill_master()
        # Wait until the ports are free again so that a restart can reuse them.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _port_open(self.port):
            time.sleep(0.05)
        _running.discard(self)

    def restart(self) -> DovecotServer:
        self.stop()
        return self.start()

    def close(self) -> None:
        """Stop and remove the private run folder (the mail folder is left to its owner)."""
        self.stop()
        shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _probe_capabilities(self) -> str:
        """Ask a temporary instance for its real capability list (for drop_capabilities)."""
        dropped, self.drop_capabilities = self.drop_capabilities, frozenset()
        try:
            self.start()
            with self.imap() as conn:
                typ, data = conn.capability()
                line = data[0].decode()
            self.stop()
        finally:
            self.drop_capabilities = dropped
        return " ".join(c for c in line.split() if not c.upper().startswith("AUTH="))

    # -- users and mail ------------------------------------------------------------------

    def add_user(self, name: str, password: str) -> None:
        """Add a user (live: the passwd-file is re-read on each login)."""
        self.users[name] = password
        self._write_passwd()

    def maildir(self, user: str | None = None) -> Path:
        """The user's Maildir (Maildir++: subfolders are ``.Name`` folders)."""
        return self.home_root / (user or self.user) / "Maildir"

    def imap(self, user: str | None = None) -> imaplib.IMAP4:
        """A logged-in plain imaplib connection (loopback), for setting up and checking."""
        name = user or self.user
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        conn.login(name, self.users[name])
        return conn

    def imap_folder(self, folder: str) -> str:
        """A folder name quoted (and UTF-7 encoded) for imaplib commands."""
        if folder.isascii():
            name = folder.replace("&", "&-")
        else:
            from imapclient.imap_utf7 import encode as utf7

            name = utf7(folder).decode("ascii")
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def create_folder(self, folder: str, user: str | None = None) -> None:
        if not self.running:
            self._doveadm("mailbox", "create", "-u", user or self.user, folder)
            return
        with self.imap(user) as conn:
            typ, data = conn.create(self.imap_folder(folder))
            if typ != "OK" and b"exists" not in (data[0] or b"").lower():
                raise DovecotError(f"CREATE {folder}: {data!r}")

    def deliver(self, user: str | None, raw: bytes, folder: str = "INBOX",
                flags: str = "") -> None:
        """Put one message in a folder: IMAP APPEND when running, else ``doveadm save``."""
        self.deliver_many(user, [raw], folder, flags)

    def deliver_many(self, user: str | None, raws: Iterable[bytes], folder: str = "INBOX",
                     flags: str = "") -> int:
        """Append many messages over one connection (folder created if missing)."""
        name = user or self.user
        if not self.running:
            n = 0
            for raw in raws:
                self._doveadm("save", "-u", name, "-m", folder, stdin=raw)
                n += 1
            return n
        n = 0
        with self.imap(name) as conn:
            quoted = self.imap_folder(folder)
            if folder.upper() != "INBOX":
                conn.create(quoted)
            for raw in raws:
                typ, data = conn.append(quoted, f"({flags})" if flags else None, None, raw)
                if typ != "OK":
                    raise DovecotError(f"APPEND to {folder}: {data!r}")
                n += 1
        return n

    def set_uidvalidity(self, folder: str, value: int, user: str | None = None) -> None:
        """Force a new UIDVALIDITY (what a server restore or rebuild does)."""
        self._doveadm("mailbox", "update", "-u", user or self.user, "--uid-validity",
                      str(value), folder)

    def _doveadm(self, *args: str, stdin: bytes | None = None) -> str:
        proc = subprocess.run([self.doveadm_bin, "-c", str(self.conf_path), *args], input=stdin,
                              capture_output=True, check=False)
        if proc.returncode != 0:
            raise DovecotError(f"doveadm {' '.join(args)} failed: "
                               f"{proc.stderr.decode(errors='replace')}")
        return proc.stdout.decode(errors="replace")

    def doveadm(self, *args: str, stdin: bytes | None = None) -> str:
        if not self.conf_path.exists():
            self.conf_path.write_text(self._config(), encoding="utf-8")
        return self._doveadm(*args, stdin=stdin)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0].decode()
    except (OSError, IndexError):
        return "" if not os.path.exists("/proc/self") else ""


def _children(pid: int) -> list[int]:
    """Direct children of a process (Linux /proc), to stop an instance at once."""
    out = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return out
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(name))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _mail_ids() -> tuple[int, int]:
    """The uid/gid that owns the test mail: ourselves, or 'nobody' when we are root."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _port_open(port: int) -> bool:
    if not port:
        return False
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@atexit.register
def _stop_all() -> None:
    for server in list(_running):
        try:
            server.close()
        except Exception:  # noqa: BLE001 - best effort at interpreter exit
            pass
