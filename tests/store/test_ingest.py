"""Ingest, reextract, export against real DuckDB files in tmp_path (in-process, fake extractor)."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from store_helpers import ROOT, article, claims_per_doc, write_jsonl

import etl.extract
from etl.ingest import ingest_paths, reextract_store
from etl.model import Claim, Document
from etl.readers import iter_documents
from etl.store import claim_rows, connect_readonly, db_version, export_claims


def corpus(folder: Path, n: int = 6, start: int = 0) -> Path:
    """n documents with 0..3 figures each, as one JSONL file."""
    docs = [
        {"id": f"doc-{i}", "text": article(f"doc-{i}", [i + k for k in range(i % 4)]), "published": "2024-03-0" + str(1 + i % 9),
         "title": f"Заголовок {i}", "url": f"https://example.kg/{i}", "outlet_country": "KGZ"}
        for i in range(start, start + n)
    ]
    return write_jsonl(folder / "docs.jsonl", docs)


def counts(db: Path) -> tuple[int, int]:
    con = connect_readonly(db)
    try:
        return con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims)").fetchone()
    finally:
        con.close()


def test_ingest_loads_documents_and_claims_with_plain_columns(tmp_path, db, fake):
    src = corpus(tmp_path / "in")
    report = ingest_paths([src], db, quiet=True)
    assert (report.read, report.new, report.unchanged, report.skipped) == (6, 6, 0, [])
    expected = sum(fake.expected_claims(json.loads(line)["text"]) for line in src.open(encoding="utf-8"))
    assert report.claims_added == expected == counts(db)[1] > 0
    con = connect_readonly(db)
    row = con.execute(
        "SELECT claim_id, doc_id, country_a, country_b, value, unit, period, period_start, period_end, "
        "figure_text, span_start, span_end, sentence, extractor_version, doc_title, doc_published, "
        "outlet_country, doc_url, doc_source, pair FROM claims_with_source WHERE doc_id = 'doc-2' ORDER BY span_start"
    ).fetchall()
    con.close()
    assert len(row) == 2
    first = row[0]
    text = article("doc-2", [2, 3])
    assert first[0] == f"doc-2:{first[10]}-{first[11]}:trade_turnover"
    assert first[1:10] == ("doc-2", "KGZ", "RUS", 2e9, "USD", "2023-Q2", date(2023, 4, 1), date(2023, 6, 30), "2 млрд")
    assert text[first[10] : first[11]] == "2 млрд"
    assert first[12] == "Товарооборот между Кыргызстаном и Россией составил 2 млрд долларов."
    assert first[13:] == ("fake-1", "Заголовок 2", date(2024, 3, 3), "KGZ", "https://example.kg/2", f"{src}:3", "KGZ–RUS")


def test_second_ingest_adds_nothing_and_publishes_nothing(tmp_path, db, fake):
    src = corpus(tmp_path / "in")
    ingest_paths([src], db, quiet=True)
    before, version = counts(db), db_version(db)
    again = ingest_paths([src], db, quiet=True)
    assert (again.new, again.replaced, again.unchanged, again.claims_added) == (0, 0, 6, 0)
    assert counts(db) == before
    assert db_version(db) == version  # readers' caches stay valid
    assert sorted(p.name for p in db.parent.iterdir()) == ["indicators.duckdb", "indicators.duckdb.lock"]


def test_claims_equal_what_the_extractor_finds_in_the_bundled_corpus(db):
    # The real extractor, whatever its state: the store neither loses nor invents claims.
    samples = ROOT / "data" / "samples"
    docs = list(iter_documents([samples], lambda p: pytest.fail(str(p))))
    expected = sum(len(etl.extract.extract_document(d.document)) for d in docs)
    report = ingest_paths([samples], db, quiet=True)
    assert report.skipped == [] and report.new == len(docs) == 43
    assert counts(db) == (43, expected) and report.claims_added == expected
    assert ingest_paths([samples], db, quiet=True).claims_added == 0


def test_a_changed_file_replaces_its_claims(tmp_path, db, fake):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kg-ru.txt").write_text(article("kg-ru", [1, 2, 3]), encoding="utf-8")
    (folder / "kg-kz.txt").write_text(article("kg-kz", [9]), encoding="utf-8")
    ingest_paths([folder], db, quiet=True)
    con = connect_readonly(db)
    kz_ids = con.execute("SELECT claim_id FROM claims WHERE doc_id = 'kg-kz'").fetchall()
    con.close()
    (folder / "kg-ru.txt").write_text(article("kg-ru", [7, 8]), encoding="utf-8")
    report = ingest_paths([folder], db, quiet=True)
    assert (report.new, report.replaced, report.unchanged) == (0, 1, 1)
    assert (report.claims_added, report.claims_removed) == (2, 3)
    con = connect_readonly(db)
    values = con.execute("SELECT value FROM claims WHERE doc_id = 'kg-ru' ORDER BY value").fetchall()
    assert values == [(7e9,), (8e9,)]
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    assert con.execute("SELECT claim_id FROM claims WHERE doc_id = 'kg-kz'").fetchall() == kz_ids
    con.close()


def test_reextract_refreshes_claims_of_an_older_extractor(tmp_path, db, fake, monkeypatch):
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", "old")
    ingest_paths([corpus(tmp_path / "in", n=5), corpus(tmp_path / "in2", n=3, start=5)], db, quiet=True)
    con = connect_readonly(db)
    ingested_at = dict(con.execute("SELECT doc_id, ingested_at FROM documents").fetchall())
    con.close()
    # a newer extractor that finds one claim fewer in every document that has any
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", "new")
    monkeypatch.setattr(etl.extract, "extract_document", lambda d: fake.fake_extract(d)[1:])
    report = reextract_store(db, quiet=True)
    assert (report.read, report.new, report.skipped) == (8, 8, [])
    con = connect_readonly(db)
    assert con.execute("SELECT DISTINCT extractor_version FROM claims").fetchall() == [("new",)]
    assert con.execute("SELECT DISTINCT extractor_version FROM documents").fetchall() == [("new",)]
    stored = claims_per_doc(con)
    assert all(n == max(expected - 1, 0) for n, expected in stored.values()) and len(stored) == 8
    assert dict(con.execute("SELECT doc_id, ingested_at FROM documents").fetchall()) == ingested_at
    con.close()
    assert reextract_store(db, quiet=True).read == 0  # nothing left to refresh
    assert reextract_store(db, quiet=True, everything=True).read == 8


def test_ingest_notes_documents_extracted_by_another_version(tmp_path, db, fake, monkeypatch):
    src = corpus(tmp_path / "in", n=2)
    ingest_paths([src], db, quiet=True)
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", "newer")
    report = ingest_paths([src], db, quiet=True)
    assert report.unchanged == 2 and report.older_extractions == 2
    assert "`./run etl reextract`" in report.summary()


def test_workers_give_the_same_store_as_one_process(tmp_path, fake):
    folder = tmp_path / "in"
    corpus(folder, n=150)
    for i in range(5):
        (folder / f"t{i}.txt").write_text(article(f"t{i}", [i, i + 1]), encoding="utf-8")
    (folder / "bad.bin").write_bytes(b"\x00")
    one = ingest_paths([folder], tmp_path / "one.duckdb", quiet=True, workers=1)
    two = ingest_paths([folder], tmp_path / "two.duckdb", quiet=True, workers=2)
    assert (one.new, one.claims_added, [str(p) for p in one.skipped]) == (two.new, two.claims_added, [str(p) for p in two.skipped])
    query = "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id"
    cq = "SELECT * FROM claims ORDER BY claim_id"
    a, b = connect_readonly(tmp_path / "one.duckdb"), connect_readonly(tmp_path / "two.duckdb")
    assert a.execute(query).fetchall() == b.execute(query).fetchall()
    assert a.execute(cq).fetchall() == b.execute(cq).fetchall()
    assert len(a.execute(cq).fetchall()) == one.claims_added > 200


def test_extractor_failures_skip_only_their_document(tmp_path, db, fake):
    src = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "ok", "text": article("ok", [1])},
        {"id": "boom", "text": "RAISE-IN-EXTRACTOR " + article("boom", [2])},
        {"id": "ok2", "text": article("ok2", [3, 4])},
    ])
    report = ingest_paths([src], db, quiet=True)
    assert report.new == 2 and report.claims_added == 3
    assert [str(p) for p in report.skipped] == [f"{src}:2: extractor failed on 'boom': RuntimeError: boom"]


def test_invalid_extractor_output_is_rejected_whole(tmp_path, db, fake, monkeypatch):
    def one_bad(doc):
        claims = fake.fake_extract(doc)
        if doc.id == "bad":
            claims[-1].countries = ["KGZ"]  # the contract wants exactly two sides
        return claims

    monkeypatch.setattr(etl.extract, "extract_document", one_bad)
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": "bad", "text": article("bad", [1, 2])}, {"id": "good", "text": article("good", [5])}])
    report = ingest_paths([src], db, quiet=True)
    assert report.new == 1 and "rejected" in report.skipped[0].message and report.skipped[0].line == 1
    assert counts(db) == (1, 1)  # not half of "bad"


def test_claim_ids_are_stable_and_distinct_on_a_shared_span():
    doc = Document(id="d", text="15 млрд")
    base = dict(doc_id="d", indicator="aid", flow_from=None, value=1.0, value_max=None, unit="USD", kind="level",
                comparator="eq", modality="actual", period="2020/2021-06", text="15 млрд", span=[0, 7], sentence="15 млрд",
                sentence_span=[0, 7])
    rows = claim_rows(doc, [Claim(countries=["RUS", "KGZ"], **base), Claim(countries=["KAZ", "RUS"], **base)], "v")
    assert [r["claim_id"] for r in rows] == ["d:0-7:aid", "d:0-7:aid:2"]
    assert [(r["country_a"], r["country_b"]) for r in rows] == [("KGZ", "RUS"), ("KAZ", "RUS")]
    assert (rows[0]["period_start"], rows[0]["period_end"]) == (date(2020, 1, 1), date(2021, 6, 30))


def test_published_is_inferred_when_missing(tmp_path, db, fake, monkeypatch):
    import etl.periods

    monkeypatch.setattr(etl.periods, "infer_published", lambda text, url: "2021-03-09" if "09.03.2021" in text else None, raising=False)
    src = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "dated", "text": "09.03.2021 10:30\n" + article("a", [1])},
        {"id": "undated", "text": article("b", [1])},
        {"id": "given", "text": "09.03.2021\n" + article("c", [1]), "published": "2020-01-02"},
    ])
    ingest_paths([src], db, quiet=True)
    con = connect_readonly(db)
    rows = con.execute("SELECT doc_id, published, published_inferred FROM documents ORDER BY doc_id").fetchall()
    con.close()
    assert rows == [("dated", date(2021, 3, 9), True), ("given", date(2020, 1, 2), False), ("undated", None, False)]


def test_a_50_mb_text_is_loaded(tmp_path, db, fake):
    filler = ("Обычный текст без цифр о погоде и культуре, абзац за абзацем. " * 8 + "\n").encode("utf-8")
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.write(article("big", [5]).encode("utf-8"))
        f.write(filler * (50 * 1024 * 1024 // len(filler) + 1))
        f.write(article("big", [6]).encode("utf-8"))
    report = ingest_paths([path], db, quiet=True)
    assert report.new == 1 and report.skipped == []
    con = connect_readonly(db)
    chars, values = con.execute("SELECT text_chars, (SELECT list(value ORDER BY value) FROM claims) FROM documents").fetchone()
    con.close()
    assert chars == len(path.read_text(encoding="utf-8")) and values == [5e9, 6e9]


def test_export_csv_and_parquet_round_trip(tmp_path, db, fake):
    ingest_paths([corpus(tmp_path / "in", n=8)], db, quiet=True)
    con = connect_readonly(db)
    want = con.execute("SELECT claim_id, doc_id, value, period_start, sentence, doc_title FROM claims_with_source ORDER BY claim_id").fetchall()
    # every column of claims_with_source, then the gaps to the official figures (empty here)
    columns = [d[0] for d in con.execute("SELECT * FROM claims_with_source LIMIT 0").description] + [
        "official_year", "official_a_usd", "gap_a_pct", "official_b_usd", "gap_b_pct", "gap_note"]
    con.close()
    assert len(want) > 5
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"claims.{fmt}"
        assert export_claims(db, fmt, out) == len(want)
        mem = duckdb.connect()
        reader = "read_csv" if fmt == "csv" else "read_parquet"
        got = mem.execute(
            f"SELECT claim_id, doc_id, value, period_start, sentence, doc_title FROM {reader}(?) ORDER BY claim_id", [str(out)]
        ).fetchall()
        assert got == want
        assert [d[0] for d in mem.execute(f"SELECT * FROM {reader}(?) LIMIT 0", [str(out)]).description] == columns
    with (tmp_path / "claims.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f))[0] == "claim_id"


def test_connect_readonly_cannot_write_and_needs_a_database(tmp_path, db, fake):
    with pytest.raises(FileNotFoundError):
        connect_readonly(db)
    with pytest.raises(FileNotFoundError):
        db_version(db)
    ingest_paths([corpus(tmp_path / "in", n=1)], db, quiet=True)
    con = connect_readonly(db)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM claims")
    con.close()


def test_a_reader_keeps_its_snapshot_and_a_new_one_sees_the_new_data(tmp_path, db, fake):
    ingest_paths([corpus(tmp_path / "a", n=2)], db, quiet=True)
    old, v1 = connect_readonly(db), db_version(db)
    ingest_paths([corpus(tmp_path / "b", n=3, start=2)], db, quiet=True)
    new = connect_readonly(db)  # while `old` is still open: must not be handed the old instance
    assert db_version(db) != v1
    assert old.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    assert new.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    old.close()
    new.close()


def test_cursors_of_a_readonly_connection_see_the_store(tmp_path, db, fake):
    # The dashboard queries through con.cursor(): a new connection to the same in-memory instance.
    ingest_paths([corpus(tmp_path / "in", n=4)], db, quiet=True)
    con = connect_readonly(db)
    with con.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM claims_with_source").fetchone() == con.execute(
            "SELECT count(*) FROM claims"
        ).fetchone()
        assert cur.execute("SELECT count(*) FROM documents").fetchone() == (4,)
    con.close()


def test_a_run_that_loads_nothing_creates_no_database(tmp_path, db, fake):
    (tmp_path / "empty.txt").write_bytes(b"")
    report = ingest_paths([tmp_path / "empty.txt"], db, quiet=True)
    assert report.new == 0 and len(report.skipped) == 1
    assert not db.exists()


def test_changes_written_straight_into_the_published_file_are_kept(tmp_path, db, fake):
    # Someone bypassed the store and died before checkpointing: their changes live in <db>.wal.
    ingest_paths([corpus(tmp_path / "a", n=2)], db, quiet=True)
    script = (
        "import duckdb, os; c = duckdb.connect(r'%s'); c.execute(\"SET checkpoint_threshold = '1GB'\");"
        "c.execute(\"UPDATE documents SET title = 'edited by hand' WHERE doc_id = 'doc-0'\"); os._exit(0)" % db
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    wal = Path(str(db) + ".wal")
    assert wal.exists() and wal.stat().st_size > 0
    ingest_paths([corpus(tmp_path / "b", n=2, start=2)], db, quiet=True)
    assert not wal.exists()
    con = connect_readonly(db)
    assert con.execute("SELECT count(*), max(CASE WHEN doc_id = 'doc-0' THEN title END) FROM documents").fetchone() == (4, "edited by hand")
    con.close()


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_unless_quiet(tmp_path, db, fake, monkeypatch, capsys, quiet):
    monkeypatch.setattr("etl.ingest.PROGRESS_DELAY_S", 0.0)  # as if the run were long
    ingest_paths([corpus(tmp_path / "in", n=3)], db, quiet=quiet)
    err = capsys.readouterr().err
    assert ("3/?" in err or "3 docs" in err) != quiet, err


def test_a_store_made_by_an_older_schema_is_migrated(tmp_path, db, fake):
    ingest_paths([corpus(tmp_path / "a", n=2)], db, quiet=True)
    con = duckdb.connect(str(db))  # the file as the project skeleton's schema.sql made it
    con.execute("DROP TABLE store_meta")
    con.execute("ALTER TABLE documents DROP COLUMN extractor_version")
    con.close()
    version = db_version(db)
    report = ingest_paths([corpus(tmp_path / "a", n=2)], db, quiet=True)
    assert report.unchanged == 2 and db_version(db) != version  # the migration alone is published
    con = connect_readonly(db)
    assert con.execute("SELECT count(*) FROM documents WHERE extractor_version IS NULL").fetchone() == (2,)
    con.close()
    assert reextract_store(db, quiet=True).new == 2  # documents of an unknown extractor are refreshed
