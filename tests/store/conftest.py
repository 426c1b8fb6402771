"""Fixtures of the store tests: real DuckDB files in tmp_path and the fake extractor."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import store_fakes  # noqa: E402


@pytest.fixture
def fake(monkeypatch):
    """The fake extractors in place of the real ones, for this test (and workers forked by it)."""
    import etl.events
    import etl.extract

    monkeypatch.setattr(etl.extract, "extract_document", store_fakes.fake_extract)
    monkeypatch.setattr(etl.events, "extract_events", store_fakes.fake_events)
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", store_fakes.VERSION)
    return store_fakes


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "indicators.duckdb"
