"""`python -m etl official import` and the gaps between the news and the official figures (issue 12).

The files in tests/fixtures/official/ are synthetic (their README says so): one per layout, each with
country totals, rows that are not totals and broken rows."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_statements import doc, lines_extractor, load, rows  # noqa: F401 (a fixture)

from etl.official import detect_layout, import_files, read_file
from etl.store import connect_readonly, db_version, export_table

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "official"
COMTRADE, BAD_COMTRADE = FIXTURES / "comtrade_kaz_chn.csv", FIXTURES / "comtrade_bad_rows.csv"
WITS, PLAIN = FIXTURES / "wits_kgz.csv", FIXTURES / "plain_uzb_rus.csv"


def official(db: Path) -> list[tuple]:
    return [tuple(r.values()) for r in rows(db, "SELECT reporter, partner, flow, year, value_usd, layout "
                                                "FROM official_trade ORDER BY ALL")]


def test_each_layout_is_told_by_its_header():
    assert detect_layout(COMTRADE.read_text().splitlines()[0].split(",")) == "comtrade"
    assert detect_layout(WITS.read_text().splitlines()[0].split(",")) == "wits"
    assert detect_layout(["Value_USD", "year", "flow", "partner", "reporter"]) == "plain"
    assert detect_layout(["country", "value"]) is None


def test_comtrade_keeps_country_totals_only():
    r = read_file(str(COMTRADE))
    assert (r.layout, r.bad, r.error, r.not_totals) == ("comtrade", [], None, 4)  # a chapter, rail, the world, RX
    assert sorted((f.reporter, f.partner, f.flow, f.year, f.value_usd) for f in r.figures) == [
        ("CHN", "KAZ", "M", 2023, 16.6e9), ("CHN", "KAZ", "X", 2022, 16.3e9), ("CHN", "KAZ", "X", 2023, 24.5e9),
        ("KAZ", "CHN", "M", 2022, 10.6e9), ("KAZ", "CHN", "M", 2023, 16e9), ("KAZ", "CHN", "X", 2022, 13.2e9),
        ("KAZ", "CHN", "X", 2023, 15e9)]


def test_bad_rows_are_reported_with_file_and_line_and_skipped():
    assert read_file(str(BAD_COMTRADE)).bad == [f"{BAD_COMTRADE}:2: year 'twenty-one' is not a year",
                                                  f"{BAD_COMTRADE}:3: value 'n/a' is not a number"]
    assert read_file(str(PLAIN)).bad == [
        f"{PLAIN}:7: flow 'transit' is neither X (export) nor M (import)",
        f"{PLAIN}:8: reporter 'UZ' is not an ISO 3166-1 alpha-3 code",
        f"{PLAIN}:9: year 1850 is out of range (1900–2100)",
        f"{PLAIN}:10: UZB's exports to RUS in 2023 again, with another value (line 2 is kept)"]
    w = read_file(str(WITS))
    assert w.bad == [f"{WITS}:7: column 2022: value 'abc' is not a number",
                     f"{WITS}:8: partner 'Atlantis' is not a country this project knows (give ISO3 columns)"]
    assert w.not_totals == 3  # a product group, the world, a share
    # US$ thousand -> dollars; an empty or '..' cell is no figure
    assert sorted((f.partner, f.flow, f.year, f.value_usd) for f in w.figures)[:2] == [
        ("CHN", "X", 2022, 95e6), ("CHN", "X", 2023, 110e6)]


def test_a_file_that_is_no_statistics_is_reported(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("country,value\nKAZ,1\n")
    assert read_file(str(odd)).error.startswith(f"{odd}:1: unknown layout")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"reporter,partner,flow,year,value_usd\n\xff\xfe\x00")
    assert read_file(str(binary)).error == f"{binary}: not UTF-8 text"
    assert read_file(str(tmp_path / "missing.csv")).error.startswith(f"{tmp_path / 'missing.csv'}: cannot read it")


def test_import_stores_the_right_rows_and_a_second_import_doubles_nothing(tmp_path, db, capsys):
    files = [str(p) for p in (COMTRADE, BAD_COMTRADE, WITS, PLAIN)]
    assert import_files(files, str(db)) == 1  # bad rows were skipped
    err = capsys.readouterr().err
    assert "19 figures read: 19 new, 0 replaced, 0 unchanged; 8 rows not country totals; 8 skipped" in err
    assert f"{PLAIN}:8: reporter 'UZ' is not an ISO 3166-1 alpha-3 code" in err
    first = official(db)
    assert len(first) == 19
    assert ("KGZ", "RUS", "X", 2021, 450000500.0, "wits") in first and ("UZB", "RUS", "X", 2023, 2.9e9, "plain") in first
    version = db_version(db)
    copy = tmp_path / "copy of comtrade.csv"
    shutil.copy(COMTRADE, copy)
    assert import_files(files, str(db)) == 1
    assert "0 new, 0 replaced, 19 unchanged" in capsys.readouterr().err
    assert official(db) == first and db_version(db) == version  # nothing written, nothing published
    # the same figures from another file: the last file wins, nothing doubles
    assert import_files([str(copy)], str(db)) == 0
    assert "0 new, 7 replaced, 0 unchanged" in capsys.readouterr().err
    assert official(db) == first
    assert rows(db, "SELECT DISTINCT source_file FROM official_trade WHERE layout = 'comtrade'") == [{"source_file": str(copy)}]


def test_the_command_as_the_readme_shows_it(tmp_path, db):
    proc = subprocess.run([sys.executable, "-m", "etl", "official", "import", "tests/fixtures/official/comtrade_kaz_chn.csv",
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "7 figures read: 7 new" in proc.stderr and "comtrade layout" in proc.stderr
    rows_ = rows(db, "SELECT DISTINCT source_file, layout FROM official_trade")
    assert rows_ == [{"source_file": "tests/fixtures/official/comtrade_kaz_chn.csv", "layout": "comtrade"}]
    bad = subprocess.run([sys.executable, "-m", "etl", "official", "import", str(PLAIN), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and f"{PLAIN}:9: year 1850" in bad.stderr


def test_turnover_is_one_reporters_export_plus_import_and_the_mirror_is_kept(tmp_path, db):
    import_files([str(COMTRADE)], str(db))
    got = rows(db, "SELECT statistic, flow_from, year, reporter, value_usd FROM official_figures "
                   "WHERE country_a = 'CHN' AND country_b = 'KAZ' ORDER BY ALL")
    turnover = [(r["year"], r["reporter"], r["value_usd"]) for r in got if r["statistic"] == "turnover"]
    # CHN published only its exports for 2022: no turnover of CHN's for 2022
    assert turnover == [(2022, "KAZ", 23.8e9), (2023, "CHN", 41.1e9), (2023, "KAZ", 31e9)]
    kaz_exports_2023 = [(r["reporter"], r["value_usd"]) for r in got
                        if r["statistic"] == "flow" and r["flow_from"] == "KAZ" and r["year"] == 2023]
    assert kaz_exports_2023 == [("CHN", 16.6e9), ("KAZ", 15e9)]  # KAZ's export and CHN's import: the mirror


def test_annual_claims_get_their_gap_to_each_sides_report(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01",
                            {"value": 33.48e9, "period": "2023"},  # turnover: +8 % vs KAZ's 31, −19 % vs CHN's 41.1
                            {"value": 16.2e9, "period": "2023", "indicator": "export", "flow_from": "KAZ"},
                            {"value": 16.2e9, "period": "2023", "indicator": "import", "flow_from": "KAZ"},
                            {"value": 24e9, "period": "2022"},  # only KAZ reported both flows for 2022
                            {"value": 9e9, "period": "2023-Q2"},  # not annual: no gap
                            {"value": 30e9, "period": "2023", "modality": "target"},  # a target beside the figures too
                            {"value": 5.0, "period": "2023", "unit": "%", "kind": "change"})])  # not an amount
    import_files([str(COMTRADE)], str(db))
    got = {r["claim_id"].split(":")[1]: r for r in rows(db, "SELECT * FROM claim_gaps")}
    assert len(got) == 5
    by_value = {(r["official_year"], r["official_a_usd"], r["official_b_usd"]): r for r in got.values()}
    t = by_value[(2023, 41.1e9, 31e9)]  # CHN is country_a
    assert (t["gap_a_pct"], t["gap_b_pct"]) == (-18.5, 8.0)
    assert t["gap_note"] == "vs CHN's report: −19 %; vs KAZ's: +8 %"
    flows = [r for r in got.values() if r["official_a_usd"] == 16.6e9]
    assert len(flows) == 2 and {r["gap_b_pct"] for r in flows} == {8.0}  # export KAZ->CHN = import of CHN from KAZ
    only_kaz = by_value[(2022, None, 23.8e9)]
    assert only_kaz["gap_note"] == "vs KAZ's report: +1 %"


def test_the_claims_csv_carries_the_gap_columns(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 33.48e9, "period": "2023"}, {"value": 1e9, "period": None})])
    import_files([str(COMTRADE)], str(db))
    out = tmp_path / "claims.csv"
    assert export_table(db, "claims", "csv", out) == 2
    with out.open(encoding="utf-8") as f:
        got = sorted(csv.DictReader(f), key=lambda r: r["period"])
    assert {"official_year", "official_a_usd", "gap_a_pct", "official_b_usd", "gap_b_pct", "gap_note"} <= set(got[0])
    assert (got[0]["period"], got[0]["gap_note"]) == ("", "")
    assert (got[1]["official_year"], got[1]["gap_b_pct"], got[1]["gap_note"]) == (
        "2023", "8.0", "vs CHN's report: −19 %; vs KAZ's: +8 %")


@pytest.mark.parametrize("layout_file", [COMTRADE, WITS, PLAIN])
def test_every_layout_imports_into_a_new_store(tmp_path, layout_file):
    db = tmp_path / "new.duckdb"
    import_files([str(layout_file)], str(db))
    con = connect_readonly(db)
    try:
        assert con.execute("SELECT count(*) FROM official_trade").fetchone()[0] > 0
    finally:
        con.close()
