"""`python -m accalmie` is the `accalmie` command."""

from accalmie.cli.main import run

if __name__ == "__main__":
    run()
