"""Fixtures of the dashboard tests: real DuckDB files built from etl/schema.sql and the gold claims.

The builder maps contract fields to the schema's columns itself (it does not use the store's ingest), so
these tests need nothing but the schema and the fixtures."""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.periods import period_bounds  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
APP = ROOT / "dashboard" / "app.py"
SCHEMA = (ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_docs() -> list[dict]:
    return read_jsonl(FIXTURES / "docs.jsonl") + read_jsonl(FIXTURES / "dev_docs.jsonl")


def gold_claims() -> list[dict]:
    return read_jsonl(FIXTURES / "seeds.jsonl") + read_jsonl(FIXTURES / "dev_claims.jsonl")


def claim_id(c: dict) -> str:
    return f"{c['doc_id']}:{c['span'][0]}-{c['span'][1]}:{c['indicator']}"


def build_db(path: Path, docs: list[dict], claims: list[dict], *, schema_only: bool = False) -> Path:
    """Write a store file with `docs` (contract documents) and `claims` (contract claims)."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        if schema_only:
            return path
        for d in docs:
            text = d["text"]
            published = d.get("published") or None
            con.execute(
                "INSERT INTO documents (doc_id, source, url, title, published, published_inferred, outlet_country, "
                "text, text_chars, content_sha256, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    d["id"], f"fixtures:{d['id']}", d.get("url") or None, d.get("title") or None,
                    date.fromisoformat(published) if published else None, False,
                    d.get("outlet_country") or None, text, len(text),
                    hashlib.sha256(text.encode("utf-8")).hexdigest(), datetime(2025, 1, 1),
                ],
            )
        for c in claims:
            a, b = sorted(c["countries"])
            start, end = period_bounds(c.get("period"))
            s0, s1 = c["sentence_span"]
            con.execute(
                "INSERT INTO claims (claim_id, doc_id, indicator, country_a, country_b, flow_from, value, value_max, "
                "unit, kind, comparator, modality, period, period_start, period_end, figure_text, span_start, span_end, "
                "sentence, sentence_start, sentence_end, extractor_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    claim_id(c), c["doc_id"], c["indicator"], a, b, c.get("flow_from"), float(c["value"]),
                    c.get("value_max"), c["unit"], c["kind"], c["comparator"], c["modality"], c.get("period"),
                    start, end, c["text"], c["span"][0], c["span"][1], c["sentence"], s0, s1, "gold",
                ],
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def db_bytes(path: Path) -> dict[str, list]:
    """The store's content, to check that nothing the dashboard does writes to it."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "claims": con.execute("SELECT * FROM claims ORDER BY claim_id").fetchall(),
            "documents": con.execute("SELECT doc_id, text, title, url FROM documents ORDER BY doc_id").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture(scope="session")
def gold_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gold documents and claims (43 articles, 116 figures). Tests must not modify it."""
    return build_db(tmp_path_factory.mktemp("gold") / "indicators.duckdb", gold_docs(), gold_claims())


@pytest.fixture
def make_db(tmp_path: Path):
    """Build a fresh store from given documents and claims (defaults: the gold ones)."""

    def make(docs: list[dict] | None = None, claims: list[dict] | None = None, **kw) -> Path:
        path = tmp_path / f"store{len(list(tmp_path.glob('*.duckdb')))}.duckdb"
        return build_db(path, gold_docs() if docs is None else docs, gold_claims() if claims is None else claims, **kw)

    return make


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch):
    """Point the dashboard at a database file (as `INDICATORS_DB` does for `streamlit run`)."""

    def use(path: Path) -> Path:
        monkeypatch.setenv("INDICATORS_DB", str(path))
        return path

    return use
