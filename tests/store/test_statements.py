"""Statement groups, conflicts and the consolidated series, on real DuckDB files (issue 12).

The extractor is replaced by one that reads each claim from a line `CLAIM {json}` of the text, so every
test states exactly the figures, periods and modalities it needs; documents carry their outlet in `url`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import write_jsonl

import etl.extract
from etl.ingest import ingest_paths, reextract_store
from etl.model import Claim, Document
from etl.store import connect_readonly

VERSION = "claim-lines-1"
BASE = {"indicator": "trade_turnover", "countries": ["KAZ", "CHN"], "flow_from": None, "unit": "USD",
        "kind": "level", "comparator": "eq", "modality": "actual", "period": "2023"}


def claim_lines(doc: Document) -> list[Claim]:
    claims = []
    pos = 0
    for line in doc.text.splitlines(keepends=True):
        if line.startswith("CLAIM "):
            spec = {**BASE, **json.loads(line[6:])}
            start = pos + 6
            claims.append(Claim(doc_id=doc.id, value=float(spec.pop("value")), value_max=None,
                                text=line[6:].strip(), span=[start, start + len(line[6:].strip())],
                                sentence=line.strip(), sentence_span=[pos, pos + len(line.strip())], **spec))
        pos += len(line)
    return claims


@pytest.fixture
def lines_extractor(monkeypatch):
    monkeypatch.setattr(etl.extract, "extract_document", claim_lines)
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", VERSION)


def doc(doc_id: str, outlet: str | None, published: str | None, *claims: dict) -> dict:
    text = f"Документ {doc_id}.\n" + "".join("CLAIM " + json.dumps(c) + "\n" for c in claims)
    d = {"id": doc_id, "text": text, "published": published}
    if outlet:
        d["url"] = f"https://www.{outlet}/news/{doc_id}"
    return d


def load(tmp_path: Path, db: Path, docs: list[dict], name: str = "docs.jsonl"):
    return ingest_paths([write_jsonl(tmp_path / "in" / name, docs)], db, quiet=True)


def rows(db: Path, sql: str, params: list | None = None) -> list[dict]:
    con = connect_readonly(db)
    try:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()


def groups(db: Path) -> list[dict]:
    return rows(db, "SELECT * EXCLUDE (group_id) FROM statement_groups ORDER BY group_key, value")


def test_two_outlets_stating_one_figure_make_one_group_with_two_outlets(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "24.kg", "2024-02-01", {"value": 3e9}),
                        doc("b", "akipress.org", "2024-02-03", {"value": 3.02e9})])  # 0.7 % apart
    (g,) = rows(db, "SELECT * FROM statement_groups")
    assert (g["n_claims"], g["n_outlets"], g["n_documents"]) == (2, 2, 2)
    assert g["outlets"] == ["24.kg", "akipress.org"] and g["doc_ids"] == ["a", "b"]
    assert g["claim_ids"] == sorted(g["claim_ids"]) and len(g["claim_ids"]) == 2
    assert (g["value_low"], g["value_high"]) == (3e9, 3.02e9) and g["value"] in (3e9, 3.02e9)
    assert (str(g["first_published"]), str(g["last_published"])) == ("2024-02-01", "2024-02-03")
    assert (g["country_a"], g["country_b"], g["period"], g["modality"]) == ("CHN", "KAZ", "2023", "actual")
    assert rows(db, "SELECT * FROM statement_conflicts") == []


def test_one_outlet_twice_is_one_outlet_and_a_document_without_url_is_its_own(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "24.kg", "2024-02-01", {"value": 3e9}),
                        doc("b", "24.kg", "2024-02-02", {"value": 3e9}),
                        doc("c", None, "2024-02-02", {"value": 3e9})])
    (g,) = rows(db, "SELECT * FROM statement_groups")
    assert (g["n_claims"], g["n_outlets"], g["n_documents"]) == (3, 2, 3)
    assert g["outlets"] == ["24.kg", "document c"]


def test_a_figure_5_percent_off_is_a_conflict_naming_both_sides(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "24.kg", "2024-02-01", {"value": 3e9}),
                        doc("b", "akipress.org", "2024-02-03", {"value": 3e9}),
                        doc("c", "kabar.kg", "2024-02-05", {"value": 3.15e9})])
    assert [g["n_claims"] for g in groups(db)] == [2, 1]
    (c,) = rows(db, "SELECT * FROM statement_conflicts")
    assert (c["value_a"], c["value_b"]) == (3e9, 3.15e9)
    assert c["outlets_a"] == ["24.kg", "akipress.org"] and c["outlets_b"] == ["kabar.kg"]
    assert c["doc_ids_a"] == ["a", "b"] and c["doc_ids_b"] == ["c"]
    assert c["difference_pct"] == pytest.approx(4.76, abs=0.01)


def test_what_is_not_a_conflict(tmp_path, db, lines_extractor):
    load(tmp_path, db, [
        doc("a", "24.kg", "2024-02-01", {"value": 3e9}, {"value": 5e9, "modality": "target"},
            {"value": 1e9, "period": None}),
        doc("b", "akipress.org", "2024-02-03", {"value": 3.05e9},  # 1.6 %: two groups, no conflict
            {"value": 7e9, "modality": "target"},  # targets differ: not a conflict
            {"value": 2e9, "period": None},  # no period: not a conflict
            {"value": 9e9, "period": "2022"}),  # another period
    ])
    assert len(groups(db)) == 7
    assert rows(db, "SELECT * FROM statement_conflicts") == []


def test_groups_chain_values_each_within_1_percent_of_the_previous(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 100.0}, {"value": 100.9, "unit": "%", "kind": "change"}),
                        doc("b", "b.kz", "2024-02-01", {"value": 100.9}, {"value": 100.0, "unit": "%", "kind": "change"}),
                        doc("c", "c.kz", "2024-02-01", {"value": 102.5})])
    assert [(g["unit"], g["n_claims"], g["value_low"], g["value_high"]) for g in groups(db)] == [
        ("%", 2, 100.0, 100.9), ("USD", 2, 100.0, 100.9), ("USD", 1, 102.5, 102.5)]


def test_a_claim_without_period_groups_by_publication_month(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9, "period": None}),
                        doc("b", "b.kz", "2024-02-28", {"value": 3e9, "period": None}),
                        doc("c", "c.kz", "2024-03-01", {"value": 3e9, "period": None})])
    assert [(g["period"], g["period_key"], g["n_claims"]) for g in groups(db)] == [
        (None, "published:2024-02", 2), (None, "published:2024-03", 1)]


def test_flows_of_opposite_directions_never_group(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9, "indicator": "export", "flow_from": "KAZ"}),
                        doc("b", "b.kz", "2024-02-01", {"value": 3e9, "indicator": "export", "flow_from": "CHN"})])
    assert [g["flow_from"] for g in groups(db)] == ["CHN", "KAZ"]


def test_reingest_and_reextract_change_nothing_and_a_replaced_document_moves_its_groups(tmp_path, db, lines_extractor):
    docs = [doc("a", "24.kg", "2024-02-01", {"value": 3e9}), doc("b", "akipress.org", "2024-02-03", {"value": 3e9}),
            doc("c", "kabar.kg", "2024-02-05", {"value": 3.3e9}, {"value": 1e6, "unit": "t", "period": None})]
    load(tmp_path, db, docs)
    before = rows(db, "SELECT * FROM statement_groups ORDER BY group_id")
    load(tmp_path, db, docs)
    assert rows(db, "SELECT * FROM statement_groups ORDER BY group_id") == before
    reextract_store(db, everything=True, quiet=True)
    assert rows(db, "SELECT * FROM statement_groups ORDER BY group_id") == before
    # c now states what a and b state: one group of three, the conflict gone
    docs[2] = doc("c", "kabar.kg", "2024-03-05", {"value": 3e9}, {"value": 1e6, "unit": "t", "period": None})
    load(tmp_path, db, docs)
    assert [(g["unit"], g["period_key"], g["n_claims"]) for g in groups(db)] == [
        ("USD", "2023", 3), ("t", "published:2024-03", 1)]
    assert rows(db, "SELECT * FROM statement_conflicts") == []


def test_groups_equal_a_full_rebuild_after_many_batches(tmp_path, db, lines_extractor, monkeypatch):
    import etl.ingest
    from etl.store import StoreWriter, refresh_groups

    monkeypatch.setattr(etl.ingest, "BATCH_DOCS", 3)
    docs = [doc(f"d{i}", f"o{i % 4}.kz", f"2024-0{1 + i % 3}-01", {"value": 1e9 * (1 + (i % 5) / 100)},
                {"value": 5e8, "period": None, "indicator": "export", "flow_from": "KAZ"})
            for i in range(20)]
    load(tmp_path, db, docs)
    load(tmp_path, db, [doc("d7", "o9.kz", "2024-03-03", {"value": 2e9})], name="more.jsonl")
    incremental = groups(db)
    with StoreWriter(db) as w:
        con = w.connection()
        con.execute("BEGIN TRANSACTION")
        refresh_groups(con, None)
        con.execute("COMMIT")
    assert groups(db) == incremental


def series(db: Path) -> list[dict]:
    return rows(db, "SELECT * FROM consolidated_series ORDER BY series_key")


def test_series_prefers_an_annual_figure_over_a_partial_year_one(tmp_path, db, lines_extractor):
    # 2023 «с начала года», said in November by two outlets, against the whole year said in February by one
    load(tmp_path, db, [doc("a", "a.kz", "2023-11-01", {"value": 2.5e9}), doc("b", "b.kz", "2023-11-02", {"value": 2.5e9}),
                        doc("c", "c.kz", "2024-02-01", {"value": 3e9})])
    (s,) = series(db)
    assert (s["value"], s["rule"], s["period_complete"], s["n_groups"]) == (3e9, "annual over partial-year", True, 2)
    assert [o["value"] for o in s["overridden"]] == [2.5e9]
    assert s["overridden"][0]["outlets"] == ["a.kz", "b.kz"]


def test_series_takes_the_value_of_the_most_outlets(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9}), doc("b", "b.kz", "2024-02-02", {"value": 3e9}),
                        doc("c", "c.kz", "2024-03-01", {"value": 3.3e9}), doc("d", "c.kz", "2024-03-02", {"value": 3.3e9}),
                        doc("e", "c.kz", "2024-03-03", {"value": 3.3e9})])
    (s,) = series(db)
    assert (s["value"], s["rule"], s["n_outlets"], s["n_claims"]) == (3e9, "most outlets", 2, 2)
    assert s["outlets"] == ["a.kz", "b.kz"] and s["doc_ids"] == ["a", "b"]
    assert [(o["value"], o["outlets"]) for o in s["overridden"]] == [(3.3e9, ["c.kz"])]


def test_series_ties_go_to_the_most_recent_publication(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9}), doc("b", "b.kz", "2024-05-01", {"value": 3.3e9})])
    (s,) = series(db)
    assert (s["value"], s["rule"], str(s["last_published"])) == (3.3e9, "most recent publication", "2024-05-01")


def test_series_of_one_group_and_what_it_leaves_out(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9}, {"value": 9e9, "modality": "target"},
                            {"value": 4e9, "period": None}, {"value": 1.2e9, "period": "2022"})])
    assert [(s["period"], s["value"], s["rule"], s["overridden"]) for s in series(db)] == [
        ("2022", 1.2e9, "only group", []), ("2023", 3e9, "only group", [])]


def test_a_store_made_before_groups_gets_them_on_its_next_write(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9})])
    import duckdb

    con = duckdb.connect(str(db))  # as an older schema.sql left it
    con.execute("DROP VIEW consolidated_series; DROP VIEW statement_conflicts; DROP TABLE statement_groups; "
                "UPDATE store_meta SET value = 'old'")
    con.close()
    load(tmp_path, db, [doc("b", "b.kz", "2024-02-01", {"value": 3e9})], name="b.jsonl")
    (g,) = rows(db, "SELECT * FROM statement_groups")
    assert g["doc_ids"] == ["a", "b"]


def test_export_series_writes_the_choice_with_its_provenance(tmp_path, db, lines_extractor):
    import csv
    import subprocess
    import sys

    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 3e9}), doc("b", "b.kz", "2024-02-02", {"value": 3e9}),
                        doc("c", "c.kz", "2024-03-01", {"value": 3.3e9}), doc("d", "=evil.kz", "2024-03-01", {"value": 1e9, "period": "2022"})])
    from etl.store import export_table

    out = tmp_path / "series.csv"
    assert export_table(db, "series", "csv", out) == 2
    with out.open(encoding="utf-8") as f:
        got = list(csv.DictReader(f))
    assert [(r["period"], float(r["value"]), r["rule"], r["outlets"]) for r in got] == [
        ("2022", 1e9, "only group", "'=evil.kz"), ("2023", 3e9, "most outlets", "a.kz; b.kz")]  # a formula neutralised
    assert json.loads(got[1]["overridden"])[0]["outlets"] == ["c.kz"]
    assert got[1]["doc_ids"] == "a; b" and got[1]["group_id"] and got[1]["n_outlets"] == "2"
    jl = tmp_path / "series.jsonl"
    assert export_table(db, "series", "jsonl", jl) == 2
    records = [json.loads(line) for line in jl.read_text(encoding="utf-8").splitlines()]
    assert records[1]["outlets"] == ["a.kz", "b.kz"] and records[1]["overridden"][0]["value"] == 3.3e9
    # the command, as the README shows it (the store's own file is refused as output)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "etl", "export", "--what", "series", "--db", str(db), "--output", "-"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.splitlines()[0].startswith("series_key,") and "2 series rows" in proc.stderr
    for what in ("groups", "conflicts"):
        assert export_table(db, what, "csv", tmp_path / f"{what}.csv") == (3 if what == "groups" else 1)
