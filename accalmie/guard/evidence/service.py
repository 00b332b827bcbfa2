"""The evidence use case: from message references to a written pack, for any interface."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accalmie.config import Account, Config, ConfigError
from accalmie.guard.evidence.collect import OriginalFetcher, select_rows
from accalmie.guard.evidence.pack import PackOptions, PackResult, build_pack, check_target
from accalmie.i18n import _
from accalmie.store import Store

log = logging.getLogger("accalmie.guard.evidence")
DEFAULT_TZ = "Europe/Paris"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(_("Unknown time zone {name!r} (e.g. Europe/Paris).").format(
            name=name)) from None


def user_timezone(config: Config, account: Account, override: str | None = None
                  ) -> tuple[tzinfo, str]:
    """The zone the user lives in: the option, else the working hours' zone, else Paris."""
    if override:
        return zone(override), override
    try:
        hours = account.section("hours", config)
    except Exception:  # noqa: BLE001 - another capability's settings must not stop a pack
        log.debug("no working-hours section", exc_info=True)
        hours = None
    found = getattr(hours, "tz", None)
    if isinstance(hours, dict):
        found = next((hours[k] for k in ("timezone", "time_zone", "tz") if k in hours), None)
    if isinstance(found, ZoneInfo):
        return found, found.key
    if isinstance(found, str) and found:
        try:
            return ZoneInfo(found), found
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_TZ), DEFAULT_TZ


def create_pack(store: Store, config: Config, account: Account, refs: Sequence[str],
                opts: PackOptions, *, sources: Sequence[Path] = (),
                password: Callable[[], str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> PackResult:
    """Find, fetch, verify and pack the messages; nothing is written unless all are found."""
    chosen = select_rows(store, account, refs)
    check_target(opts.out, opts.force)
    with OriginalFetcher(config, account, sources, password=password) as fetcher:
        originals = fetcher.fetch_all(chosen, progress)
    return build_pack(originals, opts)
