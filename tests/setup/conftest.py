"""Fixtures of the set-up tests: the `./run` script and the README's commands, run as a user runs them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from setup_helpers import ROOT, copy_checkout  # noqa: E402


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    if not (ROOT / ".venv" / "bin" / "python").exists():
        pytest.skip("no .venv in this checkout: run `./run test`, which makes it")
    return copy_checkout(tmp_path / "checkout", with_venv=True)
