from __future__ import annotations

import pytest

from etl.lexicon import Lexicon, load


@pytest.fixture(scope="session")
def lex() -> Lexicon:
    return load()
