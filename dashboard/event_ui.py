"""Diplomacy events as the pages show them (issue 11): the events table in readable columns, its CSV /
JSON / ZIP made from the very same columns (as dashboard/tables.py does for figures), and one event's
provenance: its sentence with the words that state it marked, its article, how each field was read, the
whole article with its events marked.

Shared by the pair page's diplomacy section, the explorer's events view and an event's own page."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import data, downloads, event_filters, extras, i18n, nav, state, tables, ui, views
from dashboard.i18n import Lang, t
from etl.event_rules import explain_event

# (key of the readable column, i18n label key): the table's columns, and the CSV's first ones
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("when", "ev_when"),
    ("pair", "col_pair"),
    ("type", "ev_type"),
    ("level", "ev_level"),
    ("status", "ev_status"),
    ("count", "ev_count"),
    ("sentence", "ev_sentence"),
    ("outlet", "ev_outlet"),
)
# after them in the CSV: what the table leaves to the event's panel, then the raw fields
CSV_MORE: tuple[tuple[str, str], ...] = (
    ("host", "ev_host"), ("as_written", "col_as_written"), ("published", "published"), ("title", "col_title"),
    ("source", "col_source"),
)
RAW_COLUMNS = ("event_id", "doc_id", "type", "country_a", "country_b", "host", "level", "date", "date_start",
               "date_end", "modality", "count", "span_start", "span_end", "doc_published", "doc_url",
               "extractor_version")
# our own words (labels of codes, formatted dates): never read as a spreadsheet formula; all else may be
_OWN = ("when", "pair", "type", "level", "status", "count", "host", "published")


def _none(x: object) -> bool:
    return x is None or x is pd.NaT or x is pd.NA or (isinstance(x, float) and pd.isna(x))


def when(row: dict, lang: Lang) -> str:
    """The event's date as written in the contract's form ('2024-11-25–26'), or its article's date
    when the text gives none."""
    if isinstance(row.get("date"), str) and row["date"]:
        return i18n.format_period(row["date"], lang)
    return i18n.format_date(row.get("doc_published"), lang) if not _none(row.get("doc_published")) else ""


def status(row: dict, lang: Lang) -> str:
    if not (isinstance(row.get("date"), str) and row["date"]):
        return f"{event_filters.status_label(str(row['modality']), lang)}; {t('ev_undated', lang)}"
    return event_filters.status_label(str(row["modality"]), lang)


def readable(events: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Event rows (`queries.EVENT_COLUMNS`) -> the table's columns (TABLE_COLUMNS' keys and CSV_MORE's),
    plus `event_id` to map a selected row back to its event."""
    rows = events.to_dict("records")
    no_url = t("no_url", lang)
    pair = [f"{r['country_a']}{i18n.EN_DASH}{r['country_b']}" for r in rows]
    return pd.DataFrame({
        "when": [when(r, lang) for r in rows],
        "pair": pair,
        "type": [event_filters.type_label(str(r["type"]), lang) for r in rows],
        "level": [event_filters.level_label(str(r["level"]), lang) for r in rows],
        "status": [status(r, lang) for r in rows],
        "count": ["" if _none(r["count"]) else str(int(r["count"])) for r in rows],  # blank, not "None"
        "sentence": [str(r["sentence"]) for r in rows],
        "outlet": [str(r["outlet"]) if r.get("outlet") else no_url for r in rows],
        "host": ["" if _none(r.get("host")) else str(r["host"]) for r in rows],
        "as_written": [str(r["event_text"]) for r in rows],
        "published": [i18n.format_date(r["doc_published"], lang) if not _none(r["doc_published"]) else ""
                      for r in rows],
        "title": ["" if _none(r.get("doc_title")) else str(r["doc_title"]) for r in rows],
        "source": [views.safe_url(r.get("doc_url") if isinstance(r.get("doc_url"), str) else None) or ""
                   for r in rows],
        "event_id": [str(r["event_id"]) for r in rows],
    }, index=pd.RangeIndex(len(rows)))


def labels(lang: Lang) -> dict[str, str]:
    return {key: t(label, lang) for key, label in TABLE_COLUMNS}


def table(events: pd.DataFrame, lang: Lang, key: str, on_select: Callable[[list[str]], None],
          pair: bool = True) -> list[str]:
    """The events table (a click on any cell picks the row: `on_select(ids)` reads which); returns the
    ids of its rows in order. `pair`: show the pair column (not on a pair's own page)."""
    shown = readable(events, lang)
    ids = shown["event_id"].tolist()
    names = labels(lang)
    config: dict = {k: st.column_config.TextColumn(v) for k, v in names.items()}
    config["sentence"] = st.column_config.TextColumn(names["sentence"], width="large")
    order = [k for k, _ in TABLE_COLUMNS if pair or k != "pair"]
    st.dataframe(shown, key=key, hide_index=True, width="stretch", height=tables.table_height(len(shown)),
                 column_order=order, column_config=config, on_select=lambda: on_select(ids),
                 selection_mode=["single-row", "single-cell"])
    return ids


def picked_row(key: str, ids: list[str]) -> str | None:
    """The event of the row (or cell) selected in the table `key`, whose rows are `ids`."""
    row = tables.selected_row((st.session_state.get(key) or {}).get("selection"))
    return ids[row] if row is not None and 0 <= row < len(ids) else None


# ---------------------------------------------------------------- downloads

def csv_frame(events: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The table's columns (same labels, same text), then the host, words, article, and the raw fields."""
    shown = readable(events, lang)
    cols = TABLE_COLUMNS + CSV_MORE
    frame = shown[[k for k, _ in cols]].rename(columns={k: t(v, lang) for k, v in cols})
    for col in RAW_COLUMNS:
        values = events[col] if col in events else pd.Series([None] * len(events), dtype=object)
        frame[col] = [None if _none(v) else v.date().isoformat() if isinstance(v, pd.Timestamp)
                      else v.isoformat() if isinstance(v, date) else int(v) if col == "count" else v
                      for v in values]
    return frame


def trusted(lang: Lang) -> frozenset[str]:
    return frozenset(t(v, lang) for k, v in TABLE_COLUMNS + CSV_MORE if k in _OWN)


def sources(events: pd.DataFrame, lang: Lang) -> list[str]:
    """'outlet: N events' for each outlet, most first."""
    outlets = events["outlet"].fillna("").replace("", t("no_url", lang)).value_counts() if len(events) else {}
    return [f"{o}: {i18n.count(int(n), 'event', lang)}" for o, n in dict(outlets).items()]


def bundle(events: pd.DataFrame, lang: Lang, *, stem: str, title: str, filters: list[str], url: str,
           method: str, extra: dict[str, pd.DataFrame] | None = None) -> downloads.Bundle:
    """A view's events as the downloads carry them: the CSV of `csv_frame` (the language's separator), the
    same rows as JSON, and a README naming the title, filters, units, method, caveats, sources, URL, date."""
    return downloads.Bundle(
        stem=stem, title=title, filters=filters or [t("ed_no_filters", lang)], url=url,
        data=csv_frame(events, lang), units=t("units_events", lang), method=method,
        caveats=[t("caveat_events_extracted", lang), t("caveat_events_repeated", lang),
                 t("caveat_events_undated", lang)],
        sources=sources(events, lang), extra=extra or {}, trusted=trusted(lang), lang=lang,
    )


# ---------------------------------------------------------------- one event

def trace_lines(raw: object, lang: Lang) -> list[tuple[str, str, str]]:
    """The stored trace as (field, plain words, rule) lines; none for events stored without one."""
    return [(t(f"evf_{f}", lang), words, rule) for f, rule, words in explain_event(ui.stored_trace(raw), lang)]


def body(store: data.Store, row: dict, lang: Lang, key: str, on_clear: Callable[[], None] | None = None,
         page_link: bool = True) -> None:
    """One event's provenance, as a figure's: a tile, its sentence with the words that state it marked,
    its article's title, date, outlet and link, how each field was read, the original, the whole article
    with its events marked. `page_link`: a link to the event's own page and to its pair's."""
    event_id = str(row["event_id"])
    pair = (str(row["country_a"]), str(row["country_b"]))
    if page_link:
        c1, c2 = st.columns(2)
        nav.link(state.EVENT, t("ev_page_link", lang), state.EventState(event_id), c1, icon=":material/link:")
        nav.pair_link(pair, lang, c2, icon=":material/compare_arrows:")
    head = f"{event_filters.type_label(str(row['type']), lang)} · {event_filters.level_label(str(row['level']), lang)}"
    dated = isinstance(row.get("date"), str) and bool(row["date"])
    st.html(views.tiles_html([(head, when(row, lang) if dated else t("ev_no_date", lang),
                               f"{i18n.pair_label(f'{pair[0]}{i18n.EN_DASH}{pair[1]}', lang)} · {status(row, lang)}")]))
    st.html(views.sentence_html(str(row["sentence"]), int(row["sentence_start"]), int(row["span_start"]),
                                int(row["span_end"])))
    url = row["doc_url"] if isinstance(row.get("doc_url"), str) else ""
    count = row.get("count")
    st.html(views.meta_html([
        (t("ev_when", lang), when(row, lang) + ("" if dated else f" ({t('ev_undated', lang)})")),
        (t("ev_host", lang), "" if _none(row.get("host")) else i18n.country_name(str(row["host"]), lang)),
        (t("ev_count", lang), "" if _none(count) else str(int(count))),  # type: ignore[arg-type]
        (t("col_title", lang), row["doc_title"] if isinstance(row.get("doc_title"), str) else t("untitled", lang)),
        (t("published", lang), i18n.format_date(row["doc_published"], lang) if not _none(row["doc_published"]) else ""),
        (t("outlet", lang), row.get("outlet") or t("no_url", lang)),
        (t("as_written", lang), str(row["event_text"])),
        ("URL", url),
        (t("extracted_by", lang), row["extractor_version"] if isinstance(row.get("extractor_version"), str) else ""),
    ]))
    how = trace_lines(row.get("trace"), lang)
    if how:  # events stored without a trace (`build_db`'s, a store's before traces) have none
        st.html(views.trace_html(t("ev_how_read", lang), how))
    safe = views.safe_url(url or None)
    c1, c2 = st.columns(2)
    if safe:
        c1.link_button(t("open_source", lang), safe, icon=":material/open_in_new:")
    if on_clear is not None:
        c2.button(t("clear_selection", lang), on_click=on_clear, key=f"{key}_clear")
    doc, _ = data.document(store.path, store.version, str(row["doc_id"]))
    if doc is not None:
        evs = extras.document_events(store.path, store.version, str(row["doc_id"]), store.con)
        marks = [
            views.Mark(int(e["span_start"]), int(e["span_end"]),
                       f"{event_filters.type_label(str(e['type']), lang)} · "
                       f"{event_filters.level_label(str(e['level']), lang)} · {e['country_a']}{i18n.EN_DASH}{e['country_b']}",
                       selected=e["event_id"] == event_id)
            for e in evs.to_dict("records")
        ]
        with st.expander(t("whole_article", lang, n=i18n.count(len(marks), "event", lang)), expanded=False):
            st.html(views.document_html(str(doc["text"]), marks))
