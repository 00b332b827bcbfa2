"""Builders of messages and decisions for the store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accalmie.mail.model import Address, Attachment, Link, Message
from accalmie.store import StoredItem
from accalmie.triage.decision import Decision, Flag, Lane, Reason, Source

BODY = "Bonjour, pouvez-vous me rappeler au sujet du dossier MDPH de mon fils ? Merci."


def message(i: int = 0, **kw: object) -> Message:
    base = dict(
        message_id=f"<m{i}@example.org>",
        subject=f"Dossier n°{i}",
        from_=Address("Zoé Martin", f"zoe{i % 7}@example.org"),
        to=(Address("Moi", "moi@ccas.fr"),),
        cc=(Address("", "collegue@ccas.fr"), Address("Chef", "chef@ccas.fr")),
        date=datetime(2024, 3, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=i),
        in_reply_to="<parent@example.org>",
        list_id="",
        language="fr",
        text=BODY + "\n\n> quoted text",
        new_text=BODY,
        links=(Link("https://example.org/a", "ici", "example.org"),),
        attachments=(Attachment("piece.pdf", "application/pdf", 1234, "ab" * 32),),
        size=4321,
    )
    base.update(kw)
    return Message(**base)  # type: ignore[arg-type]


def decision(lane: Lane = Lane.PRIORITY, **kw: object) -> Decision:
    base = dict(
        lane=lane,
        source=Source.HEURISTIC,
        reasons=(Reason("Direct message from {sender}", {"sender": "Zoé"}, "direct", 0.7),
                 Reason("A question is asked", {}, "question", 0.4)),
        flags=frozenset({Flag.REPLY_EXPECTED}),
        score=0.83,
        folder="",
    )
    base.update(kw)
    return Decision(**base)  # type: ignore[arg-type]


def item(i: int = 0, *, folder: str = "INBOX", lane: Lane = Lane.PRIORITY,
         body: str | None = None, msg: Message | None = None, **kw: object) -> StoredItem:
    return StoredItem(
        key=f"imap:{folder}:1:{i + 1}", folder=folder, uid=i + 1,
        message=msg if msg is not None else message(i), decision=decision(lane),
        raw_sha256=f"{i:064x}", body=body, **kw)  # type: ignore[arg-type]
