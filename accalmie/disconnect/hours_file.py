"""Rewrite the [hours] table of the configuration file, and nothing else.

The TOML file stays the one source of truth: `accalmie hours set/leave/exception/urgent`
edit it rather than keep overrides elsewhere, so what the user reads in the file is what
runs. Only the hours table (top level, or one account's ``[accounts.hours]``) is replaced,
with its sub-tables; every other line, comments included, is kept byte for byte. Comments
inside the hours table itself are not kept (the block says so).

Safety: the new text is parsed again and must equal the old document with only the hours
table changed, and the whole configuration must still load; otherwise nothing is written.
The file is replaced atomically, keeping its permissions, and not at all if it changed on
disk in the meantime.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from accalmie.config import ConfigError, parse_config
from accalmie.disconnect.hours_config import KEYS
from accalmie.i18n import _

BLOCK_COMMENT = ("# Working time: edited by `accalmie hours …` (comments inside this table "
                 "are not kept).")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


# -- writing TOML values ---------------------------------------------------------------------


def toml_key(key: str) -> str:
    return key if _BARE.match(key) else toml_string(key)


def toml_string(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return out.replace("\x7f", "\\u007F")


def toml_value(value: Any) -> str:
    """One value on one line (inline tables and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def render_table(header: str, table: Mapping[str, Any]) -> list[str]:
    """The lines of ``[header]`` with the table's keys, known keys in their usual order."""
    lines = [f"[{header}]", BLOCK_COMMENT]
    order = [k for k in KEYS if k in table] + [k for k in table if k not in KEYS]
    for key in order:
        value = table[key]
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            lines.append(f"{toml_key(key)} = [")
            lines.extend(f"  {toml_value(v)}," for v in value)
            lines.append("]")
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    return lines


# -- finding tables in the text --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    line: int
    array: bool  # [[…]]
    key: tuple[str, ...]


def _parse_header(line: str) -> tuple[bool, tuple[str, ...]] | None:
    s = line.strip()
    array = s.startswith("[[")
    i = 2 if array else 1
    parts: list[str] = []
    while True:
        while i < len(s) and s[i] in " \t":
            i += 1
        if i >= len(s):
            return None
        if s[i] == '"':
            j = i + 1
            while j < len(s) and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            if j >= len(s):
                return None
            try:
                parts.append(json.loads(s[i:j + 1]))
            except ValueError:
                return None
            i = j + 1
        elif s[i] == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            parts.append(s[i + 1:j])
            i = j + 1
        else:
            m = re.compile(r"[A-Za-z0-9_-]+").match(s, i)
            if not m:
                return None
            parts.append(m.group(0))
            i = m.end()
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == ".":
            i += 1
            continue
        break
    close = "]]" if array else "]"
    if not s.startswith(close, i):
        return None
    rest = s[i + len(close):].strip()
    if rest and not rest.startswith("#"):
        return None
    return array, tuple(parts)


def find_headers(text: str) -> list[Header]:
    """Table headers outside strings and arrays (a small lexer, enough for real configs)."""
    headers: list[Header] = []
    ml: str | None = None  # inside a multi-line string: its delimiter
    depth = 0  # inside brackets or braces of a value
    for n, line in enumerate(text.split("\n")):
        i = 0
        if ml is None and depth == 0 and line.lstrip().startswith("["):
            parsed = _parse_header(line)
            if parsed is not None:
                headers.append(Header(n, parsed[0], parsed[1]))
                continue
        while i < len(line):
            c = line[i]
            if ml is not None:
                if c == "\\" and ml == '"""':
                    i += 2
                    continue
                if line.startswith(ml, i):
                    i += 3
                    while i < len(line) and line[i] == ml[0]:  # up to two extra quotes
                        i += 1
                    ml = None
                    continue
                i += 1
                continue
            if c == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                ml = line[i:i + 3]
                i += 3
                continue
            if c == '"':
                i += 1
                while i < len(line) and line[i] != '"':
                    i += 2 if line[i] == "\\" else 1
                i += 1
                continue
            if c == "'":
                j = line.find("'", i + 1)
                i = len(line) if j < 0 else j + 1
                continue
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth = max(0, depth - 1)
            i += 1
    return headers


def _content_end(lines: list[str], start: int, stop: int) -> int:
    """Index after the last line of [start, stop) that is neither blank nor a comment: the
    comments just before the next header belong to that header."""
    end = stop
    while end > start + 1 and (not lines[end - 1].strip()
                               or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _spans(headers: list[Header], n_lines: int) -> list[tuple[Header, int]]:
    """Each header with the index of the next header's line (or the end)."""
    out = []
    for i, h in enumerate(headers):
        nxt = headers[i + 1].line if i + 1 < len(headers) else n_lines
        out.append((h, nxt))
    return out


# -- the edit --------------------------------------------------------------------------------


def read_document(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and data ('' and {} when it does not exist yet)."""
    if not path.exists():
        return "", {}
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(_("{path} is not valid UTF-8 text.").format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path} is not valid TOML: {error}").format(path=path,
                                                                        error=exc)) from None
    except OSError as exc:
        raise ConfigError(_("Cannot read {path}: {error}").format(
            path=path, error=exc.strerror)) from None


def account_index(data: Mapping[str, Any], account: str) -> int:
    accounts = data.get("accounts", [])
    if isinstance(accounts, list):
        for i, acc in enumerate(accounts):
            if isinstance(acc, dict) and acc.get("name") == account:
                return i
    raise ConfigError(_("Unknown account: {name}.").format(name=account))


def current_table(data: Mapping[str, Any], account: str | None) -> dict[str, Any]:
    """The raw hours table being edited (a deep copy), {} when there is none."""
    if account is None:
        table = data.get("hours", {})
    else:
        table = data["accounts"][account_index(data, account)].get("hours", {})
    if not isinstance(table, dict):
        raise ConfigError(_("The hours table of the configuration is not a table."))
    return copy.deepcopy(table)


def splice(text: str, data: Mapping[str, Any], account: str | None,
           table: Mapping[str, Any]) -> str:
    """The text with the hours table replaced by ``table`` (removed when empty)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    headers = find_headers("\n".join(lines))
    spans = _spans(headers, len(lines))
    if account is None:
        prefix: tuple[str, ...] = ("hours",)
        region = (0, len(lines))
        header_text = "hours"
    else:
        index = account_index(data, account)
        entries = [(h, nxt) for h, nxt in spans if h.array and h.key == ("accounts",)]
        if index >= len(entries):
            raise ConfigError(_("The account {name} is not written as an [[accounts]] table; "
                                "edit its hours by hand.").format(name=account))
        first = entries[index][0]
        last = first.line + 1
        for h, nxt in spans:
            if h.line < first.line:
                continue
            if h.line > first.line and (h.key[:1] != ("accounts",) or h.key == ("accounts",)):
                break
            last = nxt
        region = (first.line, last)
        prefix = ("accounts", "hours")
        header_text = "accounts.hours"
    main: tuple[int, int] | None = None
    remove: list[tuple[int, int]] = []
    for h, nxt in spans:
        if not region[0] <= h.line < region[1] or h.key[:len(prefix)] != prefix:
            continue
        span = (h.line, _content_end(lines, h.line, min(nxt, region[1])))
        if h.key == prefix and not h.array and main is None:
            main = span
        else:
            remove.append(span)
    block = render_table(header_text, table) if table else []
    edits = [(s, e, []) for s, e in remove]
    if main is not None:
        edits.append((main[0], main[1], block))
    elif block:
        at = _content_end(lines, region[0], region[1]) if account is not None else len(lines)
        edits.append((at, at, ["", *block] if at and lines[at - 1].strip() else block))
    for s, e, new in sorted(edits, reverse=True):
        lines[s:e] = new
    return "\n".join(lines).rstrip("\n") + "\n"


def _expected(data: Mapping[str, Any], account: str | None,
              table: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(data))
    target = out if account is None else out["accounts"][account_index(out, account)]
    if table:
        target["hours"] = copy.deepcopy(dict(table))
    else:
        target.pop("hours", None)
    return out


def write_table(path: Path, account: str | None, table: Mapping[str, Any]) -> None:
    """Replace the hours table in the file at ``path`` (created if missing), safely."""
    text, data = read_document(path)
    new_text = splice(text, data, account, table)
    try:
        new_data = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        new_data = None
    if new_data != _expected(data, account, table):
        raise ConfigError(_("Cannot rewrite the hours of {path} safely (they are written in "
                            "an unusual way); edit the file by hand.").format(path=path))
    parse_config(new_data, path)  # the whole file must still load
    _atomic_write(path, text, new_text)


def _atomic_write(path: Path, old_text: str, new_text: str) -> None:
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != old_text:
        raise ConfigError(_("{path} changed while it was being edited; run the command "
                            "again.").format(path=path))
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".accalmie-", suffix=".toml", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(new_text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(_("Cannot write {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from None
