"""Shared test fixtures: where the corpora are, and the real servers the tests talk to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_store", "tests.fixtures_imap"]

REPO = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("ACCALMIE_CORPORA", REPO.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The third-party corpora folder; tests that need it are skipped loudly without it."""
    if not CORPORA.is_dir():
        pytest.skip(f"corpora not found at {CORPORA} (set ACCALMIE_CORPORA): "
                    "corpus tests need the shared data")
    return CORPORA
