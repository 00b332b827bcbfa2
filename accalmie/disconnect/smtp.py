"""Placeholder: its section parser is replaced by the capability's real one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accalmie.config import config_error
from accalmie.i18n import _


def parse_section(raw: Any, path: Path | None, where: str) -> Any:
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    return dict(raw)
