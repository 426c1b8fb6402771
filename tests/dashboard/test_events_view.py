"""dashboard/events.py and queries.pair_events: a pair's diplomacy events from a real store, the
timeline's marks and the yearly counts (the page that shows them is wired in separately)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import events, queries
from etl.ingest import ingest_paths
from etl.store import connect_readonly

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("events") / "indicators.duckdb"
    report = ingest_paths([ROOT / "data" / "samples"], db, quiet=True)
    assert report.events_added > 0 and report.skipped == []
    return db


def row(**kw) -> dict:
    base = dict(event_id="d:0-5:visit", doc_id="d", type="visit", country_a="KGZ", country_b="RUS", host="RUS",
                level="head_of_state", date="2024-05", date_start=date(2024, 5, 1), date_end=date(2024, 5, 31),
                modality="actual", count=None, event_text="визит", span_start=0, span_end=5, sentence="визит",
                sentence_start=0, sentence_end=5, doc_title="t", doc_published=date(2024, 6, 1), doc_url=None)
    return {**base, **kw}


def test_pair_events_are_the_pairs_in_either_order(sample_db):
    con = connect_readonly(sample_db)
    try:
        got = queries.pair_events(con, "RUS", "KGZ")
        assert got.equals(queries.pair_events(con, "KGZ", "RUS"))
        want = con.execute("SELECT count(*) FROM events WHERE country_a = 'KGZ' AND country_b = 'RUS'").fetchone()[0]
        assert len(got) == want > 0 and list(got.columns) == list(queries.EVENT_COLUMNS)
        assert set(got["type"]) <= {"visit", "talks", "call", "signing", "relations"}
        keys = [d if pd.notna(d) else p for d, p in zip(got["date_start"], got["doc_published"])]
        assert keys == sorted(keys)  # by date, undated ones at their article's date
        assert queries.pair_events(con, "AAA", "BBB").empty
    finally:
        con.close()


def test_a_store_made_before_events_gives_no_events(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents (doc_id VARCHAR)")
    con.close()
    con = connect_readonly(db)
    try:
        assert queries.pair_events(con, "KGZ", "RUS").empty
    finally:
        con.close()


def test_timeline_places_undated_events_at_their_articles_date_and_marks_planned_hollow():
    df = pd.DataFrame([row(), row(event_id="u", date=None, date_start=None, date_end=None, type="talks",
                               modality="planned"),
                       row(event_id="lost", date=None, date_start=None, date_end=None, doc_published=None)])
    data = events.timeline_data(df, "ru")
    assert list(data["event_id"]) == ["d:0-5:visit", "u"]  # nowhere to put one with no date at all
    assert list(data["when"]) == [pd.Timestamp(2024, 5, 1), pd.Timestamp(2024, 6, 1)]
    assert list(data["undated"]) == [False, True] and list(data["filled"]) == [True, False]
    assert list(data["type_label"]) == ["Визит", "Переговоры"]
    assert data["status"][1].startswith("дата не указана")


def test_timeline_chart_encodes_type_level_and_a_click(sample_db):
    con = connect_readonly(sample_db)
    try:
        spec = events.timeline_chart(queries.pair_events(con, "KGZ", "RUS"), "en").to_dict()
    finally:
        con.close()
    enc = spec["encoding"]
    assert enc["shape"]["field"] == "type_label" and enc["color"]["field"] == "level_label"
    assert enc["color"]["scale"]["domain"] == ["Heads of state", "Heads of government", "Ministers", "Other"]
    assert [p["name"] for p in spec["params"]] == [events.SELECTION]
    assert spec["params"][0]["select"]["fields"] == ["event_id"]
    assert enc["fill"]["condition"]["title"] == enc["color"]["title"] == "Level"  # one legend of the levels
    (rows,) = spec["datasets"].values()
    assert rows and all(len(r["when"]) == 10 for r in rows)


def test_yearly_counts_count_actual_dated_events_and_sum_documents_signed():
    df = pd.DataFrame([
        row(),
        row(event_id="v2", level="minister", date="2024-09-01", date_start=date(2024, 9, 1)),
        row(event_id="planned", modality="planned"),
        row(event_id="undated", date=None, date_start=None, date_end=None),
        row(event_id="t", type="talks", host=None, date="2023", date_start=date(2023, 1, 1)),
        row(event_id="c", type="call", host=None, date="2023-02-03", date_start=date(2023, 2, 3)),
        row(event_id="s1", type="signing", count=7),
        row(event_id="s2", type="signing", count=None),
        row(event_id="s3", type="signing", count=2, date="2024-10", date_start=date(2024, 10, 1)),
    ])
    got = events.yearly_counts(df, "en")
    assert list(got.index) == [2023, 2024]
    assert got.loc[2024].to_dict() == {"Visits: Heads of state": 1, "Visits: Heads of government": 0,
                                       "Visits: Ministers": 1, "Visits: Other": 0, "Talks": 0, "Calls": 0,
                                       "Documents signed": 9}
    assert got.loc[2023, "Talks"] == 1 and got.loc[2023, "Calls"] == 1 and got.loc[2023, "Documents signed"] == 0
    assert events.yearly_counts(df.iloc[0:0], "ru").empty


def test_undated_events_have_a_row_of_their_own_on_the_timeline():
    df = pd.DataFrame([row(), row(event_id="u", date=None, date_start=None, date_end=None, type="talks")])
    data = events.timeline_data(df, "en")
    assert list(data["row"]) == ["Visit", "No date (article's date)"]
    y = events.timeline_chart(df, "en").to_dict()["encoding"]["y"]
    assert y["field"] == "row" and y["scale"]["domain"][-1] == "No date (article's date)"
    # without undated events, no empty row
    assert events.timeline_chart(df.iloc[:1], "en").to_dict()["encoding"]["y"]["scale"]["domain"][-1] == "Relations established"
