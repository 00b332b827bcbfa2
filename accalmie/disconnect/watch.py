"""The ``[watch]`` section: how the live service holds mail, waits for it and reports.

Example (every key optional; the values shown are the defaults)::

    [watch]
    hold = true                    # hold new mail outside working hours ([hours])
    hold_folder = "Plus tard"      # under the lanes' parent ([lanes] parent)
    hold_lanes = ["priority", "info", "bulk", "suspect"]
    urgent_senders = []            # glob patterns never held (with [hours] urgent)
    urgent_rules = []              # names of [[rules]] whose messages are never held
    max_hold_days = 0              # release anything held longer than this (0: no limit)
    idle_renew = 1500              # seconds before IDLE is re-issued (RFC 2177: < 29 min)
    poll = 30                      # seconds between checks on a server without IDLE
    tick = 30                      # seconds between housekeeping ticks (release, digest...)
    rescan = 300                   # seconds between full passes (your moves, Sent folder)
    backoff_initial = 1.0          # first wait before reconnecting, in seconds
    backoff_max = 300.0            # longest wait between reconnection attempts
    health_file = ""               # default: <data dir>/watch-health.json
    health_interval = 10           # seconds between two writes of the health file
    stop_grace = 10                # seconds given to the current action on SIGTERM

The service itself is :mod:`accalmie.disconnect.watch_service`; holding and releasing is
:mod:`accalmie.disconnect.hold`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accalmie.config import DEFAULT_DATA_DIR, config_error
from accalmie.i18n import _
from accalmie.triage.decision import Lane

IDLE_LIMIT = 29 * 60  # RFC 2177: servers may log a client out after 30 minutes of IDLE
DEFAULT_HOLD_FOLDER = "Plus tard"


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """Validated ``[watch]`` settings (see the module doc for each key)."""

    hold: bool = True
    hold_folder: str = DEFAULT_HOLD_FOLDER
    hold_lanes: frozenset[Lane] = frozenset(Lane)
    urgent_senders: tuple[str, ...] = ()
    urgent_rules: tuple[str, ...] = ()
    max_hold_days: float = 0.0
    idle_renew: float = 1500.0
    poll: float = 30.0
    tick: float = 30.0
    rescan: float = 300.0
    backoff_initial: float = 1.0
    backoff_max: float = 300.0
    health_file: str = ""
    health_interval: float = 10.0
    stop_grace: float = 10.0

    def health_path(self) -> Path:
        """Where the health line goes when the command line does not say."""
        if self.health_file:
            return Path(self.health_file).expanduser()
        return DEFAULT_DATA_DIR / "watch-health.json"


# key -> (lowest allowed, highest allowed or None); all are seconds except max_hold_days
_NUMBERS: dict[str, tuple[float, float | None]] = {
    "max_hold_days": (0.0, 3650.0),
    "idle_renew": (1.0, IDLE_LIMIT - 1.0),
    "poll": (0.05, 3600.0),
    "tick": (0.05, 3600.0),
    "rescan": (1.0, 86400.0),
    "backoff_initial": (0.01, 3600.0),
    "backoff_max": (0.01, 86400.0),
    "health_interval": (0.05, 3600.0),
    "stop_grace": (0.0, 600.0),
}


def _strings(raw: Any, path: Path | None, key: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise config_error(path, key, _("expected a string or a list of strings"))
    return tuple(v.strip() for v in raw if v.strip())


def _number(raw: Any, path: Path | None, key: str, low: float, high: float | None) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise config_error(path, key, _("expected a number of seconds"))
    value = float(raw)
    if value != value or value < low or (high is not None and value > high):  # NaN too
        if high is None:
            problem = _("must be at least {low:g}").format(low=low)
        else:
            problem = _("must be between {low:g} and {high:g}").format(low=low, high=high)
        raise config_error(path, key, problem)
    return value


def parse_section(raw: Any, path: Path | None, where: str) -> WatchSettings:
    """Validate ``[watch]``; ``{}`` gives the defaults. Errors name the file and the key."""
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    known = set(WatchSettings.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise config_error(path, where + unknown[0], _("unknown key"))
    values: dict[str, Any] = {}
    if "hold" in raw:
        if not isinstance(raw["hold"], bool):
            raise config_error(path, where + "hold", _("expected true or false"))
        values["hold"] = raw["hold"]
    if "hold_folder" in raw:
        name = raw["hold_folder"]
        if not isinstance(name, str) or not name.strip():
            raise config_error(path, where + "hold_folder", _("expected a folder name"))
        if name.strip().upper() == "INBOX":
            raise config_error(path, where + "hold_folder",
                               _("held mail cannot go to the inbox: choose another folder"))
        values["hold_folder"] = name.strip()
    if "hold_lanes" in raw:
        lanes = set()
        for value in _strings(raw["hold_lanes"], path, where + "hold_lanes"):
            try:
                lanes.add(Lane(value.lower()))
            except ValueError:
                raise config_error(path, where + "hold_lanes", _(
                    "unknown lane {value!r} (expected one of: {choices})").format(
                    value=value, choices=", ".join(lane.value for lane in Lane))) from None
        values["hold_lanes"] = frozenset(lanes)
    if "urgent_senders" in raw:
        values["urgent_senders"] = tuple(
            s.lower() for s in _strings(raw["urgent_senders"], path, where + "urgent_senders"))
    if "urgent_rules" in raw:
        values["urgent_rules"] = _strings(raw["urgent_rules"], path, where + "urgent_rules")
    for key, (low, high) in _NUMBERS.items():
        if key in raw:
            values[key] = _number(raw[key], path, where + key, low, high)
    if "health_file" in raw:
        if not isinstance(raw["health_file"], str):
            raise config_error(path, where + "health_file", _("expected a file path"))
        values["health_file"] = raw["health_file"].strip()
    settings = WatchSettings(**values)
    if settings.backoff_max < settings.backoff_initial:
        raise config_error(path, where + "backoff_max",
                           _("must not be smaller than backoff_initial"))
    return settings


__all__ = ["DEFAULT_HOLD_FOLDER", "IDLE_LIMIT", "WatchSettings", "parse_section"]
