"""Diplomacy events in the store: ingest, reextract and export them with the claims, against real
DuckDB files in tmp_path (the real extractors on the bundled corpus, the fakes of store_fakes elsewhere)."""
from __future__ import annotations

import csv
import json
from datetime import date

import duckdb
import pytest
from store_helpers import ROOT, article, claims_per_doc, run_etl, write_jsonl

import etl.events
import etl.extract
from etl.events import Event
from etl.ingest import ingest_paths, reextract_store
from etl.model import Document
from etl.readers import iter_documents
from etl.store import InvalidEvent, StoreWriter, connect_readonly, event_rows, export_events

SAMPLES = ROOT / "data" / "samples"


def visit_article(doc_id: str, years: list[int], figures: list[int] = ()) -> str:
    """A text with one visit per year (fake_events finds each) and one claim per figure (fake_extract)."""
    lines = [f"Документ {doc_id}."]
    lines += [f"В {y} году президент Кыргызстана совершил визит в Москву." for y in years]
    return "\n".join(lines) + "\n" + article(doc_id, list(figures)).split("\n", 1)[1]


def events_per_doc(con) -> dict[str, tuple[int, int]]:
    """doc_id -> (events stored, events the fake finds in its text) for every stored document."""
    rows = con.execute(
        "SELECT d.doc_id, d.text, count(e.event_id) FROM documents d LEFT JOIN events e USING (doc_id) GROUP BY ALL"
    ).fetchall()
    return {doc_id: (n, text.count("визит")) for doc_id, text, n in rows}


def test_bundled_corpus_events_are_stored_with_their_sentence_and_document(db):
    # The real extractors: the store holds exactly what etl.events finds, each event tied to its text.
    docs = [d.document for d in iter_documents([SAMPLES], lambda p: pytest.fail(str(p)))]
    expected = {d.id: etl.events.extract_events(d) for d in docs}
    report = ingest_paths([SAMPLES], db, quiet=True)
    n = sum(map(len, expected.values()))
    assert report.skipped == [] and report.events_added == n > 20
    assert f"{n} events added, 0 removed" in report.summary()
    con = connect_readonly(db)
    rows = con.execute(
        "SELECT e.*, d.text AS doc_text FROM events_with_source e JOIN documents d USING (doc_id) ORDER BY event_id"
    ).fetchall()
    names = [c[0] for c in con.description]
    version = con.execute("SELECT DISTINCT extractor_version FROM documents").fetchall()
    con.close()
    assert len(rows) == n and version == [(etl.extract.EXTRACTOR_VERSION,)]
    for row in map(lambda r: dict(zip(names, r)), rows):
        text = row["doc_text"]
        assert text[row["span_start"]:row["span_end"]] == row["event_text"]
        assert text[row["sentence_start"]:row["sentence_end"]] == row["sentence"]
        assert row["sentence_start"] <= row["span_start"] < row["span_end"] <= row["sentence_end"]
        assert row["country_a"] < row["country_b"] and row["pair"] == f"{row['country_a']}–{row['country_b']}"
        assert row["extractor_version"] == etl.extract.EXTRACTOR_VERSION
        assert row["event_id"].startswith(f"{row['doc_id']}:{row['span_start']}-{row['span_end']}:{row['type']}")
        assert set(json.loads(row["trace"])) >= {"type", "countries", "level", "modality"}
        if row["date"]:
            assert row["date_start"] is not None and row["date_start"] <= row["date_end"]
        # every contract field, as the extractor gave it
        want = next(e for e in expected[row["doc_id"]] if e.span == [row["span_start"], row["span_end"]]
                    and e.type == row["type"] and sorted(e.countries) == [row["country_a"], row["country_b"]])
        assert (want.host, want.level, want.date, want.modality, want.count, want.sentence) == (
            row["host"], row["level"], row["date"], row["modality"], row["count"], row["sentence"])
    assert ingest_paths([SAMPLES], db, quiet=True).events_added == 0  # unchanged documents keep theirs


def test_events_and_claims_come_with_their_document_and_go_with_it(tmp_path, db, fake):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kg-ru.txt").write_text(visit_article("kg-ru", [2019, 2023], [5]), encoding="utf-8")
    (folder / "kg-kz.txt").write_text(visit_article("kg-kz", [2020]), encoding="utf-8")
    report = ingest_paths([folder], db, quiet=True)
    assert (report.new, report.claims_added, report.events_added) == (2, 1, 3)
    con = connect_readonly(db)
    row = con.execute(
        "SELECT type, country_a, country_b, host, level, date, date_start, date_end, modality, count, event_text, "
        "sentence, doc_title, doc_source, pair FROM events_with_source WHERE doc_id = 'kg-ru' ORDER BY span_start"
    ).fetchall()
    con.close()
    assert row[0] == ("visit", "KGZ", "RUS", "RUS", "head_of_state", "2019", date(2019, 1, 1), date(2019, 12, 31),
                      "actual", None, "визит", "В 2019 году президент Кыргызстана совершил визит в Москву.", None,
                      str(folder / "kg-ru.txt"), "KGZ–RUS")
    assert [r[5] for r in row] == ["2019", "2023"]
    # A changed file replaces its events with its claims; the other document keeps its own.
    (folder / "kg-ru.txt").write_text(visit_article("kg-ru", [2024], [6, 7]), encoding="utf-8")
    report = ingest_paths([folder], db, quiet=True)
    assert (report.replaced, report.unchanged) == (1, 1)
    assert (report.claims_added, report.claims_removed, report.events_added, report.events_removed) == (2, 1, 1, 2)
    con = connect_readonly(db)
    assert con.execute("SELECT doc_id, date FROM events ORDER BY doc_id").fetchall() == [("kg-kz", "2020"),
                                                                                         ("kg-ru", "2024")]
    con.close()


def test_reextract_refreshes_the_events_of_an_older_extractor(tmp_path, db, fake, monkeypatch):
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", "old")
    docs = [{"id": f"d{i}", "text": visit_article(f"d{i}", [2010 + k for k in range(i % 3)], [i])} for i in range(6)]
    ingest_paths([write_jsonl(tmp_path / "d.jsonl", docs)], db, quiet=True)
    con = connect_readonly(db)
    assert all(n == want for n, want in events_per_doc(con).values())
    before = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    # a newer extractor that finds every visit one year later and no claims
    monkeypatch.setattr(etl.extract, "EXTRACTOR_VERSION", "new")
    monkeypatch.setattr(etl.extract, "extract_document", lambda d: [])

    def later(doc):
        return [Event(**{**e.to_dict(), "date": str(int(e.date) + 1)}) for e in fake.fake_events(doc)]

    monkeypatch.setattr(etl.events, "extract_events", later)
    report = reextract_store(db, quiet=True)
    assert (report.read, report.new, report.skipped) == (6, 6, [])
    assert (report.events_added, report.events_removed) == (before, before) and before == 6
    con = connect_readonly(db)
    assert con.execute("SELECT DISTINCT extractor_version FROM events").fetchall() == [("new",)]
    assert con.execute("SELECT min(date), max(date) FROM events").fetchone() == ("2011", "2012")
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    con.close()
    assert reextract_store(db, quiet=True).read == 0  # nothing left to refresh


def test_a_store_made_before_events_existed_is_marked_for_reextract(tmp_path, db, fake):
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i}", "text": visit_article(f"d{i}", [2020], [1])}
                                             for i in range(3)])
    ingest_paths([src], db, quiet=True)
    con = duckdb.connect(str(db))  # the file as the schema before events made it
    con.execute("DROP VIEW events_with_source")
    con.execute("DROP TABLE events")
    con.execute("DELETE FROM store_meta WHERE key = 'events_table'")
    con.execute("UPDATE store_meta SET value = 'an older schema' WHERE key = 'schema_sha256'")
    con.close()
    report = ingest_paths([src], db, quiet=True)
    assert report.unchanged == 3 and report.older_extractions == 3  # the note tells to run reextract
    assert "refresh their claims and events" in report.summary()
    again = reextract_store(db, quiet=True)
    assert (again.new, again.events_added, again.claims_added) == (3, 3, 3)
    con = connect_readonly(db)
    assert all(n == want == 1 for n, want in events_per_doc(con).values())
    con.close()
    assert ingest_paths([src], db, quiet=True).older_extractions == 0  # marked once, not on every schema change


def test_a_broken_document_does_not_lose_the_others(tmp_path, db, fake, monkeypatch):
    def one_invalid(doc):
        events = fake.fake_events(doc)
        if doc.id == "invalid":
            events[-1].level = "king"  # not a level of the contract
        return events

    monkeypatch.setattr(etl.events, "extract_events", one_invalid)
    src = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "ok", "text": visit_article("ok", [2021], [1])},
        {"id": "boom", "text": "RAISE-IN-EVENTS\n" + visit_article("boom", [2022], [2])},
        {"id": "invalid", "text": visit_article("invalid", [2022, 2023], [3])},
        {"id": "ok2", "text": visit_article("ok2", [2024, 2025], [4, 5])},
    ])
    report = ingest_paths([src], db, quiet=True)
    assert (report.new, report.claims_added, report.events_added) == (2, 3, 3)
    assert [(p.line, p.message) for p in report.skipped] == [
        (2, "events extractor failed on 'boom': RuntimeError: events boom"),
        (3, "extractor output for 'invalid' rejected: event 1 (visit 'визит') has level 'king'"),
    ]
    con = connect_readonly(db)
    assert events_per_doc(con) == {"ok": (1, 1), "ok2": (2, 2)}  # nothing of the broken ones, not even claims
    assert claims_per_doc(con) == {"ok": (1, 1), "ok2": (2, 2)}
    con.close()


def test_a_document_whose_events_the_database_rejects_loses_its_claims_too(tmp_path, db, fake, monkeypatch):
    """Claims and events are written in one transaction: never a document with half its records."""
    real_insert = StoreWriter._insert

    def failing_insert(self, table, rows):
        if table == "events" and any(r["doc_id"] == "d1" for r in rows):
            self.connection().execute("SELECT error('events refused')")
        return real_insert(self, table, rows)

    monkeypatch.setattr(StoreWriter, "_insert", failing_insert)
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i}", "text": visit_article(f"d{i}", [2020], [i + 1])}
                                             for i in range(3)])
    report = ingest_paths([src], db, quiet=True)
    assert report.new == 2 and "events refused" in str(report.skipped[0])
    assert (report.claims_added, report.events_added) == (2, 2)
    con = connect_readonly(db)
    assert set(claims_per_doc(con)) == set(events_per_doc(con)) == {"d0", "d2"}
    con.close()


def test_workers_store_the_same_events_as_one_process(tmp_path, fake):
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": f"d{i:03d}", "text": visit_article(f"d{i}", [2000 + i % 20], [1])}
                                             for i in range(120)])
    one = ingest_paths([src], tmp_path / "one.duckdb", quiet=True, workers=1)
    two = ingest_paths([src], tmp_path / "two.duckdb", quiet=True, workers=2)
    assert one.events_added == two.events_added == 120
    query = "SELECT * FROM events ORDER BY event_id"
    a, b = connect_readonly(tmp_path / "one.duckdb"), connect_readonly(tmp_path / "two.duckdb")
    assert a.execute(query).fetchall() == b.execute(query).fetchall()
    a.close()
    b.close()


def test_event_ids_are_stable_and_distinct_on_a_shared_span():
    doc = Document(id="d", text="посетит Узбекистан и Таджикистан")
    base = dict(doc_id="d", type="visit", level="head_of_state", date="2024-11-25/2024-11-26", modality="planned",
                count=None, text="посетит Узбекистан", span=[0, 18], sentence=doc.text, sentence_span=[0, 32])
    rows = event_rows(doc, [Event(countries=["UZB", "KGZ"], host="UZB", **base),
                            Event(countries=["TJK", "KGZ"], host="TJK", **base)], "v")
    assert [r["event_id"] for r in rows] == ["d:0-18:visit", "d:0-18:visit:2"]
    assert [(r["country_a"], r["country_b"], r["host"]) for r in rows] == [("KGZ", "UZB", "UZB"), ("KGZ", "TJK", "TJK")]
    assert (rows[0]["date_start"], rows[0]["date_end"]) == (date(2024, 11, 25), date(2024, 11, 26))
    assert rows[0]["trace"] is None and rows[0]["extractor_version"] == "v"


@pytest.mark.parametrize("change, message", [
    ({"type": "summit"}, "has type 'summit'"),
    ({"modality": "forecast"}, "has modality 'forecast'"),
    ({"countries": ["KGZ", "KGZ"]}, "names one side twice"),
    ({"countries": ["KGZ"]}, "not enough values"),
    ({"host": "KAZ"}, "has host 'KAZ', not one of its sides"),
    ({"doc_id": "other"}, "names document 'other'"),
    ({"span": [0, "x"]}, "invalid literal"),
])
def test_events_that_break_the_contract_are_rejected(change, message):
    doc = Document(id="d", text="визит")
    fields = dict(doc_id="d", type="visit", countries=["KGZ", "RUS"], host="RUS", level="other", date=None,
                  modality="actual", count=None, text="визит", span=[0, 5], sentence="визит", sentence_span=[0, 5])
    with pytest.raises(InvalidEvent, match=message):
        event_rows(doc, [Event(**{**fields, **change})], "v")


def test_export_events_as_csv_jsonl_and_parquet(tmp_path, db, fake):
    docs = [{"id": f"d{i}", "text": visit_article(f"d{i}", [2015 + i], [1]), "title": f"=HYPERLINK(\"x\") {i}"}
            for i in range(4)]
    ingest_paths([write_jsonl(tmp_path / "d.jsonl", docs)], db, quiet=True)
    con = connect_readonly(db)
    want = con.execute("SELECT event_id, doc_id, date, date_start, sentence FROM events_with_source ORDER BY event_id").fetchall()
    columns = [d[0] for d in con.execute("SELECT * FROM events_with_source LIMIT 0").description]
    con.close()
    assert len(want) == 4 and {"event_id", "type", "level", "host", "count", "trace", "doc_title", "pair"} <= set(columns)
    mem = duckdb.connect()
    for fmt, reader in (("csv", "read_csv"), ("parquet", "read_parquet"), ("jsonl", "read_json")):
        out = tmp_path / f"events.{fmt}"
        assert export_events(db, fmt, out) == 4
        got = mem.execute(f"SELECT event_id, doc_id, date::VARCHAR, date_start::DATE, sentence FROM {reader}(?) "
                          "ORDER BY event_id", [str(out)]).fetchall()
        assert got == want, fmt
        assert [d[0] for d in mem.execute(f"SELECT * FROM {reader}(?) LIMIT 0", [str(out)]).description] == columns
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as f:
        header, first, *_ = list(csv.reader(f))
    assert header[0] == "event_id" and first[header.index("doc_title")].startswith("'=HYPERLINK")  # neutralised
    line = json.loads((tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["trace"] == {"type": "fake"} and line["doc_title"].startswith("=HYPERLINK")  # JSON keeps it exact


def test_export_what_events_on_the_command_line(tmp_path):
    db = tmp_path / "store.duckdb"
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": "a", "text": visit_article("a", [2019, 2020], [1])}])
    assert run_etl("ingest", str(src), "--db", str(db), "--quiet").returncode == 0
    out = tmp_path / "events.jsonl"
    done = run_etl("export", "--what", "events", "--format", "jsonl", "--db", str(db), "--output", str(out))
    assert done.returncode == 0 and f"export: 2 events from {db} -> {out} (jsonl)" in done.stderr
    assert [json.loads(x)["date"] for x in out.read_text(encoding="utf-8").splitlines()] == ["2019", "2020"]
    piped = run_etl("export", "--what", "events", "--db", str(db))
    assert piped.returncode == 0 and piped.stdout.startswith("event_id,") and len(piped.stdout.splitlines()) == 3
    refused = run_etl("export", "--what", "events", "--db", str(db), "--output", str(db))
    assert refused.returncode == 2 and "refusing to overwrite" in refused.stderr
    claims = run_etl("export", "--db", str(db), "--format", "jsonl", "--output", str(tmp_path / "c.jsonl"))
    assert claims.returncode == 0 and "export: 1 claims" in claims.stderr
