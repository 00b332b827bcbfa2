"""Entry point: choose the language before any help text is built, then run the app.

Help texts are translated when the typer app is built, so ``--lang`` and ``ACCALMIE_LANG``
are read from the raw arguments first.
"""

from __future__ import annotations

import sys


def _lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def run() -> None:
    from accalmie.i18n import set_language

    lang = _lang_from_argv(sys.argv[1:])
    if lang:
        set_language(lang)
    from accalmie.cli.help_i18n import install

    install()
    from accalmie.cli.app import main

    main()
