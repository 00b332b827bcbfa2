"""Write a new migration from the difference between ``schema.py`` and the latest revision.

Usage (maintainers, from a checkout): ``python -m accalmie.store.revision "what changed"``.
It migrates a scratch SQLite database to the current head, autogenerates the next revision
into ``migrations/versions/NNNN_<slug>.py``, and prints its path. Review it (SQLite needs
batch mode for ALTERs; env.py turns it on), then run ``pytest tests/store``: a test fails when
models and migrations disagree.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from accalmie.store.db import alembic_config, make_engine, migrate


def new_revision(message: str) -> Path:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    number = int(re.match(r"\d+", head or "0").group(0)) + 1  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "scratch.db")
        try:
            migrate(engine)
            with engine.begin() as conn:
                cfg = alembic_config(conn)
                cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
                rev = command.revision(cfg, message=message, autogenerate=True,
                                       rev_id=f"{number:04d}")
        finally:
            engine.dispose()
    assert rev is not None and not isinstance(rev, list)
    return Path(rev.path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: python -m accalmie.store.revision "what changed"')
    print(new_revision(sys.argv[1]))
