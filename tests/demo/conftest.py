"""Shared demo mailboxes: generated once per test session (generation is deterministic)."""

from __future__ import annotations

import pytest

from accalmie.demo.generator import Mailbox, generate_mailbox


@pytest.fixture(scope="session")
def mailbox600() -> Mailbox:
    return generate_mailbox(600, seed=7)


@pytest.fixture(scope="session")
def mailbox_big() -> Mailbox:
    """A larger one with another seed, to meet the rarer layouts and scenarios."""
    return generate_mailbox(2000, seed=11)
