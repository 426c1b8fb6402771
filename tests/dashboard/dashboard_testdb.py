"""Real DuckDB store files for the dashboard tests, built from etl/schema.sql and contract records.

The builder maps contract fields to the schema's columns itself (it does not use the store's ingest), so
these tests need nothing but the schema and the gold fixtures: the gold claims and the gold diplomacy
events (tests/fixtures/events_*.jsonl), not what the extractors make of the documents."""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import search  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
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


def gold_events() -> list[dict]:
    return read_jsonl(FIXTURES / "events_seeds.jsonl") + read_jsonl(FIXTURES / "events_dev.jsonl")


def event_id(e: dict) -> str:
    """etl/store.py's id of an event (the gold has no two events on one span and type)."""
    return f"{e['doc_id']}:{e['span'][0]}-{e['span'][1]}:{e['type']}"


def claim_id(c: dict) -> str:
    return f"{c['doc_id']}:{c['span'][0]}-{c['span'][1]}:{c['indicator']}"


def build_db(path: Path, docs: list[dict], claims: list[dict], *, schema_only: bool = False,
             events: list[dict] | None = None) -> Path:
    """Write a store file with `docs` (contract documents), `claims` (contract claims) and `events`
    (contract events; those of documents not in `docs` are left out, as an ingest would never make them)."""
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
        doc_ids = {d["id"] for d in docs}
        for e in events or []:
            if e["doc_id"] not in doc_ids:
                continue
            a, b = sorted(e["countries"])
            start, end = period_bounds(e.get("date"))
            s0, s1 = e["sentence_span"]
            con.execute(
                "INSERT INTO events (event_id, doc_id, type, country_a, country_b, host, level, date, date_start, "
                "date_end, modality, count, event_text, span_start, span_end, sentence, sentence_start, sentence_end, "
                "extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    event_id(e), e["doc_id"], e["type"], a, b, e.get("host"), e["level"], e.get("date"), start, end,
                    e["modality"], e.get("count"), e["text"], e["span"][0], e["span"][1], e["sentence"], s0, s1,
                    "gold",
                ],
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


OFFICIAL = FIXTURES / "official"
OFFICIAL_FILES = ("comtrade_kaz_chn.csv", "wits_kgz.csv", "plain_uzb_rus.csv")  # one file of each layout


def import_official(path: Path) -> Path:
    """Import the official statistics fixtures into the store at `path` (as `python -m etl official
    import` does; their broken rows are reported and skipped)."""
    from etl.official import import_files

    import_files([str(OFFICIAL / f) for f in OFFICIAL_FILES], str(path))
    return path


def wits_kgz(partner: str, year: int) -> float:
    """KGZ's reported turnover with `partner` in `year` (US$) read straight from the WITS fixture, for the
    tests' expected values."""
    import csv

    names = {"RUS": "Russian Federation", "CHN": "China"}
    with (OFFICIAL / "wits_kgz.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Partner Name"] == names[partner]
                and r["Product Group"] == "All Products" and r["Trade Flow"] in ("Export", "Import")
                and "US$ Thousand" in r["Indicator"]]
    return sum(float(r[str(year)]) * 1000 for r in rows)


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


def host_of(url: str | None) -> str:
    if not url or "://" not in url:
        return ""
    host = url.split("://", 1)[1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def expected_ids(f: Filters) -> set[str]:
    """The gold claims that `f` selects, computed from the contract files, not from the store."""
    docs = {d["id"]: d for d in gold_docs()}
    out = set()
    for c in gold_claims():
        a, b = sorted(c["countries"])
        if f.country and f.country not in (a, b):
            continue
        if f.partners and (b if a == f.country else a) not in f.partners:
            continue
        if f.pairs and (a, b) not in f.pairs:
            continue
        if f.indicators and c["indicator"] not in f.indicators:
            continue
        if f.modalities and c["modality"] not in f.modalities:
            continue
        start, end = period_bounds(c["period"])
        if f.year_from is not None and (end is None or end < date(f.year_from, 1, 1)):
            continue
        if f.year_to is not None and (start is None or start > date(f.year_to, 12, 31)):
            continue
        if f.outlets and host_of(docs[c["doc_id"]].get("url")) not in f.outlets:
            continue
        if f.search and not all(search.matches(c["sentence"], tok) for tok in search.tokens(f.search)):
            continue
        out.add(claim_id(c))
    return out
