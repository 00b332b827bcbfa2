"""IMAP locations: UID sets as IMAP writes them (``1:3,7``) and the store key of a UID."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SET_ITEM = re.compile(rb"(\d+)(?::(\d+))?")


def parse_uid_set(text: bytes | str) -> list[int]:
    """``1:3,7`` -> [1, 2, 3, 7] (ranges may be written high:low)."""
    if isinstance(text, str):
        text = text.encode()
    out: list[int] = []
    for m in _SET_ITEM.finditer(text):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        lo, hi = min(a, b), max(a, b)
        out.extend(range(lo, hi + 1))
    return out


def uid_set(uids: Iterable[int]) -> str:
    """[1, 2, 3, 7] -> ``1:3,7``: short command lines for big moves and fetches."""
    ordered = sorted(set(uids))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}:{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def location_key(folder: str, uidvalidity: int, uid: int) -> str:
    """The store key of an IMAP location (one row per location)."""
    return f"imap:{folder}:{uidvalidity}:{uid}"
