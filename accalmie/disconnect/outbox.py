"""Send later: a message written after hours leaves at the next working window.

The user drops a finished message into the *À envoyer* folder (under the lanes parent) with any
mail client, or runs ``accalmie send-later FILE.eml [--at …]``. Each tick of the watch service
calls :func:`process_due`, which queues what it finds, sends what is due over SMTP, files the
sent copy in *Sent* and removes the message from the queue folder.

Never sent twice. The outbox is a table of the store, and each step is recorded *before* it is
taken: ``pending → sending (envelope) → sending (data) → sent → filed``. On recovery a message
found ``sending``:

- before the data phase (connecting, MAIL, RCPT): nothing was transmitted; it is sent again;
- in the data phase, with the server's acceptance recorded: it is filed, never resent;
- in the data phase with no answer recorded: *Sent* is searched for its Message-ID (servers
  that file sent mail themselves put it there); found, it counts as sent; not found, it is
  marked **uncertain**, not resent, and shown in ``accalmie outbox list`` and in the digest,
  until the user says ``accalmie outbox retry ID --force`` (not received) or cancels it.

The remaining edge, stated plainly: a process killed between the moment the SMTP server
received the end of the message and the moment its "250" answer was written to the store
leaves the message *uncertain*. It was probably delivered; it is never resent automatically,
so the worst case is a message the user must confirm by hand, never a duplicate. The same
holds if the connection breaks during that window (network failure, server timeout). The
window is one round trip plus one database commit long.

Bad input never loses a message: a message with no recipient, a broken header or unreadable
bytes stays in the queue folder, marked *invalid* with the reason (in the digest too); a 5xx
refusal marks it *failed* with the server's words and keeps it; a 4xx answer, a timeout or an
unreachable server retries it with a growing delay (1 min, 2, 4 … up to 1 h), and gives up
(failed, kept) after ``give_up_hours``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from accalmie.config import Account, Config, ConfigError, config_error
from accalmie.disconnect.outbox_mime import (
    FOOTER_NOTES,
    PROBLEMS,
    Problem,
    complete,
    inspect,
    new_message_id,
)
from accalmie.i18n import N_, _, gettext_for
from accalmie.store import Store
from accalmie.store.outbox import (
    OutboxItem,
    outbox_add,
    outbox_by_key,
    outbox_by_message_id,
    outbox_get,
    outbox_update,
)

if TYPE_CHECKING:
    from accalmie.disconnect.clock import Clock
    from accalmie.imap.connect import Session

DEFAULT_FOLDER = "À envoyer"
_KEYS = ("enabled", "folder", "footer", "footer_language", "footer_text", "recipient_hours",
         "give_up_hours", "late_grace_minutes")
BACKOFF_FIRST = 60.0  # seconds before the first retry; doubles up to BACKOFF_MAX
BACKOFF_MAX = 3600.0


class WorkingTimeLike(Protocol):
    """What send-later needs from ``accalmie.disconnect.hours.WorkingTime``."""

    @property
    def tz(self) -> Any: ...

    def is_working(self, at: datetime) -> bool: ...

    def next_start(self, at: datetime) -> datetime: ...


HoursFor = Callable[[Account], WorkingTimeLike]
StepHook = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class SendLaterSettings:
    """The ``[send_later]`` section."""

    enabled: bool = True
    folder: str = DEFAULT_FOLDER  # under the lanes parent
    footer: bool = False
    footer_language: str = ""  # fr | en; '' = the configuration's language
    footer_text: str = ""  # your own words instead of the standard sentence
    recipient_hours: bool = True  # wait for a colleague's hours too, when they are known
    give_up_hours: float = 72.0  # temporary failures for this long: failed, kept
    late_grace_minutes: int = 15  # later than this after its time: scheduled again


def parse_section(raw: Any, path: Path | None, where: str) -> SendLaterSettings:
    """Validate ``[send_later]``; ``{}`` gives the defaults."""
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise config_error(path, where + unknown[0], _("unknown key"))

    def get(key: str, kind: type, default: Any) -> Any:
        value = raw.get(key, default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise config_error(path, where + key, _("wrong type ({found})").format(
                found=type(value).__name__))
        return value

    folder = get("folder", str, DEFAULT_FOLDER).strip()
    if not folder or any(ch in folder for ch in "\r\n\x00*%"):
        raise config_error(path, where + "folder", _("expected a folder name"))
    language = get("footer_language", str, "").strip().lower()
    if language not in ("", "fr", "en"):
        raise config_error(path, where + "footer_language", _("expected fr or en"))
    text = get("footer_text", str, "").strip()
    if len(text) > 500 or any(ch in text for ch in "\r\n\x00"):
        raise config_error(path, where + "footer_text",
                           _("expected one line of at most 500 characters"))
    give_up = get("give_up_hours", float, 72.0)
    if not 0 < give_up <= 24 * 30:
        raise config_error(path, where + "give_up_hours",
                           _("expected a number of hours between 0 and 720"))
    grace = get("late_grace_minutes", int, 15)
    if not 0 <= grace <= 24 * 60:
        raise config_error(path, where + "late_grace_minutes",
                           _("expected a number of minutes between 0 and 1440"))
    return SendLaterSettings(
        enabled=get("enabled", bool, True), folder=folder, footer=get("footer", bool, False),
        footer_language=language, footer_text=text,
        recipient_hours=get("recipient_hours", bool, True), give_up_hours=give_up,
        late_grace_minutes=grace)


def send_later_settings(config: Config) -> SendLaterSettings:
    settings = config.section("send_later")
    return settings if isinstance(settings, SendLaterSettings) else SendLaterSettings()


def queue_folder_name(config: Config, settings: SendLaterSettings, sep: str,
                      prefix: str = "") -> str:
    """Full name of the queue folder: beside the lane folders, under ``[lanes] parent``."""
    parent = (config.lane_parent or "").strip().strip(sep)
    name = settings.folder.strip().strip(sep) or DEFAULT_FOLDER
    return f"{prefix}{parent}{sep}{name}" if parent else f"{prefix}{name}"


# -- when ------------------------------------------------------------------------------------


def default_hours(config: Config) -> HoursFor:
    """Each account's working time, from the hours capability."""

    def resolve(account: Account) -> WorkingTimeLike:
        from accalmie.disconnect.hours import working_time

        return working_time(config, account)  # type: ignore[return-value]

    return resolve


def recipient_accounts(config: Config, account: Account,
                       recipients: Sequence[str]) -> list[Account]:
    """Configured accounts (colleagues managed here too) that receive this message."""
    wanted = {r.lower() for r in recipients}
    return [a for a in config.accounts
            if a.name != account.name and a.own_addresses & wanted]


def schedule(now: datetime, sender: WorkingTimeLike,
             recipients: Sequence[WorkingTimeLike] = ()) -> datetime:
    """The sender's next working instant, or a known recipient's later start."""
    when = sender.next_start(now)
    for wt in recipients:
        when = max(when, wt.next_start(when))
    return when


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` temporary failures: 1, 2, 4 … 60 min."""
    return timedelta(seconds=min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# -- queueing --------------------------------------------------------------------------------


def enqueue(config: Config, account: Account, store: Store, clock: Clock, raw: bytes, *,
            key: str, origin: str, folder: str = "", uidvalidity: int | None = None,
            uid: int | None = None, at: datetime | None = None,
            hours: HoursFor | None = None) -> tuple[OutboxItem | None, Problem | None]:
    """Record one message in the outbox: pending with its time, or invalid with its problem.

    Returns (the item, or None when ``key`` was already queued; the problem, if any).
    A message whose Message-ID is already queued or sent is recorded as a duplicate, never
    sent again.
    """
    account_id = store.account_id(account.name)
    now = clock.now()
    digest = sha256(raw)
    common: dict[str, Any] = {"origin": origin, "folder": folder, "uidvalidity": uidvalidity,
                              "uid": uid, "raw_sha256": digest}
    found = inspect(raw)
    if found.problem is not None:
        item_id = outbox_add(store, account_id, key, now, **common, state="invalid",
                             message_id=found.message_id, subject=found.subject,
                             sender=found.sender, recipients=list(found.recipients),
                             error_code=found.problem.code,
                             error=json.dumps(found.problem.params, ensure_ascii=False))
        return (outbox_get(store, item_id) if item_id else None), found.problem
    sender = found.sender or account.email
    if not sender:  # no From, and no address of ours to put there
        found = replace(found, problem=Problem("no_sender", {"detail": "From"}))
        item_id = outbox_add(store, account_id, key, now, **common, state="invalid",
                             message_id=found.message_id, subject=found.subject,
                             recipients=list(found.recipients), error_code="no_sender",
                             error=json.dumps({"detail": "From"}))
        return (outbox_get(store, item_id) if item_id else None), found.problem
    message_id = found.message_id or new_message_id(sender)
    full = complete(raw, message_id="" if found.message_id else message_id,
                    sender="" if found.sender else account.email)
    problem = None
    others = [i for i in outbox_by_message_id(store, account_id, message_id)
              if i.state not in ("cancelled", "failed", "invalid") and i.key != key]
    if others:
        problem = Problem("duplicate")
    hours = hours or default_hours(config)
    if at is not None:
        due, requested = at, True
    else:
        due = schedule(now, hours(account), _recipient_hours(config, account,
                                                             found.recipients, hours))
        requested = False
    values: dict[str, Any] = dict(
        common, message_id=message_id, subject=found.subject, sender=sender,
        recipients=list(found.recipients), due_at=due, requested=requested)
    if problem is not None:
        values.update(state="invalid", error_code=problem.code, error="{}")
    else:
        values.update(state="pending", raw=full)
    item_id = outbox_add(store, account_id, key, now, **values)
    return (outbox_get(store, item_id) if item_id else None), problem


def _recipient_hours(config: Config, account: Account, recipients: Sequence[str],
                     hours: HoursFor) -> list[WorkingTimeLike]:
    if not send_later_settings(config).recipient_hours:
        return []
    return [hours(a) for a in recipient_accounts(config, account, recipients)]


def enqueue_file(config: Config, account: Account, store: Store, clock: Clock, raw: bytes, *,
                 at: datetime | None = None, hours: HoursFor | None = None
                 ) -> tuple[OutboxItem, bool]:
    """``accalmie send-later FILE``: queue a message file; (item, True if newly queued).

    A message that cannot be sent is refused at once with the reason (nothing is queued).
    """
    found = inspect(raw)
    if found.problem is not None:
        raise ConfigError(found.problem.render())
    if at is not None and at <= clock.now():
        raise ConfigError(_("That time has already passed; give a time to come, or leave "
                            "--at out to send at your next working window."))
    key = f"cli:{sha256(raw)}"
    account_id = store.account_id(account.name)
    existing = outbox_by_key(store, account_id, key)
    if existing is not None and existing.state != "cancelled":
        return existing, False
    if existing is not None:
        raise ConfigError(_("This message was queued before and cancelled (number {id}); to "
                            "send it after all, change it (a new Message-ID) and queue it "
                            "again.").format(id=existing.id))
    if found.message_id and any(
            i.state not in ("cancelled", "failed", "invalid")
            for i in outbox_by_message_id(store, account_id, found.message_id)):
        raise ConfigError(Problem("duplicate").render())
    item, problem = enqueue(config, account, store, clock, raw, key=key, origin="cli", at=at,
                            hours=hours)
    if item is None:  # queued at the same instant by another process
        existing = outbox_by_key(store, account_id, key)
        assert existing is not None
        return existing, False
    if problem is not None:
        raise ConfigError(problem.render())
    return item, True


# -- what the user can do --------------------------------------------------------------------


def _own(store: Store, account: Account, item_id: int) -> OutboxItem:
    item = outbox_get(store, item_id)
    if item is None or item.account_id != store.account_id(account.name):
        raise ConfigError(_("No message number {id} in the outbox of {account}.").format(
            id=item_id, account=account.name))
    return item


def retry_item(config: Config, account: Account, store: Store, clock: Clock, item_id: int, *,
               force: bool = False, hours: HoursFor | None = None) -> OutboxItem:
    """Put a failed (or, with ``force``, an uncertain) message back in the queue."""
    item = _own(store, account, item_id)
    if item.state == "uncertain" and not force:
        raise ConfigError(_(
            "Message {id} may already have been delivered (the sending was interrupted). Check "
            "with a recipient first; if it did not arrive, run: accalmie outbox retry {id} "
            "--force").format(id=item_id))
    if item.state == "invalid":
        raise ConfigError(_("Message {id} cannot be sent as it is ({why}). Correct it in your "
                            "mail client and put it back in the queue folder.").format(
            id=item_id, why=describe_problem(item, None)))
    if item.state not in ("failed", "uncertain", "pending"):
        raise ConfigError(_("Message {id} is {state}: there is nothing to retry.").format(
            id=item_id, state=state_label(item.state, None)))
    if item.raw is None:
        raise ConfigError(_("Message {id} is no longer kept by Accalmie; send it again from "
                            "your mail client.").format(id=item_id))
    now = clock.now()
    hours = hours or default_hours(config)
    due = schedule(now, hours(account), _recipient_hours(config, account, item.recipients,
                                                         hours))
    ok = outbox_update(store, item.id, now, expect=(item.state,), state="pending", phase="",
                       due_at=due, requested=False, next_try_at=None, first_try_at=None,
                       claimed_by="", error_code="", error="")
    if not ok:
        raise ConfigError(_("Message {id} changed meanwhile; look at the outbox again.").format(
            id=item_id))
    result = outbox_get(store, item.id)
    assert result is not None
    return result


def cancel_item(account: Account, store: Store, clock: Clock, item_id: int) -> OutboxItem:
    """Cancel a message that has not left (it stays in the queue folder, never deleted)."""
    item = _own(store, account, item_id)
    allowed = ("pending", "failed", "invalid", "uncertain")
    if item.state not in allowed or not outbox_update(
            store, item.id, clock.now(), expect=allowed, state="cancelled", raw=None,
            prepared=None):
        raise ConfigError(_("Message {id} is {state}: it can no longer be cancelled.").format(
            id=item_id, state=state_label(item.state, None)))
    result = outbox_get(store, item.id)
    assert result is not None
    return result


# -- words -----------------------------------------------------------------------------------

STATE_LABELS = {
    "pending": N_("waiting"),
    "sending": N_("being sent"),
    "sent": N_("sent"),
    "filed": N_("sent and filed"),
    "failed": N_("refused"),
    "invalid": N_("cannot be sent"),
    "uncertain": N_("uncertain"),
    "cancelled": N_("cancelled"),
}
ERRORS = {
    "uncertain": N_("The sending was interrupted while the server was receiving the message: "
                    "it may have been delivered. It will not be sent again unless you say so."),
    "gave_up": N_("Still not sent after {hours} hours of attempts; kept in the queue."),
}


def state_label(state: str, lang: str | None) -> str:
    return gettext_for(lang, STATE_LABELS.get(state, state))


def describe_problem(item: OutboxItem, lang: str | None) -> str:
    """Why the message waits or stopped, in the user's language ('' when nothing is wrong)."""
    if item.error_code in PROBLEMS:
        try:
            params = json.loads(item.error or "{}")
        except ValueError:
            params = {}
        return Problem(item.error_code, params if isinstance(params, dict) else {}).render(lang)
    if item.error_code in ERRORS:
        try:
            params = json.loads(item.error) if item.error.startswith("{") else {}
        except ValueError:
            params = {}
        text = gettext_for(lang, ERRORS[item.error_code])
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return item.error


def describe_notes(item: OutboxItem, lang: str | None) -> list[str]:
    out = []
    for note in item.notes:
        template = FOOTER_NOTES.get(note)
        out.append(gettext_for(lang, template) if template else note)
    return out


@dataclass
class OutboxReport:
    """What one pass over the outbox did."""

    queued: int = 0
    invalid: int = 0
    sent: int = 0
    filed: int = 0
    failed: int = 0
    retrying: int = 0
    uncertain: int = 0
    cancelled: int = 0
    recovered: int = 0
    next_due: datetime | None = None
    problems: list[str] = field(default_factory=list)
    disabled: bool = False

    @property
    def ok(self) -> bool:
        return not (self.failed or self.uncertain or self.invalid)

    def render(self, lang: str | None = None) -> str:
        if self.disabled:
            return gettext_for(lang, N_("Send later is turned off ([send_later] enabled = "
                                        "false)."))
        t = lambda msg: gettext_for(lang, msg)  # noqa: E731
        parts = [t(N_("Outbox: {queued} queued, {sent} sent, {filed} filed.")).format(
            queued=self.queued, sent=self.sent, filed=self.filed)]
        extra = [(self.retrying, N_("{n} to retry later")), (self.failed, N_("{n} refused")),
                 (self.invalid, N_("{n} cannot be sent")), (self.uncertain, N_("{n} uncertain")),
                 (self.cancelled, N_("{n} cancelled")),
                 (self.recovered, N_("{n} resumed after an interruption"))]
        parts += [t(msg).format(n=n) for n, msg in extra if n]
        return " ".join(parts[:1]) + ("" if len(parts) == 1 else " " + ", ".join(parts[1:]) + ".")


def process_due(config: Config, account: Account, store: Store, clock: Clock, *,
                session: Session | None = None, password: str | None = None,
                hours: HoursFor | None = None, on_step: StepHook | None = None) -> OutboxReport:
    """One pass: resume interrupted sendings, queue what the folder holds, send what is due,
    file what was sent. Opens its own IMAP connection unless given ``session``.

    SMTP problems are recorded per message (never raised); an IMAP connection failure raises
    :class:`accalmie.imap.connect.ImapError` (the watch service reconnects with backoff).
    ``on_step(name, item_id)`` is called after each durable step (tests kill there).
    """
    from accalmie.disconnect.outbox_run import OutboxRun

    settings = send_later_settings(config)
    if not settings.enabled:
        return OutboxReport(disabled=True)
    run = OutboxRun(config, account, store, clock, settings,
                    hours=hours or default_hours(config), on_step=on_step)
    return run.run(session=session, password=password)


__all__ = ["DEFAULT_FOLDER", "OutboxReport", "SendLaterSettings", "backoff", "cancel_item",
           "describe_problem", "enqueue", "enqueue_file", "parse_section", "process_due",
           "queue_folder_name", "retry_item", "schedule", "send_later_settings", "state_label"]
