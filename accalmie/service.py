"""Use cases shared by the command line, the demo and (later) the web and the workers.

Each function wires the pure core (parse, decide) to adapters (sources, store) for one job.
The learned per-user state (lane model, contacts, "always this lane" overrides) is loaded from
the store into a Triager and written back after learning, so every interface sees the same.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from accalmie.config import DEFAULT_DATA_DIR, Account, Config, ConfigError
from accalmie.disconnect.after_hours import after_hours_fact
from accalmie.disconnect.hours import working_time
from accalmie.i18n import _, gettext_for
from accalmie.mail.model import Message
from accalmie.pipeline import Parser
from accalmie.sources.files import count_messages, open_source
from accalmie.store import Store, StoredItem, StoredMessage
from accalmie.store.after_hours import record_messages
from accalmie.triage.decision import SOURCE_LABELS, Decision, Lane, Source
from accalmie.triage.engine import Triager, default_hostility
from accalmie.triage.learner import OnlineLearner

LANE_MODEL = "lanes"
Progress = Callable[[str, int, int | None], None]


def open_store(config: Config, db: str | Path | None = None) -> Store:
    """The store named on the command line, else in the config, else the default file."""
    target = str(db) if db else config.store_url()
    if "://" not in target:
        Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
        target = str(Path(target).expanduser())
    return Store.open(target)


def local_account(config: Config, name: str | None) -> Account:
    """The configured account, or an anonymous one for local files with no config."""
    if config.accounts:
        return config.account(name)
    return Account(name=name or "local")


def triager_settings(config: Config, account: Account) -> dict[str, Any]:
    """What the configuration says about triage beyond rules: the guard and working time."""
    guard = config.section("guard")
    return {
        "suspect_threshold": guard.suspect_threshold,
        "trusted_authserv_ids": (*guard.trusted_authserv_ids, *account.trusted_authserv_ids),
        "hostility_fn": default_hostility if guard.hostility else None,
        "working_time": working_time(config, account),
    }


def load_triager(config: Config, account: Account, store: Store) -> tuple[Triager, int]:
    """A Triager holding this account's learned state from the store."""
    account_id = store.account_id(account.name)
    blob = store.load_model(account_id, LANE_MODEL)
    learner = None
    if blob:
        try:
            learner = OnlineLearner.from_bytes(blob)
        except ValueError:
            learner = None  # an unreadable model is rebuilt from the next corrections
    if learner is None:
        learner = OnlineLearner()
    triager = Triager(config, account, contacts=store.contacts(account_id),
                      overrides=store.overrides(account_id), learner=learner,
                      **triager_settings(config, account))
    return triager, account_id


def save_learner(store: Store, account_id: int, triager: Triager) -> None:
    if triager.learner is not None:
        store.save_model(account_id, LANE_MODEL, triager.learner.to_bytes())


def _batched(items: Iterable[tuple[str, bytes]], n: int) -> Iterator[list[tuple[str, bytes]]]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def _is_sent_key(key: str) -> bool:
    parts = key.replace("\\", "/").split("/")
    return any(p.lower().lstrip(".") in {"sent", "sent items", "sent messages", "envoyés",
                                        "éléments envoyés", "_sent_mail", "sent_items"}
               for p in parts[:-1])


@dataclass
class TriageSummary:
    counts: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    total: int = 0
    sent: int = 0
    defects: int = 0
    examples: dict[str, list[tuple[Message, Decision]]] = field(default_factory=dict)
    rows: list[tuple[Message, Decision]] = field(default_factory=list)


def triage_files(path: Path, store: Store | None, config: Config, account: Account, *,
                 progress: Progress | None = None, keep_rows: bool = False,
                 examples: int = 3, batch: int = 256, workers: int | None = None,
                 triager: Triager | None = None) -> TriageSummary:
    """Triage a Maildir, mbox, .eml file or folder; store decisions (unless store is None).

    Messages found in a Sent folder are not triaged: they tell who the user writes to, which
    makes those people count as important. They are read first, so the contacts are known
    before the inbox is decided.
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(_("Not found: {path}").format(path=path))
    account_id = 0
    if triager is None:
        if store is not None:
            triager, account_id = load_triager(config, account, store)
        else:
            triager = Triager(config, account, learner=OnlineLearner(),
                              **triager_settings(config, account))
    elif store is not None:
        account_id = store.account_id(account.name)
    total = count_messages(path)
    summary = TriageSummary()
    own = account.own_addresses
    wt = triager.working_time or working_time(config, account)
    with Parser(workers=workers) as parser:
        # First the Sent folder only: who the user writes to (important people), known before
        # the inbox is decided.
        sent_contacts: Counter[str] = Counter()
        sent = open_source(path, include=_is_sent_key) if path.is_dir() else iter(())
        for msgs in parser.parse_stream(
                [raw for _k, raw in b] for b in _batched(sent, batch)):
            mine = [m for m in msgs if not own or (m.from_ and m.from_.email in own)]
            for msg in mine:
                for a in msg.recipients:
                    sent_contacts[a.email] += 1
            if store is not None:
                record_messages(store, account_id, [
                    (m.message_id, "", after_hours_fact(m.date, wt, "out")) for m in mine])
            summary.sent += len(msgs)
        parser.close()
        if sent_contacts:
            triager.add_contacts(sent_contacts)
            if store is not None:
                store.bump_contacts(account_id, sent_contacts)
        done = summary.sent
        if progress:
            progress("triage", done, total)
        inbox = open_source(path, include=lambda k: not _is_sent_key(k))
        root = path.resolve()

        def stored_key(key: str) -> str:
            """Absolute, so that the original can be found again (evidence packs)."""
            if path.is_dir():
                return f"file:{root / key}"
            return f"file:{root}#{key}" if key.startswith("mbox:") else f"file:{root}"

        keyed: deque[list[tuple[str, bytes]]] = deque()

        def raws() -> Iterator[Sequence[bytes]]:
            for b in _batched(inbox, batch):
                keyed.append(b)
                yield [raw for _k, raw in b]

        for pairs in parser.decide_stream(raws(), triager, keep_text=config.keep_bodies):
            items = []
            for (key, raw), (msg, decision) in zip(keyed.popleft(), pairs, strict=True):
                summary.counts[decision.lane.value] += 1
                for f in decision.flags:
                    summary.flags[f.value] += 1
                if msg.defects:
                    summary.defects += 1
                ex = summary.examples.setdefault(decision.lane.value, [])
                if len(ex) < examples:
                    ex.append((msg, decision))
                if keep_rows:
                    summary.rows.append((msg, decision))
                if store is not None:
                    items.append(StoredItem(
                        key=stored_key(key), folder=_folder_of(key), uid=None, message=msg,
                        decision=decision, raw_sha256=hashlib.sha256(raw).hexdigest(),
                        body=msg.text if config.keep_bodies else None,
                        excerpt_chars=config.excerpt_chars))
            if store is not None and items:
                store.save_messages(account_id, items)
                record_messages(store, account_id, [
                    (it.message.message_id, it.raw_sha256,
                     after_hours_fact(it.message.date, wt, "in")) for it in items])
            summary.total += len(pairs)
            done += len(pairs)
            if progress:
                progress("triage", done, total)
    return summary


def _folder_of(key: str) -> str:
    parts = key.replace("\\", "/").split("/")
    for p in parts[:-1]:
        if p.startswith(".") and len(p) > 1:
            return p[1:]
    return "INBOX"


def find_stored(store: Store, account: Account, message_ref: str) -> StoredMessage:
    """A stored message by Message-ID (with or without <>) or by its row number."""
    account_id = store.account_id(account.name)
    row = None
    if message_ref.isdigit():
        row = store.get_message(int(message_ref))
    if row is None:
        mid = message_ref.strip()
        if not mid.startswith("<"):
            mid = f"<{mid}>"
        found = store.find_messages(account_id, message_id=mid, limit=1) or \
            store.find_messages(account_id, message_id=mid.strip("<>"), limit=1)
        row = found[0] if found else None
    if row is None:
        raise ConfigError(_("No stored message matches {ref}.").format(ref=message_ref))
    return row


def source_label(source: str, lang: str | None = None) -> str:
    return gettext_for(lang, SOURCE_LABELS[Source(source)])


def correct(store: Store, config: Config, account: Account, message_ref: str, lane: Lane, *,
            always: str | None = None) -> tuple[str, str]:
    """Record a correction and teach the model at once; returns (old lane, new lane).

    ``message_ref`` is a Message-ID (with or without <>) or a stored row number. ``always``
    ("sender", "domain" or "list") also pins that lane for every future message of the kind.
    """
    row = find_stored(store, account, message_ref)
    triager, account_id = load_triager(config, account, store)
    old = row.decision.lane.value if row.decision else ""
    msg = row.as_message()
    triager.learn(msg, lane)
    save_learner(store, account_id, triager)
    store.add_correction(account_id, row.id, row.message_id, old, lane.value, "cli")
    store.set_decision(row.id, triager.corrected(msg, lane))
    if always:
        value = {"sender": msg.from_.email if msg.from_ else "",
                 "domain": msg.from_.domain if msg.from_ else "",
                 "list": msg.list_id}.get(always, "")
        if not value:
            raise ConfigError(_("This message has no {kind} to remember.").format(kind=always))
        store.set_override(account_id, always, value, lane.value)
    return old, lane.value


def default_demo_dir() -> Path:
    return DEFAULT_DATA_DIR / "demo"
