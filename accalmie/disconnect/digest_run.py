"""Delivering digests (see :mod:`accalmie.disconnect.digest` for the rules)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accalmie.config import Account, Config
from accalmie.disconnect.digest import (
    LATE_GRACE,
    MAX_ATTEMPTS,
    RETRY,
    DigestReport,
    DigestSettings,
    _message_id,
    digest_language,
    html_dir,
    latest_slot,
    next_slot,
    write_html,
)
from accalmie.disconnect.digest_build import as_message, build, render_html
from accalmie.disconnect.outbox import default_hours, describe_problem
from accalmie.disconnect.outbox_run import claimed_elsewhere, owner_token
from accalmie.disconnect.smtp import SmtpError, send, smtp_settings
from accalmie.i18n import N_, gettext_for
from accalmie.imap.connect import Session, imap_errors, open_session
from accalmie.store.outbox import (
    DigestSlot,
    digest_claim,
    digest_last,
    digest_slots,
    digest_update,
    outbox_list,
)

if TYPE_CHECKING:
    from accalmie.disconnect.clock import Clock
    from accalmie.disconnect.outbox import HoursFor
    from accalmie.store import Store

log = logging.getLogger(__name__)

OUTBOX_WAITING = N_("{n} messages wait to be sent; the next one leaves {when}.")
WHEN = N_("{day} at {time}")
LAST_DAY = N_("the last 24 hours")


class DigestRun:
    def __init__(self, config: Config, account: Account, store: Store, clock: Clock,
                 settings: DigestSettings, *, hours: HoursFor | None = None,
                 on_step: Any = None, lang: str | None = None) -> None:
        self.config = config
        self.account = account
        self.store = store
        self.clock = clock
        self.settings = settings
        self.hours = hours or default_hours(config)
        self.on_step = on_step
        self.lang = digest_language(config, settings, lang)
        self.account_id = store.account_id(account.name)
        self.session: Session | None = None
        self._password: str | None = None
        self._own_session = False
        self.wt = self.hours(account)

    def step(self, name: str) -> None:
        if self.on_step is not None:
            self.on_step(name, 0)

    # -- IMAP, opened only when needed -------------------------------------------------------

    def _imap(self) -> Session:
        if self.session is None:
            password = self._password if self._password is not None else \
                self.account.password()
            self.session = open_session(self.account, password)
            self._own_session = True
        return self.session

    def _close(self) -> None:
        if self._own_session and self.session is not None:
            self.session.close()
            self.session = None
            self._own_session = False

    # -- scheduled ---------------------------------------------------------------------------

    def due(self, *, session: Session | None = None, password: str | None = None
            ) -> DigestReport:
        self.session, self._password = session, password
        now = self.clock.now()
        report = DigestReport(tz=self.wt.tz, next_slot=next_slot(self.settings, self.wt, now))
        try:
            self._recover(report)
            slot = latest_slot(self.settings, self.wt, now)
            if slot is None:
                return report
            last = digest_last(self.store, self.account_id, manual=False)
            if last is not None and slot <= last.slot:
                return report  # delivered (or being delivered) already, or the clock went back
            if now - slot > LATE_GRACE and not self.wt.is_working(now):
                return report  # missed while down: at the next working moment, not at night
            since = self._since(slot)
            mid = _message_id(self.account, slot, manual=False)
            if not digest_claim(self.store, self.account_id, slot, now, manual=False,
                                delivery=self.settings.delivery, message_id=mid, since=since,
                                claimed_by=owner_token()):
                return report
            self.step("claimed")
            self._deliver(slot, since, mid, report)
        finally:
            self._close()
        return report

    def _since(self, slot: datetime) -> datetime:
        earlier = [s for s in digest_slots(self.store, self.account_id,
                                           states=("sent", "uncertain", "sending"))
                   if s.slot < slot]
        return earlier[-1].slot if earlier else slot - timedelta(hours=24)

    def _recover(self, report: DigestReport) -> None:
        now = self.clock.now()
        for row in digest_slots(self.store, self.account_id, states=("sending",)):
            if row.next_try_at is not None and row.next_try_at > now:
                continue
            if claimed_elsewhere(row.claimed_by, row.created_at, now):
                continue
            if row.delivery == "append" and self.account.host:
                if self._appended(row.message_id):
                    digest_update(self.store, self.account_id, row.slot, now,
                                  expect=("sending",), state="sent", phase="")
                    continue
            elif row.delivery == "smtp" and row.phase == "data":
                digest_update(self.store, self.account_id, row.slot, now, expect=("sending",),
                              state="uncertain", phase="")
                continue
            self._deliver(row.slot, row.since, row.message_id, report, manual=row.manual)

    def _appended(self, message_id: str) -> bool:
        from accalmie.imap.actions import lane_folder_names, namespace_prefix
        from accalmie.imap.sync import select

        session = self._imap()
        with imap_errors(self.account):
            folders = ["INBOX", *lane_folder_names(
                self.config, session.separator, namespace_prefix(session)).values()]
            existing = {name for _f, _d, name in session.client.list_folders()}
            for folder in dict.fromkeys(folders):
                if folder != "INBOX" and folder not in existing:
                    continue
                select(session, folder, readonly=True)
                if session.client.search(["HEADER", "Message-ID", message_id]):
                    return True
        return False

    # -- building and delivering -------------------------------------------------------------

    def _texts(self, slot: datetime, since: datetime | None) -> tuple[str, str, str]:
        from accalmie.disconnect.hours_text import format_clock, format_day

        def when(at: datetime) -> str:
            local = at.astimezone(self.wt.tz)
            return gettext_for(self.lang, WHEN).format(
                day=format_day(local.date(), self.lang), time=format_clock(local, self.lang))

        since_text = when(since) if since is not None else gettext_for(self.lang, LAST_DAY)
        pending = outbox_list(self.store, self.account_id, ("pending", "sending", "sent"))
        waiting = ""
        if pending:
            nxt = min((i.due_at for i in pending if i.due_at is not None), default=None)
            waiting = gettext_for(self.lang, OUTBOX_WAITING).format(
                n=len(pending), when=when(nxt) if nxt else "?")
        return when(slot), since_text, waiting

    def build(self, slot: datetime, since: datetime | None, until: datetime) -> Any:
        when_text, since_text, waiting = self._texts(slot, since)
        return build(self.store, self.account_id, since=since, until=until, lang=self.lang,
                     when_text=when_text, since_text=since_text, outbox_waiting=waiting,
                     describe=describe_problem)

    def _html_path(self, slot: datetime, manual: bool) -> Path:
        local = slot.astimezone(self.wt.tz)
        name = f"digest-{local:%Y-%m-%d-%H%M}{'-now' if manual else ''}.html"
        return html_dir(self.settings, self.account) / name

    def _deliver(self, slot: datetime, since: datetime | None, message_id: str,
                 report: DigestReport, *, manual: bool = False,
                 html_path: Path | None = None) -> None:
        now = self.clock.now()
        content = self.build(slot, since, now)
        report.slot = slot
        try:
            report.html_path = write_html(html_path or self._html_path(slot, manual),
                                          render_html(content))
        except OSError as exc:
            log.warning("cannot write the HTML digest: %s", exc)
        data = as_message(content, address=self.account.email,
                          to=self.settings.to or self.account.email,
                          when=now.astimezone(self.wt.tz), message_id=message_id, slot=slot)
        if self.settings.delivery == "append":
            session = self._imap()
            with imap_errors(self.account):
                session.client.append("INBOX", data, msg_time=now)
            self.step("appended")
        else:
            def on_data() -> None:
                digest_update(self.store, self.account_id, slot, self.clock.now(),
                              expect=("sending",), phase="data")
                self.step("data")

            try:
                send(smtp_settings(self.config, self.account), self.account,
                     self.account.email, [self.settings.to or self.account.email], data,
                     on_data=on_data)
            except SmtpError as exc:
                self._failed(slot, exc, report)
                return
        digest_update(self.store, self.account_id, slot, self.clock.now(),
                      expect=("sending",), state="sent", phase="", error="")
        report.delivered = True
        report.state = "sent"

    def _failed(self, slot: datetime, exc: SmtpError, report: DigestReport) -> None:
        now = self.clock.now()
        report.error = exc.message
        row = next((s for s in digest_slots(self.store, self.account_id) if s.slot == slot),
                   None)
        attempts = (row.attempts if row else 0) + 1
        if exc.uncertain:
            state = "uncertain"
        elif not exc.retry or attempts >= MAX_ATTEMPTS:
            state = "failed"
        else:
            state = "sending"
        digest_update(self.store, self.account_id, slot, now, expect=("sending",), state=state,
                      phase="", attempts=attempts, next_try_at=now + RETRY, error=exc.message,
                      claimed_by="")
        report.state = "retrying" if state == "sending" else state

    # -- on demand ---------------------------------------------------------------------------

    def now(self, *, deliver: bool, html_path: Path | None, session: Session | None,
            password: str | None) -> DigestReport:
        self.session, self._password = session, password
        now = self.clock.now()
        report = DigestReport(tz=self.wt.tz,
                              next_slot=next_slot(self.settings, self.wt, now)
                              if self.settings.times else None)
        last = digest_last(self.store, self.account_id)
        since = last.slot if last is not None and last.slot < now else now - timedelta(hours=24)
        try:
            if not deliver:
                content = self.build(now, since, now)
                report.slot = now
                report.html_path = write_html(html_path or self._html_path(now, True),
                                              render_html(content))
                return report
            mid = _message_id(self.account, now, manual=True)
            if digest_claim(self.store, self.account_id, now, now, manual=True,
                            delivery=self.settings.delivery, message_id=mid, since=since,
                            claimed_by=owner_token()):
                self._deliver(now, since, mid, report, manual=True, html_path=html_path)
        finally:
            self._close()
        return report


__all__ = ["DigestRun", "DigestSlot"]
