"""Diplomacy events across the site (issue 11): the explorer's events view and its filters, the events'
CSV / JSON / ZIP, an event's own page, and the pair page's undated events listed apart. Driven through
streamlit.testing.v1.AppTest against the gold store; the expected rows come from the gold files."""
from __future__ import annotations

import csv
import io
import json
import urllib.parse
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard import event_filters, queries
from dashboard.event_filters import EventFilters
from dashboard.filters import Filters
from dashboard_testdb import APP, event_id, gold_docs, gold_events, host_of
from etl.periods import period_bounds

TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[2]


def run(query: dict | None = None, page: str = "explorer") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    if page != "overview":
        at._page_hash = calc_hash(page)
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_text(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


def table(at: AppTest, key: str = "e_table"):
    found = [d for d in at.dataframe if d.key == key]
    assert len(found) == 1, f"no table {key}"
    return found[0].value


def ids(at: AppTest, key: str = "e_table") -> set[str]:
    return set(table(at, key)["event_id"])


@pytest.fixture
def gold(gold_db: Path, use_db) -> Path:
    return use_db(gold_db)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict:
    """The download buttons' deferred data, by file name."""
    seen: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        seen[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return seen


def _events() -> list[dict]:
    docs = {d["id"] for d in gold_docs()}
    return [e for e in gold_events() if e["doc_id"] in docs]


def expected(f: Filters = Filters(), ef: EventFilters = EventFilters()) -> set[str]:
    """The gold events that the filters select, from the contract files, not from the store."""
    from dashboard import search

    docs = {d["id"]: d for d in gold_docs()}
    out = set()
    for e in _events():
        a, b = sorted(e["countries"])
        if f.country and f.country not in (a, b):
            continue
        if f.partners and (b if a == f.country else a) not in f.partners:
            continue
        if f.pairs and (a, b) not in f.pairs:
            continue
        if (ef.types and e["type"] not in ef.types) or (ef.levels and e["level"] not in ef.levels) \
                or (ef.modalities and e["modality"] not in ef.modalities):
            continue
        start, end = period_bounds(e.get("date"))
        if f.year_from is not None and (end is None or end < date(f.year_from, 1, 1)):
            continue
        if f.year_to is not None and (start is None or start > date(f.year_to, 12, 31)):
            continue
        if f.outlets and host_of(docs[e["doc_id"]].get("url")) not in f.outlets:
            continue
        if f.search and not all(search.matches(e["sentence"], tok) for tok in search.tokens(f.search)):
            continue
        out.add(event_id(e))
    return out


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


# ---------------------------------------------------------------- the filters: pure parts

def test_events_view_round_trips_through_the_url():
    ef = EventFilters(show=True, types=("visit", "signing"), levels=("minister",), modalities=("planned",),
                      event="d:1-2:visit")
    assert event_filters.parse_query(event_filters.to_query(ef)) == ef
    assert event_filters.to_query(EventFilters()) == {}  # a link to the figures stays as it was
    # hand-edited values are dropped; the contract's order is kept
    got = event_filters.parse_query({"what": ["nope"], "type": ["call", "party", "visit", "call"],
                                     "level": ["king"], "status": ["planned", "maybe"]})
    assert got == EventFilters(types=("visit", "call"), modalities=("planned",))


def test_events_filters_in_plain_words_and_in_a_file_name():
    f = Filters(pairs=(("KGZ", "RUS"),), indicators=("aid",), modalities=("target",), year_from=2020, year_to=2024)
    ef = EventFilters(show=True, types=("visit", "talks"), levels=("head_of_state",), modalities=("planned",))
    assert event_filters.filters_line(f, ef, "en") == (
        "Filtered — pairs: Kyrgyzstan – Russia; event types: visit, talks; levels: heads of state; "
        "status: planned; periods overlapping: 2020–2024.")  # the figures' indicator and modality do not apply
    assert event_filters.filters_line(f, ef, "ru") == (
        "Фильтры — пары: Кыргызстан – Россия; типы событий: визит, переговоры; уровни: главы государств; "
        "статус: планируется; периоды, пересекающие: 2020–2024.")
    assert event_filters.filters_line(Filters(indicators=("aid",)), EventFilters(), "en") == (
        "No filters: every diplomacy event in the database.")
    assert event_filters.file_stem(f, ef) == "events_KGZ-RUS_visit_talks_head_of_state_planned_2020-2024"
    assert event_filters.file_stem(Filters(), EventFilters()) == "events_all"


CASES = [
    ("all", Filters(), EventFilters()),
    ("type", Filters(), EventFilters(types=("visit", "call"))),
    ("level", Filters(), EventFilters(levels=("minister", "other"))),
    ("status", Filters(), EventFilters(modalities=("planned",))),
    ("country", Filters(country="UZB"), EventFilters()),
    ("partners", Filters(country="KGZ", partners=("RUS", "TJK")), EventFilters()),
    ("pairs", Filters(pairs=(("KAZ", "KGZ"), ("CHN", "UZB"))), EventFilters(types=("talks",))),
    ("years", Filters(year_from=2024, year_to=2025), EventFilters()),
    ("outlet", Filters(outlets=("kant.kg", "")), EventFilters()),
    ("search", Filters(search="визитом"), EventFilters()),
]


@pytest.mark.parametrize(("name", "f", "ef"), CASES, ids=[c[0] for c in CASES])
def test_the_events_query_selects_what_the_filters_say(gold_db, name, f, ef):
    con = duckdb.connect(str(gold_db), read_only=True)
    try:
        got = queries.events(con, event_filters.shared(f), *ef.selects())
    finally:
        con.close()
    want = expected(f, ef)
    assert want and (name == "all" or want != expected()), "the case must select some, not all"
    assert set(got["event_id"]) == want and len(got) == len(want)
    keys = [d if d is not None and d == d else p for d, p in zip(got["date_start"], got["doc_published"])]
    assert keys == sorted(keys, reverse=True), "the most recent first"


# ---------------------------------------------------------------- the explorer's events view

def test_the_switch_shows_the_events_and_keeps_the_shared_filters(gold):
    at = ok(run({"pair": "KGZ-RUS", "indicator": "trade_turnover"}))
    assert at.sidebar.segmented_control(key="x_what").value == "figures"
    assert [d for d in at.dataframe if d.key == "table"]
    at.sidebar.segmented_control(key="x_what").set_value("events").run()
    ok(at)
    assert at.query_params["what"] == "events" and at.query_params["pair"] == "KGZ-RUS"
    assert at.title[0].value == "Diplomacy events"
    assert ids(at) == expected(Filters(pairs=(("KGZ", "RUS"),)))
    # the events' own widgets, and none of the figures' indicators
    assert not [m for m in at.sidebar.multiselect if m.key == "f_indicators"]
    assert at.sidebar.multiselect(key="e_pairs").value == ["KGZ-RUS"]
    # a timeline whose click picks an event
    spec = next(json.loads(c.proto.spec) for c in at.get("vega_lite_chart"))
    assert spec["params"][0]["select"]["fields"] == ["event_id"]
    # back to the figures: their filters are still there
    at.sidebar.segmented_control(key="x_what").set_value("figures").run()
    assert "what" not in at.query_params and at.query_params["indicator"] == "trade_turnover"
    assert at.sidebar.multiselect(key="f_indicators").value == ["trade_turnover"]


WIDGETS = [
    ("type", lambda at: at.sidebar.button_group(key="e_types").set_value(["signing", "relations"]),
     Filters(), EventFilters(types=("signing", "relations")), {"type": ["signing", "relations"]}),
    ("level", lambda at: at.sidebar.button_group(key="e_levels").set_value(["head_of_government"]),
     Filters(), EventFilters(levels=("head_of_government",)), {"level": "head_of_government"}),
    ("status", lambda at: at.sidebar.button_group(key="e_status").set_value(["planned"]),
     Filters(), EventFilters(modalities=("planned",)), {"status": "planned"}),
    ("country", lambda at: at.sidebar.selectbox(key="e_country").set_value("TJK"),
     Filters(country="TJK"), EventFilters(), {"country": "TJK"}),
    ("pairs", lambda at: at.sidebar.multiselect(key="e_pairs").set_value(["KAZ-TUR"]),
     Filters(pairs=(("KAZ", "TUR"),)), EventFilters(), {"pair": "KAZ-TUR"}),
    ("search", lambda at: at.sidebar.text_input(key="e_search").input("телефонный"),
     Filters(search="телефонный"), EventFilters(), {"q": "телефонный"}),
]


@pytest.mark.parametrize(("name", "act", "f", "ef", "query"), WIDGETS, ids=[w[0] for w in WIDGETS])
def test_each_events_filter_changes_the_rows_and_the_url(gold, name, act, f, ef, query):
    at = ok(run({"what": "events"}))
    assert ids(at) == expected()
    act(at).run()
    ok(at)
    want = expected(f, ef)
    assert want and want != expected()
    assert ids(at) == want
    for key, value in query.items():
        assert at.query_params[key] == value, key
    n = len(want)
    assert f"Showing {n} of {n} event{'s' if n != 1 else ''}." in [c.value for c in at.caption]
    assert f"**{event_filters.filters_line(f, ef, 'en')}**" in [m.value for m in at.markdown]
    # the same link opened anew shows the same rows
    again = ok(run(dict(at.query_params)))
    assert ids(again) == want


def test_filters_that_select_no_event_say_so_and_reset_brings_them_back(gold):
    at = ok(run({"what": "events", "pair": "KAZ-TJK", "type": "visit"}))  # the pair has figures, no events
    assert any(i.value == "No events match these filters." for i in at.info)
    assert not [d for d in at.dataframe if d.key == "e_table"]
    assert "**Filtered — pairs: Kazakhstan – Tajikistan; event types: visit.**" in [m.value for m in at.markdown]
    next(b for b in at.button if b.key == "e_reset_main").click().run()
    ok(at)
    assert ids(at) == expected() and dict(at.query_params) == {"what": "events"}


def test_a_store_without_events_says_so(make_db, use_db):
    use_db(make_db(events=[]))
    at = ok(run({"what": "events"}))
    assert any("holds no diplomacy events" in i.value for i in at.info)


def test_the_picked_event_shows_its_sentence_and_links_to_its_page(gold):
    e = next(e for e in _events() if e["type"] == "signing" and e.get("count"))
    eid = event_id(e)
    at = ok(run({"what": "events", "event": eid}))
    page = html_text(at)
    s0 = e["sentence_span"][0]
    assert f'<mark class="bi-sel">{e["sentence"][e["span"][0] - s0:e["span"][1] - s0]}</mark>' in page
    assert f"<b>Documents:</b> {e['count']}" in page
    doc = next(d for d in gold_docs() if d["id"] == e["doc_id"])
    if doc.get("title"):
        assert doc["title"] in page
    link = f'./event?event={urllib.parse.quote(eid, safe="")}'
    assert any(link in m.value and "This event&#x27;s page" in m.value for m in at.markdown)
    # Clear forgets it, in the URL too
    next(b for b in at.button if b.key == "e_panel_clear").click().run()
    assert "event" not in at.query_params and any("Click a mark" in i.value for i in at.info)


def test_the_events_view_in_russian(gold):
    at = ok(run({"what": "events", "lang": "ru", "country": "KGZ", "status": "planned"}))
    assert at.title[0].value == "Дипломатические события"
    shown = table(at)
    assert set(shown["status"]) <= {"планируется", "планируется; дата не указана: дата статьи"}
    n = len(expected(Filters(country="KGZ"), EventFilters(modalities=("planned",))))
    from dashboard import i18n

    assert f"Показано {n}, всего {i18n.count(n, 'event', 'ru')}." in [c.value for c in at.caption]
    assert at.sidebar.segmented_control(key="x_what").value == "events"


# ---------------------------------------------------------------- CSV, JSON, ZIP of events

def test_the_events_zip_holds_the_csv_and_a_readme_naming_the_filters(gold, downloads):
    ok(run({"what": "events", "country": "KGZ", "type": ["visit", "talks"]}))
    stem = "events_KGZ_visit_talks"
    want = expected(Filters(country="KGZ"), EventFilters(types=("visit", "talks")))
    files = _zip(downloads[f"{stem}.zip"]())
    assert set(files) == {f"{stem}.csv", "README.md"}
    assert files[f"{stem}.csv"] == downloads[f"{stem}.csv"](), "the ZIP's CSV is the CSV button's"
    rows = list(csv.DictReader(io.StringIO(files[f"{stem}.csv"].decode("utf-8-sig"))))
    assert {r["event_id"] for r in rows} == want and len(rows) == len(want)
    assert {r["Event"] for r in rows} == {"Visit", "Talks"} and all(r["Sentence"] for r in rows)
    readme = files["README.md"].decode()
    for part in ("# Bilateral indicators — Diplomacy events", "country: Kyrgyzstan", "event types: visit, talks",
                 "/explorer?country=KGZ&what=events&type=visit&type=talks", date.today().isoformat(),
                 "## Units", "## How values were chosen", "## Caveats", "## Sources", f"{len(want)} rows"):
        assert part in readme, part
    doc = json.loads(downloads[f"{stem}.json"]())
    assert {r["event_id"] for r in doc["data"]} == want
    assert doc["filters"] == ["country: Kyrgyzstan", "event types: visit, talks"]


def test_the_events_csv_in_russian_has_semicolons_and_russian_labels(gold, downloads):
    ok(run({"what": "events", "lang": "ru", "pair": "KGZ-RUS"}))
    data = downloads["events_KGZ-RUS.csv"]()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert {r["event_id"] for r in rows} == expected(Filters(pairs=(("KGZ", "RUS"),)))
    assert {"Дата", "Пара", "Событие", "Уровень", "Статус", "Предложение"} <= set(rows[0])
    assert "Переговоры" in {r["Событие"] for r in rows}
    dated = next(r for r in rows if r["date"] and len(r["date"]) == 10)
    assert dated["Дата"] == ".".join(reversed(dated["date"].split("-")))  # 25.11.2025
    readme = _zip(downloads["events_KGZ-RUS.zip"]())["README.md"].decode()
    assert "пары: Кыргызстан – Россия" in readme and "## Фильтры" in readme


def test_the_pair_page_offers_its_events(gold, downloads):
    ok(run({"pair": "KGZ-RUS"}, page="pair"))
    files = _zip(downloads["events_KGZ-RUS.zip"]())
    assert set(files) == {"events_KGZ-RUS.csv", "events_KGZ-RUS_yearly.csv", "README.md"}
    rows = list(csv.DictReader(io.StringIO(files["events_KGZ-RUS.csv"].decode("utf-8-sig"))))
    assert {r["event_id"] for r in rows} == expected(Filters(pairs=(("KGZ", "RUS"),)))
    readme = files["README.md"].decode()
    assert "pair: KGZ–RUS · Kyrgyzstan – Russia" in readme and "/pair?pair=KGZ-RUS" in readme
    yearly = list(csv.DictReader(io.StringIO(files["events_KGZ-RUS_yearly.csv"].decode("utf-8-sig"))))
    assert yearly and "Talks" in yearly[0]
    doc = json.loads(downloads["events_KGZ-RUS.json"]())
    assert len(doc["data"]) == len(rows) and doc["yearly"]


# ---------------------------------------------------------------- an event's page

def test_an_events_page_has_a_permalink_its_sentence_fields_and_the_pairs_other_events(gold, downloads):
    e = next(e for e in _events() if sorted(e["countries"]) == ["KGZ", "RUS"] and e.get("date"))
    eid = event_id(e)
    at = ok(run({"event": eid}, page="event"))
    assert at.title[0].value == "Diplomacy event"
    link = at.code[0].value
    assert "/event?event=" in link and urllib.parse.quote(eid, safe="") in link
    page = html_text(at)
    s0 = e["sentence_span"][0]
    assert f'<mark class="bi-sel">{e["sentence"][e["span"][0] - s0:e["span"][1] - s0]}</mark>' in page
    assert f"<b>As written:</b> {e['text']}" in page and "<b>Extractor version:</b> gold" in page
    others = table(at, "e_others")
    pair_events = expected(Filters(pairs=(("KGZ", "RUS"),)))
    assert set(others["event_id"]) == pair_events - {eid}
    assert any("./pair?pair=KGZ-RUS" in m.value for m in at.markdown)
    name = f"event_{eid.replace(':', '-')}.json"
    doc = json.loads(downloads[name]())
    assert doc["data"][0]["event_id"] == eid and len(doc["data"]) == len(pair_events)
    # in Russian
    ru = ok(run({"event": eid, "lang": "ru"}, page="event"))
    assert ru.title[0].value == "Дипломатическое событие"
    assert "Другие события той же пары" in [s.value for s in ru.subheader]


def test_an_events_page_empty_states(gold):
    assert "No event named" in ok(run(page="event")).info[0].value
    assert "no longer in the database" in ok(run({"event": "nope"}, page="event")).warning[0].value


def test_an_events_page_reads_out_its_trace(tmp_path, use_db):
    from etl.ingest import ingest_paths

    db = tmp_path / "real.duckdb"
    ingest_paths([str(ROOT / "data" / "samples" / "seeds.jsonl")], db, quiet=True)
    use_db(db)
    con = duckdb.connect(str(db), read_only=True)
    eid, trace = con.execute("SELECT event_id, trace FROM events WHERE type = 'visit' ORDER BY event_id").fetchone()
    con.close()
    assert '"type": "type.event-word"' in trace
    page = html_text(ok(run({"event": eid}, page="event")))
    assert "How the event was read" in page
    assert ("<b>type</b>: an event word: a visit, talks, a call, a signing, relations established "
            "<code>type.event-word</code>") in page
    assert "<b>level</b>:" in page and "<b>date</b>:" in page
    page = html_text(ok(run({"event": eid, "lang": "ru"}, page="event")))
    assert "Как прочитано событие" in page and "<b>тип</b>: слово события" in page


# ---------------------------------------------------------------- the pair page: undated events apart

def test_the_pair_page_lists_undated_events_apart_at_their_articles_date(gold):
    at = ok(run({"pair": "KGZ-RUS"}, page="pair"))
    mine = [e for e in _events() if sorted(e["countries"]) == ["KGZ", "RUS"]]
    undated = {event_id(e) for e in mine if not e.get("date")}
    assert undated and ids(at, "p_events") == {event_id(e) for e in mine} - undated
    assert ids(at, "p_events_undated") == undated
    assert "**Without a date in the text, listed at their article's date**" in [m.value for m in at.markdown]
    docs = {d["id"]: d for d in gold_docs()}
    shown = table(at, "p_events_undated")
    for eid, when in zip(shown["event_id"], shown["when"]):
        assert when == docs[eid.split(":")[0]]["published"]
    # on the timeline they have a row of their own
    spec = next(s for s in (json.loads(c.proto.spec) for c in at.get("vega_lite_chart"))
                if any(p.get("name") == "event" for p in s.get("params", [])))
    assert spec["encoding"]["y"]["scale"]["domain"][-1] == "No date (article's date)"
    # a picked event links to its own page
    at.session_state["_pair_event"] = sorted(undated)[0]
    ok(at.run())
    assert any(f"./event?event={urllib.parse.quote(sorted(undated)[0], safe='')}" in m.value for m in at.markdown)


def test_a_pair_with_events_and_no_figures_has_a_page_of_its_diplomacy(gold):
    at = ok(run({"pair": "BLR-RUS"}, page="pair"))
    assert any("No figures of this pair" in i.value for i in at.info)
    shown = set().union(*(set(d.value["event_id"]) for d in at.dataframe if d.key in ("p_events", "p_events_undated")))
    assert shown == expected(Filters(pairs=(("BLR", "RUS"),)))
    assert "Diplomacy" in [s.value for s in at.subheader]
