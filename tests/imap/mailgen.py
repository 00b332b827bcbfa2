"""Simple, varied, deterministic RFC 5322 messages for the IMAP tests.

Plain and HTML bodies, multipart with attachments, French text in quoted-printable and 8-bit,
mailing lists, replies, a few unusual headers. Each message carries an ``X-Test-Lane`` header
that :class:`StandInTriager` follows, so tests know where every message must end up without
depending on the real heuristics.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from accalmie.mail.model import Message
from accalmie.triage.decision import Decision, Lane, Reason, Source

LANES = (Lane.PRIORITY, Lane.INFO, Lane.BULK, Lane.SUSPECT)
_WORDS = ("dossier rendez-vous famille école CAF CPAM MDPH logement aide réunion synthèse "
          "signalement budget accompagnement visite demande relance compte-rendu planning "
          "urgent courrier justificatif attestation bilan équipe partenaire usager").split()


def message_id(i: int, domain: str = "test.example") -> str:
    return f"<m{i:06d}.{hashlib.sha1(str(i).encode()).hexdigest()[:8]}@{domain}>"


def make_message(i: int, *, lane: Lane | None = None, seed: int = 0, to: str = "alice@test.example",
                 size_hint: int | None = None, extra_headers: dict[str, str] | None = None,
                 mid: str | None = None) -> bytes:
    """Message number ``i`` (deterministic for a seed); ``lane`` is written in X-Test-Lane."""
    rng = random.Random(i * 7919 + seed)
    pick = LANES[rng.randrange(4)]
    lane = pick if lane is None else lane
    when = datetime(2025, 3, 3, 8, 0, tzinfo=UTC) + timedelta(minutes=17 * i)
    sender = f"{rng.choice(['marie', 'paul', 'nadia', 'lucas', 'emma'])}{i % 50}@" \
             f"{rng.choice(['caf.fr', 'cpam.example', 'ville.example', 'news.example'])}"
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(3, 9)))
    body_words = size_hint or rng.choice([40, 80, 200, 600, 1500])
    body = " ".join(rng.choice(_WORDS) for _ in range(body_words))
    lines = [body[k:k + 70] for k in range(0, len(body), 70)]
    text = "\r\n".join(lines)
    headers = {
        "Return-Path": f"<{sender}>",
        "From": f"Expéditeur {i} <{sender}>" if i % 5 == 0 else sender,
        "To": to,
        "Subject": f"[{i}] {words}",
        "Date": format_datetime(when),
        "Message-ID": mid if mid is not None else message_id(i),
        "MIME-Version": "1.0",
        "X-Test-Lane": lane.value,
    }
    if i % 4 == 1:
        headers["List-Id"] = f"Lettre d'info <lettre{i % 3}.news.example>"
        headers["List-Unsubscribe"] = f"<https://news.example/u/{i}>"
    if i % 6 == 2:
        headers["In-Reply-To"] = message_id(i - 1)
        headers["Cc"] = "bob@test.example"
    headers.update(extra_headers or {})
    kind = i % 3
    head = "".join(f"{k}: {_encode_header(v)}\r\n" for k, v in headers.items())
    if kind == 0:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n" + text + "\r\n").encode("utf-8")
    if kind == 1:
        html = "<html><body><p>" + "</p><p>".join(lines) + \
            f"</p><a href=\"https://site.example/{i}\">lien</a></body></html>"
        b = f"b{i}"
        return (head + f"Content-Type: multipart/alternative; boundary=\"{b}\"\r\n\r\n"
                f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + _qp(text) + f"\r\n--{b}\r\nContent-Type: text/html; charset=utf-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + _qp(html)
                + f"\r\n--{b}--\r\n").encode("ascii")
    b = f"mix{i}"
    payload = hashlib.sha256(str(i).encode()).hexdigest() * 8
    import base64

    att = base64.encodebytes(payload.encode()).decode().replace("\n", "\r\n")
    return (head + f"Content-Type: multipart/mixed; boundary=\"{b}\"\r\n\r\n"
            f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n" + text
            + f"\r\n--{b}\r\nContent-Type: application/pdf; name=\"piece{i}.pdf\"\r\n"
            f"Content-Disposition: attachment; filename=\"piece{i}.pdf\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + att + f"--{b}--\r\n").encode("utf-8")


def _encode_header(value: str) -> str:
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        from email.header import Header

        return Header(value, "utf-8").encode()


def _qp(text: str) -> str:
    import quopri

    return quopri.encodestring(text.encode("utf-8")).decode("ascii").replace("\n", "\r\n")


def mailbox(n: int, seed: int = 0, start: int = 0) -> Iterator[bytes]:
    for i in range(start, start + n):
        yield make_message(i, seed=seed)


def lane_of_raw(raw: bytes) -> Lane:
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"x-test-lane:"):
            return Lane(line.split(b":", 1)[1].strip().decode())
    return Lane.INFO


class StandInTriager:
    """A deterministic decider for IMAP tests: the lane written in X-Test-Lane.

    ``learned`` records what the pipeline taught it (message id, lane), and a learned lane
    wins afterwards, as the real per-user model would.
    """

    def __init__(self) -> None:
        self.learned: list[tuple[str, Lane]] = []
        self._overrides: dict[str, Lane] = {}
        self.contacts: dict[str, int] = {}

    def decide(self, msg: Message) -> Decision:
        if msg.message_id in self._overrides:
            lane = self._overrides[msg.message_id]
            return Decision(lane, Source.LEARNED, (Reason("learned", {}, "learned", 1.0),))
        value = msg.header("x-test-lane") or "info"
        try:
            lane = Lane(value.strip())
        except ValueError:
            lane = Lane.INFO
        return Decision(lane, Source.HEURISTIC, (Reason("test lane {lane}", {"lane": lane.value},
                                                        "test", 1.0),))

    def learn(self, msg: Message, lane: Lane | str) -> None:
        self.learned.append((msg.message_id, Lane(lane)))
        self._overrides[msg.message_id] = Lane(lane)

    def update_contacts(self, counts: dict[str, int]) -> None:
        for k, v in counts.items():
            self.contacts[k] = self.contacts.get(k, 0) + v
