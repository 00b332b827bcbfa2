"""Commands of this capability (declared on the shared apps of accalmie.cli.common)."""

from __future__ import annotations
