"""Running the fetch command in a test (a module of its own: `conftest` is a name every test folder has)."""
from __future__ import annotations

FAST = ["--delay", "0", "--timeout", "0.5", "--backoff", "0.05", "--quiet"]


def run_fetch(capsys, *args: str) -> tuple[int, str]:
    from etl.cli import main

    code = main(["fetch", *args, *FAST])
    return code, capsys.readouterr().err
