"""French is the default language: every user-visible string has a French translation."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from accalmie.i18n import gettext_for, set_language
from accalmie.triage.decision import Lane, lane_label

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "accalmie" / "locale"


def fields(template: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError:
        return {"<unparsable>"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "accalmie.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", str(REPO / "babel.cfg"), "-k", "_", "-k", "N_",
                    "-k", "ngettext:1,2", "-k", "gettext_for:2", "-o", str(pot),
                    str(REPO / "accalmie")], check=True, cwd=REPO, capture_output=True)
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_every_string_in_the_code_is_translated_into_french(extracted: set[str]) -> None:
    with (LOCALE / "fr" / "LC_MESSAGES" / "accalmie.po").open("rb") as fh:
        catalog = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in read_po(fh) if m.id}
    missing = sorted(i for i in extracted if i not in catalog or not catalog[i].string)
    assert not missing, f"run `make i18n` and translate: {missing[:20]}"
    for msgid in extracted:
        text = catalog[msgid].string
        text = text if isinstance(text, str) else text[0]
        assert fields(text) == fields(msgid), f"fields differ: {msgid!r} -> {text!r}"


def _key(value: object) -> object:
    """Plural entries come as lists (ids and strings): make them hashable and comparable."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_compiled_catalog_matches_the_po() -> None:
    with (LOCALE / "fr" / "LC_MESSAGES" / "accalmie.po").open("rb") as fh:
        po = {_key(m.id): _key(m.string) for m in read_po(fh)
              if m.id and m.string and not m.fuzzy}
    with (LOCALE / "fr" / "LC_MESSAGES" / "accalmie.mo").open("rb") as fh:
        mo = {_key(m.id): _key(m.string) for m in read_mo(fh) if m.id}
    assert po == mo, "run `make i18n` to compile the catalog"


def test_french_by_default_english_on_request() -> None:
    set_language(None)
    assert lane_label(Lane.PRIORITY) == "Prioritaire"
    assert lane_label(Lane.BULK, "en") == "Newsletters & notifications"
    assert gettext_for("en", "Priority") == "Priority"
