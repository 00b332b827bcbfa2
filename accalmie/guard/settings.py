"""The ``[guard]`` section of the configuration: how suspicious is *Suspect*, and whose
Authentication-Results headers are believed.

```toml
[guard]
suspect_threshold = 0.7            # risk from which a message goes to Suspect
trusted_authserv_ids = ["mx.example.org"]  # your own mail servers (accounts may add theirs)
hostility = true                   # warn before reading an aggressive message
```

The default threshold is the one at which at most 0.1 % of the legitimate mail of the
evaluation corpora is flagged (see ``accalmie/data/models/phishing.md``): a warning that cries
wolf every week teaches people to ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accalmie.config import config_error
from accalmie.i18n import _

DEFAULT_SUSPECT_THRESHOLD = 0.7
_KEYS = ("suspect_threshold", "trusted_authserv_ids", "hostility")


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """Validated ``[guard]`` settings; ``GuardSettings()`` is what an empty section gives."""

    suspect_threshold: float = DEFAULT_SUSPECT_THRESHOLD
    trusted_authserv_ids: tuple[str, ...] = ()  # lowercased; added to each account's own
    hostility: bool = True


def parse_section(raw: Any, path: Path | None, where: str) -> GuardSettings:
    """Validate ``[guard]``; ``{}`` gives the defaults."""
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise config_error(path, where + unknown[0], _("unknown key"))
    threshold = raw.get("suspect_threshold", DEFAULT_SUSPECT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise config_error(path, where + "suspect_threshold", _("wrong type ({found})").format(
            found=type(threshold).__name__))
    if not 0.0 < float(threshold) <= 1.0:
        raise config_error(path, where + "suspect_threshold",
                           _("expected a number above 0 and at most 1"))
    ids = raw.get("trusted_authserv_ids", [])
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, list) or not all(isinstance(v, str) for v in ids):
        raise config_error(path, where + "trusted_authserv_ids",
                           _("expected a string or a list of strings"))
    cleaned = tuple(dict.fromkeys(v.strip().lower() for v in ids))
    if any(not v or any(ch.isspace() or ch == ";" for ch in v) for v in cleaned):
        raise config_error(path, where + "trusted_authserv_ids",
                           _("not a valid server name"))
    hostility = raw.get("hostility", True)
    if not isinstance(hostility, bool):
        raise config_error(path, where + "hostility", _("expected true or false"))
    return GuardSettings(float(threshold), cleaned, hostility)
