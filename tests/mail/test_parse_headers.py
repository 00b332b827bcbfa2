"""Headers of the canonical Message: addresses, dates, thread and list headers, all headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from accalmie.mail.model import Address, Message
from accalmie.mail.parse import MAX_HEADER_CHARS, parse_message
from tests.mail.mime import message


def test_basic_fields() -> None:
    msg = parse_message(message("Bonjour,\r\nPouvez-vous rappeler ?\r\n"))
    assert isinstance(msg, Message)
    assert msg.from_ == Address("Marie Durand", "marie.durand@cd93.fr")
    assert msg.to == (Address("Accueil", "accueil@ccas-exemple.fr"),)
    assert msg.subject == "Dossier"
    assert msg.message_id == "<abc123@cd93.fr>"
    assert msg.date == datetime(2024, 6, 3, 8, 12, tzinfo=UTC)
    assert msg.date.utcoffset() == timedelta(hours=2)
    assert msg.defects == ()
    assert msg.size == len(message("Bonjour,\r\nPouvez-vous rappeler ?\r\n"))


def test_encoded_word_subjects_in_french() -> None:
    cases = {
        "=?UTF-8?B?UsOpdW5pb24gZCfDqXF1aXBlIOKAkyBkb3NzaWVyIE1EUEg=?=":
            "Réunion d'équipe – dossier MDPH",
        "=?iso-8859-1?Q?Rendez-vous_=E0_la_CAF_?= =?iso-8859-1?Q?demain_=E0_9h?=":
            "Rendez-vous à la CAF demain à 9h",
        "=?windows-1252?Q?Relev=E9_=93important=94_=80?=": "Relevé “important” €",
        "Re: =?utf-8?q?Fwd=3A_attestation?= pour Mme L\u00e9a": "Re: Fwd: attestation pour Mme Léa",
        # a UTF-8 character split across two encoded words (a common client bug)
        "=?UTF-8?B?w6k=?= =?UTF-8?B?dMOp?=": "été",
        "=?utf-8?B?w6k?==?utf-8?B?dMOp?=": "été",
    }
    for raw, expected in cases.items():
        msg = parse_message(message(headers={"Subject": raw}))
        assert msg.subject == expected, raw


def test_folded_subject_is_unfolded() -> None:
    msg = parse_message(message(headers={"Subject": "Demande d'aide\r\n\tpour le logement"}))
    assert msg.subject == "Demande d'aide pour le logement"


def test_raw_8bit_headers() -> None:
    raw = (b"From: =?utf-8?q?Ren=C3=A9e?= <R@X.FR>\r\nSubject: Pi\xe8ce jointe\r\n"
           b"To: \xc9lodie <elodie@y.fr>\r\n\r\nok")
    msg = parse_message(raw)
    assert msg.subject == "Pièce jointe"  # latin-1 bytes: decoded, and said so
    assert any("8-bit" in d for d in msg.defects)
    assert msg.to == (Address("Élodie", "elodie@y.fr"),)  # valid UTF-8 is accepted (RFC 6532)
    assert msg.from_ == Address("Renée", "r@x.fr")


def test_addresses_variants() -> None:
    msg = parse_message(message(headers={
        "To": '"Dupont, Jean" <Jean.Dupont@Example.FR>, paul@ex.fr (Paul Martin), '
              "undisclosed-recipients:;",
        "Cc": "=?utf-8?Q?Fran=C3=A7oise?= <f@ex.fr>, <g@ex.fr>",
        "Reply-To": "Service <service@ex.fr>",
        "Sender": "bounce@list.ex.fr",
    }))
    assert msg.to == (Address("Dupont, Jean", "jean.dupont@example.fr"),
                      Address("Paul Martin", "paul@ex.fr"))
    assert msg.cc == (Address("Françoise", "f@ex.fr"), Address("", "g@ex.fr"))
    assert msg.reply_to == (Address("Service", "service@ex.fr"),)
    assert msg.sender == Address("", "bounce@list.ex.fr")
    assert msg.from_ is not None and msg.from_.domain == "cd93.fr"
    assert len(msg.recipients) == 4


def test_garbage_addresses_never_crash_and_keep_what_a_reader_sees() -> None:
    msg = parse_message(message(headers={
        "From": "Microsoft account team ,_<no-reply@access-accsecurity.com>",
        "To": '"Paid Customer" <a@b@gmail.com>, <<>>, @@@, "unterminated <x@y.fr>',
    }))
    assert msg.from_ == Address("Microsoft account team", "no-reply@access-accsecurity.com")
    assert "malformed address in From header" in msg.defects
    assert all(isinstance(a, Address) for a in msg.to)
    assert msg.to[0].domain == "gmail.com"

    assert parse_message(message(headers={"From": "John Doe"})).from_ == Address("John Doe", "")
    assert parse_message(message(headers={"From": "MAILER-DAEMON"})).from_ == Address(
        "", "mailer-daemon")
    quoted = parse_message(message(headers={"From": '" PayPal "@aeonms.com'}))
    assert quoted.from_ is not None and quoted.from_.domain == "aeonms.com"
    assert parse_message(message(headers={"From": ""})).from_ is None


def test_display_name_with_address_is_kept_for_spoofing_checks() -> None:
    msg = parse_message(message(headers={"From": '"support@paypal.com" <x@evil.example>'}))
    assert msg.from_ == Address("support@paypal.com", "x@evil.example")


def test_dates() -> None:
    def date_of(value: str) -> tuple[datetime | None, tuple[str, ...]]:
        msg = parse_message(message(headers={"Date": value}))
        return msg.date, msg.defects

    when, defects = date_of("Thu, 10 Jan 2002 06:02:22 -0800 (PST)")
    assert when == datetime(2002, 1, 10, 6, 2, 22, tzinfo=timezone(timedelta(hours=-8)))
    assert defects == ()
    when, _ = date_of("10 Jan 2002 06:02:22 GMT")
    assert when == datetime(2002, 1, 10, 6, 2, 22, tzinfo=UTC)
    when, _ = date_of("Mon, 3 Jun 2024 10:12:00 -0000")
    assert when is not None and when.utcoffset() == timedelta(0)
    for naive in ("Mon, 3 Jun 2024 10:12:00", "lundi 3 juin", "", "Mon, 31 Feb 2024 10:00 +0100",
                  "Mon, 3 Jun 2024 10:12:00 +9999"):
        when, defects = date_of(naive)
        assert when is None, naive
        assert any("date" in d.lower() for d in defects), naive
    msg = parse_message(message(headers={"Date": None}))
    assert msg.date is None and "no Date header" in msg.defects


def test_thread_headers() -> None:
    msg = parse_message(message(headers={
        "Message-ID": "  <  m1@x.fr >",
        "In-Reply-To": "<m0@x.fr> (Jean's message)",
        "References": "<a@x.fr>\r\n <b@x.fr> garbage <m0@x.fr> <a@x.fr>",
    }))
    assert msg.message_id == "<m1@x.fr>"
    assert msg.in_reply_to == "<m0@x.fr>"
    assert msg.references == ("<a@x.fr>", "<b@x.fr>", "<m0@x.fr>")
    many = " ".join(f"<r{i}@x.fr>" for i in range(300))
    msg = parse_message(message(headers={"References": many}))
    assert len(msg.references) == 100 and msg.references[-1] == "<r299@x.fr>"


def test_list_and_automation_headers() -> None:
    msg = parse_message(message(extra=[
        ("List-Id", "Lettre de l'ANAS <Lettre.ANAS.example.org>"),
        ("List-Unsubscribe", "<mailto:unsub@example.org?subject=unsubscribe>,\r\n"
                             " <https://example.org/u/ABC\r\n DEF>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Precedence", "Bulk"),
        ("Auto-Submitted", "auto-generated; type=notification"),
        ("Authentication-Results", "mx.ccas.fr; spf=pass smtp.mailfrom=example.org;"
                                   "\r\n dkim=pass header.d=example.org"),
        ("Authentication-Results", "relay.example; dmarc=fail"),
    ]))
    assert msg.list_id == "lettre.anas.example.org"
    assert msg.list_unsubscribe == ("mailto:unsub@example.org?subject=unsubscribe",
                                    "https://example.org/u/ABCDEF")
    assert msg.list_unsubscribe_post is True
    assert msg.precedence == "bulk"
    assert msg.auto_submitted == "auto-generated"
    assert msg.authentication_results == (
        "mx.ccas.fr; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org",
        "relay.example; dmarc=fail")
    # one-click needs an HTTP(S) URL to post to
    no_url = parse_message(message(extra=[("List-Unsubscribe", "<mailto:u@example.org>"),
                                          ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]))
    assert no_url.list_unsubscribe_post is False
    bare = parse_message(message(extra=[("List-Id", "simple.example.org")]))
    assert bare.list_id == "simple.example.org"


def test_headers_tuple_has_everything_decoded() -> None:
    msg = parse_message(message(extra=[("X-Folder", "\\Farmer\\Inbox"),
                                       ("X-Mailer", "=?utf-8?q?Cl=C3=A9?=")]))
    names = [name for name, _ in msg.headers]
    assert names[:3] == ["from", "to", "subject"]
    assert msg.header("X-MAILER") == "Clé"
    assert msg.header("x-folder") == "\\Farmer\\Inbox"
    assert msg.header_all("received") == []


def test_giant_and_numerous_headers_are_capped() -> None:
    huge = "a" * 2_000_000
    msg = parse_message(message(extra=[("X-Huge", huge)], headers={"Subject": "b" * 50_000}))
    assert len(msg.header("x-huge")) <= MAX_HEADER_CHARS
    assert len(msg.subject) <= MAX_HEADER_CHARS
    assert any("too long" in d for d in msg.defects)
    many = [(f"X-H{i}", "v") for i in range(3000)]
    msg = parse_message(message(extra=many))
    assert len(msg.headers) <= 1000
    assert any("too many header fields" in d for d in msg.defects)
    to = ", ".join(f"u{i}@x.fr" for i in range(5000))
    msg = parse_message(message(headers={"To": to}))
    assert len(msg.to) == 1000 and any("too many addresses" in d for d in msg.defects)


def test_missing_headers_are_defects() -> None:
    msg = parse_message(b"Subject: seulement un sujet\nPas de ligne vide ici\n")
    assert msg.subject == "seulement un sujet"
    assert msg.from_ is None and msg.date is None
    assert "no From header" in msg.defects
    assert "no Date header" in msg.defects
    assert msg.text == "Pas de ligne vide ici"


def test_mbox_envelope_line_and_leading_blank_lines() -> None:
    raw = b"\r\n\r\nFrom MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@b.fr\nSubject: s\n\nbody"
    msg = parse_message(raw)
    assert msg.from_ == Address("", "a@b.fr") and msg.subject == "s" and msg.text == "body"


def test_control_characters_never_reach_header_values() -> None:
    msg = parse_message(message(headers={
        "Subject": "=?utf-8?q?ligne1=0D=0Aligne2=00?=",
        "From": "=?utf-8?q?Jean=0ADupont?= <j@x.fr>"}))
    assert msg.subject == "ligne1 ligne2"
    assert msg.from_ is not None and msg.from_.name == "Jean Dupont"
