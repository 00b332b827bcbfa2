"""Phishing and malware analyser: a score in [0, 1] with its reasons (issue 3, item 1).

``assess(msg, ctx)`` is the entry point; the modules hold one family of signs each.
"""

from __future__ import annotations

from accalmie.guard.phishing.score import DEFAULT_THRESHOLD, SAFE, SafetyResult, assess

__all__ = ["DEFAULT_THRESHOLD", "SAFE", "SafetyResult", "assess"]
