"""Pseudonymised packs: no third party's name or address in the timeline or the manifest, the
same pseudonym for the same person everywhere, the owner kept, the originals untouched."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accalmie.guard.evidence.pseudonymise import Pseudonymiser, letters
from accalmie.guard.evidence.service import create_pack
from accalmie.mail.model import Address
from accalmie.mail.parse import parse_message
from accalmie.store import Store
from tests.guard.test_evidence_helpers import Triaged, members, triage_demo


def test_letters_go_on_after_z() -> None:
    assert [letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_same_person_same_pseudonym_everywhere() -> None:
    p = Pseudonymiser({"me@work.example"}, "en")
    p.learn([Address("Hélène Dupont", "helene.dupont@mail.example"),
             Address("Claire Martin", "me@work.example"),
             Address("", "jean.moreau@mail.example"),
             Address("Service Enfance", "enfance@ville.example")])
    a_name, a_mail = p.person(Address("Hélène Dupont", "HELENE.DUPONT@mail.example"))
    assert (a_name, a_mail) == ("Person A", "person-a@pseudonym.invalid")
    assert p.person(Address("H. D.", "helene.dupont@mail.example")) == (a_name, a_mail)
    assert p.person(Address("Claire Martin", "me@work.example")) == \
        ("Claire Martin", "me@work.example")
    text = ("Mme DUPONT (helene.dupont@mail.example) et Helene dupont ont écrit à "
            "me@work.example ; Jean Moreau aussi ; Hélène viendra. Copie à "
            "inconnu@autre.example. Claire Martin répondra. Le dupont du pont reste.")
    out = p.text(text)
    for leaked in ("DUPONT", "helene.dupont", "Helene dupont", "Moreau", "Hélène",
                   "inconnu@autre.example"):
        assert leaked not in out, leaked
    assert out.count("Person A") == 3
    assert "Person B" in out  # Jean Moreau, known from his address only
    assert "me@work.example" in out and "Claire Martin" in out  # the owner stays
    assert "Le dupont du pont" in out  # lower case: a word, not a name
    unknown = p.address("inconnu@autre.example")
    assert unknown.endswith("@pseudonym.invalid") and unknown in out
    assert p.text(text) == out, "stable when applied again to the same text"
    assert p.count == 4


def test_shared_first_names_become_neutral_and_disabled_is_identity() -> None:
    p = Pseudonymiser((), "en")
    p.learn([Address("Marie Durand", "md@x.example"), Address("Marie Petit", "mp@x.example")])
    out = p.text("Marie a vu Marie Durand, puis Petit est venu. Un petit mot.")
    assert "Durand" not in out and "Marie" not in out and "Petit est" not in out
    assert "[name]" in out and "Un petit mot." in out
    off = Pseudonymiser((), "en", enabled=False)
    off.learn([Address("Marie Durand", "md@x.example")])
    assert off.text("Marie Durand md@x.example") == "Marie Durand md@x.example"
    assert off.person(Address("Marie Durand", "md@x.example")) == ("Marie Durand", "md@x.example")


def test_organisations_keep_their_words() -> None:
    p = Pseudonymiser((), "en")
    p.learn([Address("Praxis Formations", "offres@praxis.example")], people=False)
    p.learn([Address("Jean Formations", "jean@x.example")])  # a person of that name
    out = p.text("Praxis Formations : nos Formations. Jean viendra.")
    assert out == "Person A : nos Person B. Person B viendra."
    q = Pseudonymiser((), "en")
    q.learn([Address("Praxis Formations", "offres@praxis.example")], people=False)
    assert q.text("Praxis Formations : nos Formations.") == "Person A : nos Formations."


def test_bounded_on_hostile_text() -> None:
    p = Pseudonymiser((), "en")
    p.learn([Address("A" * 300, "a@b.example")])
    blob = ("x" * 10_000 + "@") * 20 + "a." * 5000
    assert isinstance(p.text(blob), str)


@pytest.fixture
def triaged(store: Store, tmp_path: Path) -> Triaged:
    return triage_demo(store, tmp_path)


PEOPLE = ("usager_request", "usager", "family", "reply", "complaint", "distress", "aggressive")


def _third_parties(t: Triaged, raws: list[bytes]) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    emails: set[str] = set()
    own = t.account.own_addresses
    for raw in raws:
        msg = parse_message(raw)
        for a in (msg.from_, *msg.to, *msg.cc, *msg.reply_to):
            if a is None or a.email in own:
                continue
            emails.add(a.email)
            if a.name and "@" not in a.name:
                names.add(a.name)
    return names, emails


def test_pseudonymised_pack(triaged: Triaged, tmp_path: Path) -> None:
    picks = (triaged.of_kind("aggressive") + triaged.of_kind("complaint")
             + triaged.of_kind("family") + triaged.of_kind("reply"))[:6]
    # Two messages of the same sender, when the demo has them, show consistency across entries.
    by_sender: dict[str, list] = {}
    for m in triaged.box.messages:
        if m.folder == "INBOX" and m.kind in PEOPLE:
            by_sender.setdefault(parse_message(m.raw).from_.email, []).append(m)
    pair = next(ms[:2] for ms in by_sender.values() if len(ms) >= 2)
    picks = list({m.message_id: m for m in [*picks, *pair]}.values())
    refs = [m.message_id for m in picks]
    result = create_pack(triaged.store, triaged.config, triaged.account, refs,
                         triaged.options(tmp_path / "p.zip", pseudonymise=True),
                         sources=[triaged.maildir])
    files = members(result.path)
    html = files["timeline.html"].decode()
    manifest_text = files["manifest.json"].decode()
    doc = json.loads(manifest_text)
    assert doc["pseudonymised"] is True and doc["pseudonyms"] >= 2

    names, emails = _third_parties(triaged, [m.raw for m in picks])
    assert names and emails
    for shown in (html, manifest_text):
        low = shown.lower()
        for email in emails:
            assert email.lower() not in low, email
        for name in names:
            assert name.lower() not in low, name
            for word in re.findall(r"[^\W\d_]{4,}", name):
                if word[0].isupper() and word.lower() not in ("service", "madame", "monsieur"):
                    assert word not in shown, (word, name)
    # The owner is not a third party.
    assert triaged.account.email in html
    # The originals are exactly what arrived, real names included.
    originals = sorted(v for k, v in files.items() if k.startswith("originals/"))
    assert originals == sorted(m.raw for m in picks)

    # One pseudonym per sender address, the same in every entry, and in the timeline too.
    labels: dict[str, str] = {}
    for item, m in zip(doc["messages"], sorted(picks, key=lambda m: m.date), strict=True):
        real = parse_message(m.raw).from_.email
        label = f'{item["sender"]["name"]} <{item["sender"]["address"]}>'
        assert labels.setdefault(real, label) == label
        assert item["sender"]["address"].endswith("@pseudonym.invalid")
        assert item["sender"]["name"] in html
    assert len(set(labels.values())) == len(labels)
    pair_from = parse_message(pair[0].raw).from_.email
    assert pair_from in labels
