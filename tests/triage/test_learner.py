"""The per-user online learner: learns at once, explains, stores safely, stays bounded."""

from __future__ import annotations

import json
import random
import struct
import zlib

import pytest

from accalmie.mail.model import Address, Message
from accalmie.triage.decision import Lane, Reason
from accalmie.triage.learner import MAGIC, OnlineLearner, Prediction
from accalmie.triage.tokens import thread_key, tokenize, words
from tests.triage.helpers import msg

NEWS = ("Lettre d'information mensuelle: nouveautés, webinaire, agenda des formations, "
        "catalogue, offres partenaires, inscription, désabonnement")
CASE = ("Dossier de la famille Bernard: rendez-vous à la CAF, pièces justificatives, "
        "attestation de loyer, visite à domicile prévue jeudi")


def news(i: int, sender: str = "infos@lettre-pro.fr") -> Message:
    return msg(frm=f"Lettre Pro <{sender}>", subject=f"Lettre n°{i}: actualités du secteur",
               text=f"{NEWS} numéro {i}", list_id="lettre.lettre-pro.fr")


def case(i: int, sender: str = "claire.petit@cd-exemple.fr") -> Message:
    return msg(frm=f"Claire Petit <{sender}>", subject=f"Dossier Bernard, point {i}",
               text=f"{CASE}. Point {i}.")


def trained() -> OnlineLearner:
    learner = OnlineLearner()
    for i in range(6):
        learner.learn(news(i), Lane.BULK.value)
        learner.learn(case(i), Lane.PRIORITY.value)
    return learner


def test_nothing_learned_predicts_nothing() -> None:
    learner = OnlineLearner()
    assert learner.predict(case(0)) is None
    learner.learn(case(0), "priority")
    assert learner.predict(case(1)) is None  # one label: nothing to choose between
    assert learner.labels == ["priority"] and learner.n_seen == 1


def test_learns_a_separable_problem_at_once() -> None:
    learner = OnlineLearner()
    learner.learn(news(0), "bulk")
    learner.learn(case(0), "priority")
    for i in range(1, 5):
        assert learner.predict(news(i)).label == "bulk"
        assert learner.predict(case(i)).label == "priority"


def test_one_correction_changes_the_next_prediction_for_that_sender() -> None:
    learner = trained()
    sender = "contact@asso-quartier.fr"
    # A new sender writing newsletter-like text: filed with the newsletters at first.
    first = news(100, sender=sender)
    assert learner.predict(first).label == "bulk"
    learner.learn(first, "priority")  # the user says: this one matters to me
    nxt = msg(frm=f"Asso <{sender}>", subject="Lettre du mois: webinaire et agenda",
              text=f"{NEWS}, la suite", list_id="lettre.lettre-pro.fr")
    pred = learner.predict(nxt)
    assert pred is not None and pred.label == "priority"
    assert any(r.code == "learned_sender" and r.params == {"sender": sender}
               for r in pred.reasons)
    # ... and the other newsletters stay newsletters.
    assert learner.predict(news(101)).label == "bulk"


def test_prediction_has_confidence_and_plain_reasons() -> None:
    pred = trained().predict(case(42))
    assert isinstance(pred, Prediction)
    assert pred.label == "priority" and 0.5 < pred.confidence <= 1.0 and pred.margin > 0
    assert 1 <= len(pred.reasons) <= 3
    for reason in pred.reasons:
        assert isinstance(reason, Reason) and reason.code.startswith("learned_")
        assert 0 < reason.weight <= 1
        rendered = reason.render("en")
        assert "{" not in rendered and rendered
    codes = {r.code for r in pred.reasons}
    assert codes & {"learned_sender", "learned_words", "learned_thread", "learned_domain"}


def test_confidence_is_monotone_in_the_margin() -> None:
    for learner in (OnlineLearner(), OnlineLearner(calibrate=True)):
        for i in range(30):
            learner.learn(news(i), "bulk")
            learner.learn(case(i), "priority")
        values = [learner.confidence(m / 10) for m in range(0, 30)]
        assert values == sorted(values)
        assert all(0.0 <= v <= 1.0 for v in values)
        assert learner.confidence(0.0) <= 0.55 and learner.confidence(2.0) >= 0.9


def test_forget_drops_a_label() -> None:
    learner = trained()
    learner.learn(msg(frm="rh@cd-exemple.fr", subject="Congés", text="planning des congés"),
                  "info")
    learner.forget("priority")
    assert learner.labels == ["bulk", "info"]
    pred = learner.predict(case(3))
    assert pred is not None and pred.label in {"bulk", "info"}
    learner.forget("absent")  # no error
    learner.learn(case(4), "priority")  # and it can come back
    assert "priority" in learner.labels


def test_round_trip_gives_identical_predictions() -> None:
    learner = OnlineLearner(calibrate=True)
    rng = random.Random(3)
    for i in range(60):
        m, label = (news(i), "bulk") if rng.random() < 0.5 else (case(i), "priority")
        learner.learn(m, label)
    learner.learn(msg(frm="x@y.fr", subject="Divers", text="autre chose"), "info")
    data = learner.to_bytes()
    assert data.startswith(MAGIC) and len(data) < 200_000
    copy = OnlineLearner.from_bytes(data)
    assert copy.labels == learner.labels and copy.n_seen == learner.n_seen
    assert copy.calibrate and copy.n_features == learner.n_features
    probes = [news(1000), case(1000), msg(frm="x@y.fr", subject="Divers", text="encore"),
              msg(frm="nobody@nowhere.example", subject="", text="")]
    for probe in probes:
        assert copy.predict(probe) == learner.predict(probe)
    # Learning goes on identically after a reload.
    for target in (learner, copy):
        target.learn(case(2000), "info")
    assert copy.predict(case(2001)) == learner.predict(case(2001))
    assert copy.to_bytes() == learner.to_bytes()


def test_an_empty_model_round_trips() -> None:
    copy = OnlineLearner.from_bytes(OnlineLearner(n_buckets=1024).to_bytes())
    assert copy.labels == [] and copy.n_seen == 0 and copy.n_buckets == 1024


def _tampered(learner: OnlineLearner, change) -> bytes:  # noqa: ANN001
    body = zlib.decompress(learner.to_bytes()[len(MAGIC):])
    (hlen,) = struct.unpack_from("<I", body)
    header = json.loads(body[4:4 + hlen])
    arrays = body[4 + hlen:]
    header, arrays = change(header, arrays)
    head = json.dumps(header).encode()
    return MAGIC + zlib.compress(struct.pack("<I", len(head)) + head + arrays)


@pytest.mark.parametrize("garbage", [
    b"", b"hello", b"\x80\x04\x95 pickle-like", MAGIC, MAGIC + b"not zlib",
    MAGIC[:6] + b"\x00\x09" + zlib.compress(b"{}"),  # a future version
    MAGIC + zlib.compress(b"\x00\x00\x00\x10{}"),  # header longer than the data
    MAGIC + zlib.compress(struct.pack("<I", 2) + b"[]"),
    MAGIC + zlib.compress(b"x" * 100)[:-5],  # truncated stream
])
def test_from_bytes_rejects_garbage_with_a_clear_error(garbage: bytes) -> None:
    with pytest.raises(ValueError, match="learner model"):
        OnlineLearner.from_bytes(garbage)


@pytest.mark.parametrize("change", [
    lambda h, a: ({**h, "format": "other"}, a),
    lambda h, a: ({**h, "labels": ["a", "a"]}, a),
    lambda h, a: ({**h, "rows": h["rows"] + 1}, a),
    lambda h, a: ({**h, "hyper": {**h["hyper"], "n_buckets": -1}}, a),
    lambda h, a: ({**h, "hyper": {**h["hyper"], "evil": 1}}, a),
    lambda h, a: ({**h, "n_seen": "many"}, a),
    lambda h, a: ({**h, "calibration": [[1, 0]] * 11}, a),
    lambda h, a: (h, a[:-4]),
    lambda h, a: (h, a[:-4] + struct.pack("<f", float("nan"))),
    lambda h, a: (h, struct.pack("<I", 1 << 30) + a[4:]),  # bucket out of range
])
def test_from_bytes_rejects_inconsistent_models(change) -> None:  # noqa: ANN001
    learner = trained()
    with pytest.raises(ValueError, match="learner model"):
        OnlineLearner.from_bytes(_tampered(learner, change))


def test_from_bytes_refuses_a_decompression_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    import accalmie.triage.learner as module

    monkeypatch.setattr(module, "MAX_MODEL_BYTES", 1 << 16)
    with pytest.raises(ValueError, match="too large"):
        OnlineLearner.from_bytes(MAGIC + zlib.compress(b"\x00" * (1 << 20)))


def test_from_bytes_rejects_non_bytes() -> None:
    with pytest.raises(ValueError):
        OnlineLearner.from_bytes("a string")  # type: ignore[arg-type]


def test_memory_is_bounded_by_the_hash_space() -> None:
    learner = OnlineLearner(n_buckets=256)
    rng = random.Random(7)
    vocabulary = [f"mot{i}x" for i in range(5000)]
    for i in range(400):
        text = " ".join(rng.choice(vocabulary) for _ in range(80))
        learner.learn(msg(frm=f"s{i}@d{i % 50}.fr", subject=f"sujet {i}", text=text),
                      f"folder{i % 7}")
    assert learner.n_features <= 256
    assert learner._w.shape[0] <= 256  # the table itself never grows past the hash space
    assert len(learner.to_bytes()) < 256 * 4 * 9 + 4096
    assert learner.predict(msg(text=" ".join(vocabulary[:50]))) is not None


def test_bad_hyperparameters_and_labels_are_refused() -> None:
    with pytest.raises(ValueError):
        OnlineLearner(aggressiveness=0)
    with pytest.raises(ValueError):
        OnlineLearner(n_buckets=3)
    with pytest.raises(TypeError):
        OnlineLearner(unknown=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        OnlineLearner().learn(case(0), "")


def test_odd_messages_never_break_it() -> None:
    learner = trained()
    odd = [Message(), Message(subject="\udcff\x00" * 50, text="\ud800 surrogate"),
           Message(from_=Address("", ""), to=(Address("", "@"),), text="é" * 100_000),
           msg(text="12345 67890 ---- ....", subject="RE: RE: Fwd:")]
    for m in odd:
        learner.predict(m)
        learner.learn(m, "info")
    assert learner.n_seen == 12 + len(odd)


def test_tokens_keep_fields_and_skip_noise() -> None:
    m = msg(frm="Claire Petit <claire.petit@cd-exemple.fr>", to=("Marie <marie@ccas.fr>",),
            subject="RE: TR: Dossier Bernard", text="Les pièces du dossier, 2024-05-01.",
            headers={"X-Folder": r"\Marie\Dossiers", "X-FileName": "marie.pst",
                     "X-From": "Claire Petit"})
    tokens = tokenize(m)
    assert "f:claire.petit@cd-exemple.fr" in tokens["who"]
    assert "fd:cd-exemple.fr" in tokens["who"] and "r:marie@ccas.fr" in tokens["who"]
    assert "n:claire" in tokens["who"]
    assert "th:dossier bernard" in tokens["subject"] and "s:bernard" in tokens["subject"]
    assert "w:pièces" in tokens["body"] and "w:dossier" in tokens["body"]
    everything = " ".join(t for field in tokens.values() for t in field)
    assert "dossiers" not in everything.replace("dossier bernard", "")  # X-Folder unused
    assert "pst" not in everything and "2024" not in everything
    assert thread_key("Re: RE:  Fwd: Point  d'étape") == "point d'étape"
    assert words("Les the and pièces", None) == ["pièces"]


def test_the_recent_memory_round_trips_and_old_versions_are_refused() -> None:
    learner = OnlineLearner(memory=0.4)
    for i in range(20):
        learner.learn(news(i), "bulk")
        learner.learn(case(i), "priority")
    copy = OnlineLearner.from_bytes(learner.to_bytes())
    assert copy.memory == 0.4
    for probe in (news(500), case(500)):
        assert copy.predict(probe) == learner.predict(probe)
    assert learner.predict(news(500)).label == "bulk"
    assert learner.predict(case(500)).label == "priority"
    old = learner.to_bytes()[:6] + b"\x00\x01" + learner.to_bytes()[8:]
    with pytest.raises(ValueError, match="version"):
        OnlineLearner.from_bytes(old)
    with pytest.raises(ValueError):
        OnlineLearner(memory=-1.0)


def test_fast_body_words_match_the_regular_expression() -> None:
    from collections import Counter

    from accalmie.triage.tokens import body_counts

    text = ("Bonjour, l'équipe de Saint-Aubin-en-Lisière: rendez-vous «jeudi» à 14h30 (salle "
            "B-12)… Don't forget the e-mail, abc123 and 3pm --- x²; THE end. " * 3)
    assert body_counts(text, 10_000) == Counter(words(text, None))
    assert body_counts("", 300) == Counter() and body_counts(text, 0) == Counter()
    long_text = " ".join(f"mot{i}x" for i in range(5000))
    assert 300 <= sum(body_counts(long_text, 300).values()) < 600  # reading stops near the limit


def test_token_buckets_are_the_crc_of_the_prefixed_token() -> None:
    # Models stay loadable across versions: a body word's bucket is the CRC-32 of "w:" + word.
    learner = OnlineLearner(n_buckets=1 << 18)
    buckets, names, _, field = learner._tokens(msg(frm="a@b.fr", subject="Point", text="dossier"))
    by_name = {("w:" + n if f == 2 else n): int(b)
               for n, b, f in zip(names, buckets.tolist(), field.tolist(), strict=True)}
    for token in ("w:dossier", "s:point", "f:a@b.fr"):
        assert by_name[token] == zlib.crc32(token.encode()) % (1 << 18)
