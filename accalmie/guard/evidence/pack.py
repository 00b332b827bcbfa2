"""Assemble an evidence pack: originals, timeline (HTML, PDF), manifests, README, in one ZIP.

The ZIP is written to a temporary file next to the target and then put in place in one step,
so a crash or a full disk never leaves a half pack under the chosen name, and an existing file
is never replaced without ``force`` (even one that appears meanwhile: the final step refuses to
clobber). Nothing is written anywhere else. Names inside the ZIP are made by this module
(``originals/NN_date_subject.eml``, ASCII only), never taken from message content.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from accalmie.config import ConfigError
from accalmie.guard.evidence.collect import Original
from accalmie.guard.evidence.pseudonymise import Pseudonymiser
from accalmie.guard.evidence.timeline import (
    TEMPLATES,
    Entry,
    build_entries,
    render_html,
    render_pdf,
)
from accalmie.i18n import _

FORMAT = "accalmie-evidence-pack"
FORMAT_VERSION = 1
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
README = "README.txt"
TIMELINE_HTML = "timeline.html"
TIMELINE_PDF = "timeline.pdf"
ORIGINALS = "originals/"


@dataclass(frozen=True, slots=True)
class PackOptions:
    out: Path
    account: str
    lang: str = "fr"
    tz: tzinfo = UTC
    tz_name: str = "UTC"
    own_addresses: frozenset[str] = frozenset()
    pseudonymise: bool = False
    force: bool = False
    now: datetime | None = None  # the pack's date (tests give one)


@dataclass
class PackResult:
    path: Path
    entries: list[Entry]
    sha256: str  # of the ZIP itself
    size: int
    files: dict[str, str] = field(default_factory=dict)  # name -> SHA-256
    pseudonyms: int = 0


def slug(text: str, limit: int = 40) -> str:
    """ASCII file-name part from a subject: 'Re: Vous allez payer !' -> 're-vous-allez-payer'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cut = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return cut or "message"


def check_target(out: Path, force: bool) -> Path:
    """The --out path, refused early when it cannot be written as asked."""
    out = Path(out).expanduser().absolute()
    if not out.name or out.is_dir():
        raise ConfigError(_("{path} is a folder: give the name of the ZIP file to write.")
                          .format(path=out))
    if not out.parent.is_dir():
        raise ConfigError(_("The folder {path} does not exist.").format(path=out.parent))
    if (out.exists() or out.is_symlink()) and not force:
        raise ConfigError(_("{path} already exists (use --force to overwrite it).").format(
            path=out))
    return out


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("accalmie")
    except Exception:  # noqa: BLE001 - running from a source tree
        return "dev"


def _iso(when: datetime | None, tz: tzinfo | None = None) -> str | None:
    if when is None:
        return None
    return when.astimezone(tz or UTC).isoformat(timespec="seconds")


def manifest(entries: Sequence[Entry], files: dict[str, str], opts: PackOptions,
             generated: datetime, pseudonyms: int) -> dict[str, Any]:
    """The machine-readable description; its file hashes repeat SHA256SUMS."""
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "generator": f"Accalmie {_version()}",
        "generated_at": _iso(generated), "account": opts.account, "language": opts.lang,
        "time_zone": opts.tz_name, "pseudonymised": opts.pseudonymise,
        "pseudonyms": pseudonyms if opts.pseudonymise else None,
        "messages": [{
            "number": e.number, "file": e.filename, "sha256": e.sha256, "size": e.size,
            "date": _iso(e.date), "date_local": _iso(e.date, opts.tz), "date_text": e.date_text,
            "sender": {"name": e.sender_name, "address": e.sender_email},
            "recipients": list(e.recipients), "subject": e.subject, "message_id": e.message_id,
            "category": e.category.to_json(), "excerpt": e.excerpt,
            "highlighted": [t for t, m in e.segments if m],
            "first_seen": _iso(e.first_seen), "read_from": e.location,
        } for e in entries],
        "files": dict(files),
    }


@lru_cache(maxsize=1)
def _text_env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(["html"], disabled_extensions=("txt",)),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def readme(opts: PackOptions, n: int, generated_text: str, zip_name: str) -> str:
    lang = opts.lang if opts.lang in ("fr", "en") else "fr"
    return _text_env().get_template(f"evidence_readme.{lang}.txt").render(
        n=n, account=opts.account, generated=generated_text, pseudonymised=opts.pseudonymise,
        tz=opts.tz_name, zip_name=zip_name)


def sums_text(files: dict[str, str]) -> str:
    """``sha256sum`` format: hash, two spaces, name; one line per file."""
    return "".join(f"{digest}  {name}\n" for name, digest in files.items())


def build_pack(originals: Sequence[Original], opts: PackOptions) -> PackResult:
    """Write the pack of these verified originals to ``opts.out``."""
    from accalmie.guard.evidence.timeline import local_text

    out = check_target(opts.out, opts.force)
    generated = (opts.now or datetime.now(UTC)).astimezone(UTC)
    pseudo = Pseudonymiser(opts.own_addresses, opts.lang, enabled=opts.pseudonymise)
    width = max(2, len(str(len(originals))))

    def filename(number: int, when: datetime | None, subject: str) -> str:
        day = when.astimezone(opts.tz).strftime("%Y-%m-%d") if when else "0000-00-00"
        return f"{ORIGINALS}{number:0{width}d}_{day}_{slug(subject)}.eml"

    entries = build_entries(originals, pseudo, opts.tz, opts.lang, filename)
    raw_by_sha = {o.row.raw_sha256: o.raw for o in originals}
    contents: dict[str, bytes] = {e.filename: raw_by_sha[e.sha256] for e in entries}
    html = render_html(entries, account=opts.account, lang=opts.lang, tz_name=opts.tz_name,
                       generated=generated, tz=opts.tz, pseudonymised=opts.pseudonymise)
    contents[TIMELINE_HTML] = html.encode("utf-8")
    contents[TIMELINE_PDF] = render_pdf(html)
    contents[README] = readme(opts, len(entries), local_text(generated, opts.tz, opts.lang),
                              out.name).encode("utf-8")
    files = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    doc = manifest(entries, files, opts, generated, pseudo.count)
    contents[MANIFEST] = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files[MANIFEST] = hashlib.sha256(contents[MANIFEST]).hexdigest()
    contents[SUMS] = sums_text(files).encode("ascii")
    digest, size = write_zip(out, contents, generated.astimezone(opts.tz), opts.force)
    return PackResult(out, entries, digest, size, files, pseudo.count)


def write_zip(out: Path, contents: dict[str, bytes], when: datetime, force: bool
              ) -> tuple[str, int]:
    """Write the ZIP atomically; returns its SHA-256 and size."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in contents.items():
                    info = zipfile.ZipInfo(name, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, data)
            handle.flush()
            os.fsync(handle.fileno())
        digest, size = file_sha256(tmp)
        _put_in_place(tmp, out, force)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(out.parent)
    return digest, size


def file_sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _put_in_place(tmp: Path, out: Path, force: bool) -> None:
    if force:
        os.replace(tmp, out)
        return
    try:
        os.link(tmp, out)  # fails if the name exists, even if it appeared meanwhile
    except FileExistsError:
        raise ConfigError(_("{path} already exists (use --force to overwrite it).").format(
            path=out)) from None
    except OSError:  # a file system without hard links
        if out.exists() or out.is_symlink():
            raise ConfigError(_("{path} already exists (use --force to overwrite it).").format(
                path=out)) from None
        os.replace(tmp, out)
        return
    tmp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
