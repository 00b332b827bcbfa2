"""Find the chosen messages in the store and read their original bytes back, verified.

An evidence pack is only worth something if its originals are exactly what arrived. The store
recorded each message's SHA-256 when it was first read, so every original is fetched again from
where it lives (a file, a range of an mbox, an IMAP folder and UID) and kept only when its hash
still matches. A message that moved (a Maildir file renamed by a mail client, an IMAP message
filed in another folder) is looked for where it can have gone; a message that is gone, or whose
bytes changed, is reported in plain words and never replaced by another one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from accalmie.config import Account, Config, ConfigError
from accalmie.i18n import _
from accalmie.sources.files import split_mbox
from accalmie.store import Store, StoredMessage

if TYPE_CHECKING:
    from accalmie.imap.connect import Session

log = logging.getLogger("accalmie.guard.evidence")

MAX_REFS = 1000  # messages in one pack
MAX_REF_CHARS = 998  # the longest Message-ID a header line can hold
MAX_ORIGINAL = 128 << 20  # bytes of one original message
MAX_FOLDERS = 200  # IMAP folders searched for a message that left its place
MAX_CANDIDATES = 20  # messages with the same Message-ID fetched in one folder
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAILDIR_INFO = re.compile(r"[:;!]")


class EvidenceError(Exception):
    """Some originals cannot be packed; ``problems`` says which and why, for the user."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class _TooBig(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Original:
    """One chosen message: its stored row, its exact bytes, and where they were read."""

    ref: str  # what the user typed
    row: StoredMessage
    raw: bytes
    location: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- choosing rows ------------------------------------------------------------------------------

def clean_refs(refs: Sequence[str]) -> list[str]:
    """The references as given, checked and without repeats (order kept)."""
    if not refs:
        raise ConfigError(_("Name at least one message (its Message-ID or stored number)."))
    if len(refs) > MAX_REFS:
        raise ConfigError(_("At most {n} messages go in one pack.").format(n=MAX_REFS))
    out: list[str] = []
    bad: list[str] = []
    for ref in refs:
        value = ref.strip()
        if not value or len(value) > MAX_REF_CHARS or _CONTROL.search(value):
            bad.append(repr(ref[:60]))
        elif value not in out:
            out.append(value)
    if bad:
        raise ConfigError(_("Not a Message-ID nor a message number: {refs}.").format(
            refs=", ".join(bad)))
    return out


def select_rows(store: Store, account: Account, refs: Sequence[str]
                ) -> list[tuple[str, list[StoredMessage]]]:
    """For each reference, the stored rows that may hold that message, most recent first.

    A reference is a Message-ID (with or without ``<>``) or a stored row number, as for
    ``accalmie explain``; only this account's rows count. Unknown references are all named in
    one error (exit code 2), before anything is fetched.
    """
    account_id = store.accounts().get(account.name)
    if account_id is None:
        raise ConfigError(_("Nothing is stored for the account {name}: sort its mail first "
                            "(accalmie triage or accalmie sync).").format(name=account.name))
    found: list[tuple[str, list[StoredMessage]]] = []
    unknown: list[str] = []
    for ref in clean_refs(refs):
        rows = _rows_for(store, account_id, ref)
        if rows:
            found.append((ref, rows))
        else:
            unknown.append(ref)
    if unknown:
        raise ConfigError(_("No stored message matches {refs}.").format(
            refs=", ".join(unknown)))
    return found


def _rows_for(store: Store, account_id: int, ref: str) -> list[StoredMessage]:
    if ref.isdigit() and len(ref) <= 18:
        row = store.get_message(int(ref))
        if row is not None and row.account_id == account_id:
            return [row]
    bare = ref.strip("<>").strip()
    rows: dict[int, StoredMessage] = {}
    for form in (f"<{bare}>", bare):
        for row in store.find_messages(account_id, message_id=form, limit=MAX_CANDIDATES):
            rows.setdefault(row.id, row)
    return sorted(rows.values(), key=lambda r: (r.updated_at, r.id), reverse=True)


# -- reading originals --------------------------------------------------------------------------

def parse_file_key(key: str) -> tuple[str, int | None]:
    """``file:<path>[#mbox:<offset>]`` or ``file:mbox:<offset>`` -> (path, mbox offset)."""
    body = key[len("file:"):] if key.startswith("file:") else key
    if body.startswith("mbox:") and body[5:].isdigit():
        return "", int(body[5:])
    path, sep, offset = body.rpartition("#mbox:")
    if sep and offset.isdigit():
        return path, int(offset)
    return body, None


def _limited(handle: IO[bytes], limit: int) -> Iterator[bytes]:
    total = 0
    for line in handle:
        total += len(line)
        if total > limit + 65536:
            raise _TooBig
        yield line


def read_location(path: Path, offset: int | None) -> bytes:
    """The bytes the sources module read for this key: a whole file, or one mbox message."""
    if offset is None:
        if path.stat().st_size > MAX_ORIGINAL:
            raise _TooBig
        return path.read_bytes()
    with path.open("rb") as handle:
        handle.seek(offset)
        for _start, raw in split_mbox(_limited(handle, MAX_ORIGINAL)):
            return raw
    return b""


def _maildir_base(name: str) -> str:
    return _MAILDIR_INFO.split(name, maxsplit=1)[0]


def maildir_renamed(path: Path) -> list[Path]:
    """Where a Maildir message can be after a client read it (``new`` -> ``cur``, flags)."""
    if path.parent.name not in ("cur", "new"):
        return []
    base = _maildir_base(path.name)
    out: list[Path] = []
    for sub in ("cur", "new"):
        folder = path.parent.parent / sub
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        out.extend(folder / n for n in sorted(names)
                   if n != path.name and _maildir_base(n) == base)
    return out


class OriginalFetcher:
    """Reads originals from files and from the IMAP server (one session, opened when needed).

    ``sources`` are the mailboxes given to ``accalmie triage`` (a Maildir, an mbox, a folder or
    an .eml file): stored file keys are relative to them. ``password`` gives the IMAP password
    (default: the account's configured way).
    """

    def __init__(self, config: Config, account: Account, sources: Sequence[Path] = (), *,
                 password: Callable[[], str] | None = None) -> None:
        self.config = config
        self.account = account
        self.sources = [Path(s).expanduser().absolute() for s in sources]
        self._password = password or account.password
        self._session: Session | None = None

    def __enter__(self) -> OriginalFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def fetch_all(self, chosen: Sequence[tuple[str, list[StoredMessage]]],
                  progress: Callable[[int, int], None] | None = None) -> list[Original]:
        """Every chosen original, or an EvidenceError naming each one that cannot be packed."""
        originals: list[Original] = []
        problems: list[str] = []
        seen: set[str] = set()
        for i, (ref, rows) in enumerate(chosen):
            original, why = self.fetch(ref, rows)
            if original is None:
                problems.extend(why)
            elif original.row.raw_sha256 not in seen:
                seen.add(original.row.raw_sha256)
                originals.append(original)
            if progress:
                progress(i + 1, len(chosen))
        if problems:
            raise EvidenceError(problems)
        return originals

    def fetch(self, ref: str, rows: Sequence[StoredMessage]) -> tuple[Original | None, list[str]]:
        """The first row whose original is found with the recorded hash; else the reasons."""
        problems: list[str] = []
        for row in rows:
            if row.key.startswith("imap:"):
                original, why = self._fetch_imap(ref, row)
            else:
                original, why = self._fetch_file(ref, row)
            if original is not None:
                return original, []
            problems.extend(p for p in why if p not in problems)
        return None, problems

    # -- files ----------------------------------------------------------------------------------

    def _paths(self, rel: str) -> list[Path]:
        if rel and Path(rel).is_absolute():
            return [Path(rel)]
        out: list[Path] = []
        for src in self.sources:
            if src.is_dir():
                if not rel:
                    continue
                candidate = src / rel
                try:
                    if not candidate.resolve().is_relative_to(src.resolve()):
                        continue  # a key never leads out of its mailbox
                except (OSError, RuntimeError):
                    continue
                out.append(candidate)
            elif not rel or rel == src.name:
                out.append(src)
        return out

    def _fetch_file(self, ref: str, row: StoredMessage) -> tuple[Original | None, list[str]]:
        rel, offset = parse_file_key(row.key)
        paths = self._paths(rel)
        if not paths:
            return None, [_("{ref}: this message was read from local files ({key}); say where "
                            "they are with --source (the Maildir, mbox, folder or file given "
                            "to accalmie triage).").format(ref=ref, key=row.key[:200])]
        problems: list[str] = []
        for path in paths:
            tries = [path] if path.exists() or offset is not None else maildir_renamed(path)
            if not tries:
                problems.append(_("{ref}: the original file {path} is gone.").format(
                    ref=ref, path=path))
                continue
            for candidate in tries:
                try:
                    raw = read_location(candidate, offset)
                except _TooBig:
                    problems.append(_("{ref}: the original is larger than {mb} MB; it is not "
                                      "packed.").format(ref=ref, mb=MAX_ORIGINAL >> 20))
                    continue
                except FileNotFoundError:
                    problems.append(_("{ref}: the original file {path} is gone.").format(
                        ref=ref, path=candidate))
                    continue
                except OSError as exc:
                    problems.append(_("{ref}: the file {path} cannot be read ({error}).").format(
                        ref=ref, path=candidate, error=exc.strerror or exc.__class__.__name__))
                    continue
                if sha256(raw) == row.raw_sha256:
                    where = f"{candidate}#mbox:{offset}" if offset is not None else str(candidate)
                    return Original(ref, row, raw, where), []
                problems.append(_("{ref}: {path} has changed since the message was sorted (its "
                                  "SHA-256 differs from the one recorded then); it is not "
                                  "packed.").format(ref=ref, path=candidate))
        return None, problems

    # -- IMAP -----------------------------------------------------------------------------------

    def _imap(self) -> Session:
        if self._session is None:
            from accalmie.imap.connect import open_session

            self._session = open_session(self.account, self._password())
        return self._session

    def _fetch_imap(self, ref: str, row: StoredMessage) -> tuple[Original | None, list[str]]:
        from accalmie.imap.connect import imap_errors

        if not self.account.host:
            return None, [_("{ref}: this message was read from an IMAP server, but the account "
                            "{name} has no server configured.").format(ref=ref,
                                                                       name=self.account.name)]
        session = self._imap()
        with imap_errors(self.account):
            return self._imap_search(session, ref, row)

    def _imap_search(self, session: Session, ref: str, row: StoredMessage
                     ) -> tuple[Original | None, list[str]]:
        from accalmie.imap.connect import ImapError, ImapErrorKind
        from accalmie.imap.sync import select

        validity = _uidvalidity(row.key)
        if row.uid is not None and validity is not None:
            try:
                info = select(session, row.folder, readonly=True)
            except ImapError as exc:
                if exc.kind != ImapErrorKind.FOLDER:
                    raise
                info = None
            if info is not None and info.uidvalidity == validity:
                raw = _fetch_uids(session, [int(row.uid)]).get(int(row.uid))
                if raw is not None and sha256(raw) == row.raw_sha256:
                    return Original(ref, row, raw, f"IMAP {row.folder} UID {row.uid}"), []
        if not row.message_id or any(ch in row.message_id for ch in '"\\\r\n'):
            return None, [_("{ref}: the message is no longer at its place on the server "
                            "({folder}), and it has no usable Message-ID to look for it "
                            "elsewhere.").format(ref=ref, folder=row.folder)]
        differs: list[str] = []
        searched = self._folders(session, row.folder)
        for folder in searched:
            try:
                select(session, folder, readonly=True)
            except ImapError as exc:
                if exc.kind != ImapErrorKind.FOLDER:
                    raise
                continue
            uids = session.client.search(["HEADER", "Message-ID", row.message_id])
            fetched = _fetch_uids(session, sorted(uids)[:MAX_CANDIDATES])
            for uid, raw in fetched.items():
                if sha256(raw) == row.raw_sha256:
                    return Original(ref, row, raw, f"IMAP {folder} UID {uid}"), []
            if fetched:
                differs.append(folder)
        if differs:
            return None, [_("{ref}: the server holds a message with this Message-ID in "
                            "{folders}, but its content differs from what was sorted; it is "
                            "not packed.").format(ref=ref, folders=", ".join(differs))]
        return None, [_("{ref}: the message is no longer on the server (looked for it in "
                        "{n} folders).").format(ref=ref, n=len(searched))]

    def _folders(self, session: Session, first: str) -> list[str]:
        """Its last known folder, the lane folders, the inboxes, then every other folder."""
        from accalmie.imap.actions import lane_folder_names, namespace_prefix

        lanes = lane_folder_names(self.config, session.separator, namespace_prefix(session))
        order = [first, *lanes.values(), *self.account.folders, "INBOX"]
        try:
            listed = session.client.list_folders()
        except Exception:  # noqa: BLE001 - a server that cannot LIST: the known folders only
            listed = []
        for flags, _sep, name in listed:
            if not any(_text(f).lower() == "\\noselect" for f in flags):
                order.append(str(name))
        out: list[str] = []
        for name in order:
            if name and name not in out:
                out.append(name)
        return out[:MAX_FOLDERS]


def _text(value: object) -> str:
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)


def _uidvalidity(key: str) -> int | None:
    parts = key.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return int(parts[1])
    return None


def _fetch_uids(session: Session, uids: Sequence[int]) -> dict[int, bytes]:
    """Exact bytes of these UIDs (``BODY.PEEK[]``: nothing marked read), the huge left out."""
    if not uids:
        return {}
    sizes = session.client.fetch(list(uids), ["RFC822.SIZE"])
    wanted = [u for u in uids if u in sizes and int(sizes[u].get(b"RFC822.SIZE", 0) or 0)
              <= MAX_ORIGINAL]
    out: dict[int, bytes] = {}
    if wanted:
        for uid, data in session.client.fetch(wanted, ["BODY.PEEK[]"]).items():
            raw = data.get(b"BODY[]")
            if raw is not None:
                out[int(uid)] = bytes(raw)
    return out
