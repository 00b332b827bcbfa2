"""Evidence pack for harassment complaints: chosen messages, byte for byte, with a timeline.

``collect`` finds the messages in the store and reads their originals back, checked against
the SHA-256 recorded when they were first read; ``timeline`` builds the dated entries (HTML,
PDF); ``pseudonymise`` hides third parties when asked; ``pack`` writes the ZIP atomically;
``verify`` checks a pack against its own manifests.
"""

from __future__ import annotations

from accalmie.guard.evidence.collect import (
    EvidenceError,
    Original,
    OriginalFetcher,
    select_rows,
)
from accalmie.guard.evidence.pack import PackOptions, PackResult, build_pack
from accalmie.guard.evidence.verify import Check, VerifyReport, verify_pack

__all__ = ["Check", "EvidenceError", "Original", "OriginalFetcher", "PackOptions",
           "PackResult", "VerifyReport", "build_pack", "select_rows", "verify_pack"]
