"""Digests: at the times the person chooses, one calm message instead of a stream.

``[digest] times = ["09:00", "14:00"]`` (the person's time zone, from ``[hours]``). Each tick of
the watch service calls :func:`send_due`, which delivers the latest slot that has come and has
not been delivered: appended to INBOX (``delivery = "append"``, the default) or sent by SMTP to
the person, and written as an HTML file under ``html_dir``.

Exactly once per slot: the slot is claimed in the store (a compare-and-set insert) before it is
delivered, and the digest's Message-ID is derived from the slot. Restarts and clock jumps: only
the *latest* slot that has come is ever a candidate, and only when it is newer than every slot
recorded, so a service down for three days sends one digest when it comes back, not six, and
a clock set back never sends an old slot again. A slot missed by more than an hour is delivered
late only during working time (never a digest at night because the service restarted then).
By default slots fall on working days only (no digest on a Sunday or a public holiday).

Interrupted delivery: an appended digest is looked for by its Message-ID (INBOX and lane
folders) before appending again; an SMTP digest whose data phase was interrupted is not sent
again (marked uncertain: the next digest covers the same ground).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accalmie.config import DEFAULT_DATA_DIR, Account, Config, ConfigError, config_error
from accalmie.i18n import N_, _, gettext_for, normalise

if TYPE_CHECKING:
    from accalmie.disconnect.clock import Clock
    from accalmie.disconnect.outbox import HoursFor, WorkingTimeLike
    from accalmie.imap.connect import Session
    from accalmie.store import Store

_KEYS = ("enabled", "times", "delivery", "language", "html_dir", "working_days_only", "to")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$")
LATE_GRACE = timedelta(hours=1)
LOOKBACK_DAYS = 15
RETRY = timedelta(minutes=5)
MAX_ATTEMPTS = 6


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """The ``[digest]`` section (or ``[accounts.digest]``). No times: no scheduled digest."""

    enabled: bool = True
    times: tuple[time, ...] = ()
    delivery: str = "append"  # append (to INBOX) | smtp
    language: str = ""  # fr | en; '' = the configuration's language
    html_dir: str = ""  # '' = <data dir>/digests
    working_days_only: bool = True
    to: str = ""  # address for delivery = "smtp" ('' = the account's)


def parse_section(raw: Any, path: Path | None, where: str) -> DigestSettings:
    """Validate ``[digest]``; ``{}`` gives the defaults (no scheduled digest)."""
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise config_error(path, where + unknown[0], _("unknown key"))

    def get(key: str, kind: type, default: Any) -> Any:
        value = raw.get(key, default)
        if not isinstance(value, kind):
            raise config_error(path, where + key, _("wrong type ({found})").format(
                found=type(value).__name__))
        return value

    times_raw = raw.get("times", [])
    if isinstance(times_raw, str):
        times_raw = [times_raw]
    if not isinstance(times_raw, list) or len(times_raw) > 24:
        raise config_error(path, where + "times",
                           _("expected a list of times such as [\"09:00\", \"14:00\"]"))
    times: list[time] = []
    for value in times_raw:
        m = _TIME.match(value.strip()) if isinstance(value, str) else None
        if m is None:
            raise config_error(path, where + "times", _(
                "{value!r} is not a time of day; write it as \"09:00\"").format(
                value=str(value)[:40]))
        t = time(int(m.group(1)), int(m.group(2)))
        if t in times:
            raise config_error(path, where + "times", _("{value} is given twice").format(
                value=value.strip()))
        times.append(t)
    delivery = get("delivery", str, "append").strip().lower()
    if delivery not in ("append", "smtp"):
        raise config_error(path, where + "delivery", _("expected append or smtp"))
    language = get("language", str, "").strip().lower()
    if language not in ("", "fr", "en"):
        raise config_error(path, where + "language", _("expected fr or en"))
    to = get("to", str, "").strip()
    if to and ("@" not in to or any(ch.isspace() for ch in to)):
        raise config_error(path, where + "to", _("expected an email address"))
    return DigestSettings(enabled=get("enabled", bool, True), times=tuple(sorted(times)),
                          delivery=delivery, language=language,
                          html_dir=get("html_dir", str, "").strip(),
                          working_days_only=get("working_days_only", bool, True), to=to)


def digest_settings(config: Config, account: Account) -> DigestSettings:
    settings = account.section("digest", config)
    return settings if isinstance(settings, DigestSettings) else DigestSettings()


# -- slots -----------------------------------------------------------------------------------


def _local_instant(day: Any, at: time, tz: Any) -> datetime:
    """A wall-clock time of a day as an aware UTC instant. A time in the spring-forward gap
    (02:30 does not exist) falls an hour later; in the repeated autumn hour, the first pass
    (PEP 495, fold=0): each slot happens exactly once a day."""
    from datetime import UTC

    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _works_on(wt: WorkingTimeLike, day: Any) -> bool:
    start = _local_instant(day, time(0, 0), wt.tz)
    end = _local_instant(day + timedelta(days=1), time(0, 0), wt.tz)
    windows = getattr(wt, "windows", None)
    if windows is None:
        return True
    return any(s >= start for s, _e in windows(start, end))


def latest_slot(settings: DigestSettings, wt: WorkingTimeLike, now: datetime
                ) -> datetime | None:
    """The most recent scheduled instant at or before ``now`` (None: none in two weeks)."""
    local_day = now.astimezone(wt.tz).date()
    for back in range(LOOKBACK_DAYS):
        day = local_day - timedelta(days=back)
        if settings.working_days_only and not _works_on(wt, day):
            continue
        for at in sorted(settings.times, reverse=True):
            slot = _local_instant(day, at, wt.tz)
            if slot <= now:
                return slot
    return None


def next_slot(settings: DigestSettings, wt: WorkingTimeLike, now: datetime) -> datetime | None:
    """The first scheduled instant after ``now``."""
    local_day = now.astimezone(wt.tz).date()
    for ahead in range(LOOKBACK_DAYS):
        day = local_day + timedelta(days=ahead)
        if settings.working_days_only and not _works_on(wt, day):
            continue
        for at in settings.times:
            slot = _local_instant(day, at, wt.tz)
            if slot > now:
                return slot
    return None


# -- delivery --------------------------------------------------------------------------------


@dataclass
class DigestReport:
    """What :func:`send_due` or :func:`send_now` did."""

    delivered: bool = False
    slot: datetime | None = None
    next_slot: datetime | None = None
    html_path: Path | None = None
    state: str = ""  # sent | uncertain | retrying | '' (nothing due)
    error: str = ""
    disabled: bool = False
    tz: Any = None  # the person's time zone, to say when the next digest comes

    def render(self, lang: str | None = None) -> str:
        from accalmie.disconnect.hours_text import format_clock, format_day

        if self.disabled:
            return gettext_for(lang, N_("No digest is scheduled (set [digest] times)."))
        parts = []
        if self.delivered:
            parts.append(gettext_for(lang, N_("Digest delivered.")))
        elif self.error:
            parts.append(gettext_for(lang, N_("Digest not delivered: {error}")).format(
                error=self.error))
        else:
            parts.append(gettext_for(lang, N_("No digest due now.")))
        if self.html_path is not None:
            parts.append(gettext_for(lang, N_("HTML version: {path}")).format(
                path=self.html_path))
        if self.next_slot is not None and self.tz is not None:
            local = self.next_slot.astimezone(self.tz)
            parts.append(gettext_for(lang, N_("Next digest: {day} at {time}.")).format(
                day=format_day(local.date(), lang), time=format_clock(local, lang)))
        return " ".join(parts)


def digest_language(config: Config, settings: DigestSettings, lang: str | None = None) -> str:
    return normalise(lang or settings.language or config.language)


def _message_id(account: Account, slot: datetime, manual: bool) -> str:
    domain = account.email.rsplit("@", 1)[1] if "@" in account.email else "accalmie.invalid"
    if not re.fullmatch(r"[A-Za-z0-9.-]{1,200}", domain):
        domain = "accalmie.invalid"
    tag = hashlib.sha256(account.name.encode()).hexdigest()[:10]
    kind = "now" if manual else "slot"
    return f"<accalmie-digest.{kind}.{slot.strftime('%Y%m%dT%H%M%SZ')}.{tag}@{domain}>"


def html_dir(settings: DigestSettings, account: Account) -> Path:
    base = Path(settings.html_dir).expanduser() if settings.html_dir else \
        DEFAULT_DATA_DIR / "digests"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", account.name)[:80] or "account"
    return base / safe


def write_html(path: Path, text: str) -> Path:
    """Write atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def send_due(config: Config, account: Account, store: Store, clock: Clock, *,
             session: Session | None = None, password: str | None = None,
             hours: HoursFor | None = None, on_step: Any = None,
             lang: str | None = None) -> DigestReport:
    """Deliver the scheduled digest that is due, once; nothing when none is due.

    Opens an IMAP connection only when it must (APPEND delivery, or checking an interrupted
    one); give ``session`` to reuse one (its selected folder changes).
    """
    from accalmie.disconnect.digest_run import DigestRun

    settings = digest_settings(config, account)
    if not settings.enabled or not settings.times:
        return DigestReport(disabled=True)
    run = DigestRun(config, account, store, clock, settings, hours=hours, on_step=on_step,
                    lang=lang)
    return run.due(session=session, password=password)


def send_now(config: Config, account: Account, store: Store, clock: Clock, *,
             deliver: bool = True, html_path: Path | None = None, lang: str | None = None,
             session: Session | None = None, password: str | None = None,
             hours: HoursFor | None = None) -> DigestReport:
    """A digest now, whatever the schedule (``accalmie digest --now``); with ``deliver``
    False, only the HTML file is written (a preview)."""
    from accalmie.disconnect.digest_run import DigestRun

    settings = digest_settings(config, account)
    run = DigestRun(config, account, store, clock, settings, hours=hours, lang=lang)
    return run.now(deliver=deliver, html_path=html_path, session=session, password=password)


__all__ = ["DigestReport", "DigestSettings", "ConfigError", "digest_settings", "latest_slot",
           "next_slot", "parse_section", "send_due", "send_now"]
