"""Fixtures of the dashboard tests: store files in tmp_path, and the app pointed at them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # pytest runs in importlib mode: make the helpers importable
    sys.path.insert(0, str(HERE))

from dashboard_testdb import build_db, gold_claims, gold_docs, gold_events  # noqa: E402


@pytest.fixture(scope="session")
def gold_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gold documents, claims and events (43 articles, 116 figures, 59 events). Tests must not modify it."""
    return build_db(tmp_path_factory.mktemp("gold") / "indicators.duckdb", gold_docs(), gold_claims(),
                    events=gold_events())


@pytest.fixture
def make_db(tmp_path: Path):
    """Build a fresh store from given documents, claims and events (defaults: the gold ones; the gold
    events only with the gold documents)."""

    def make(docs: list[dict] | None = None, claims: list[dict] | None = None, **kw) -> Path:
        path = tmp_path / f"store{len(list(tmp_path.glob('*.duckdb')))}.duckdb"
        if docs is None:
            kw.setdefault("events", gold_events())
        return build_db(path, gold_docs() if docs is None else docs, gold_claims() if claims is None else claims, **kw)

    return make


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch):
    """Point the dashboard at a database file (as `INDICATORS_DB` does for `streamlit run`)."""

    def use(path: Path) -> Path:
        monkeypatch.setenv("INDICATORS_DB", str(path))
        return path

    return use
