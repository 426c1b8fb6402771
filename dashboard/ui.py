"""The explorer's sections: sidebar filters, headline tiles, chart, table, the source panel, empty states.

The explorer's state is one `Filters` and one `View` (`state.ExplorerState`), not the widgets' own
values: a widget's change reaches it through the widget's callback, which Streamlit runs before the
script, so nothing the run does afterwards (a database that is being reopened, a run that stops before
it draws the sidebar, a slider whose range moved) can lose it. Each widget is then drawn from that state
(`state.show`); dashboard/state.py reads it from the URL and writes it back."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import charts, data, describe, downloads, i18n, nav, state, tables, views
from dashboard.filters import NO_OUTLET, Filters, Options, View, restrict
from dashboard.i18n import Lang, t
from dashboard.state import ExplorerState
from dashboard.index import Counts, Series
from etl import rules
from etl.vocabulary import MODALITIES

K_COUNTRY, K_PARTNERS, K_PAIRS = "f_country", "f_partners", "f_pairs"
K_INDICATORS, K_MODALITIES, K_YEARS, K_OUTLETS, K_SEARCH = (
    "f_indicators", "f_modalities", "f_years", "f_outlets", "f_search",
)
K_SERIES, K_UNDATED = "v_series", "v_undated"
K_CHART, K_TABLE, K_TABLE_IDS = "chart", "table", "_table_claim_ids"


# ---------------------------------------------------------------- the explorer's state (dashboard/state.py)

def _state() -> ExplorerState:
    return state.get(state.EXPLORER)  # type: ignore[return-value]


def _filters() -> Filters:
    return _state().filters


def _view() -> View:
    return _state().view


def _set_filters(**changes: object) -> None:
    state.put(state.EXPLORER, replace(_state(), filters=replace(_filters(), **changes)))


def _set_view(**changes: object) -> None:
    state.put(state.EXPLORER, replace(_state(), view=replace(_view(), **changes)))


_show = state.show


def _pair_key(pair: tuple[str, str]) -> str:
    return f"{pair[0]}-{pair[1]}"


def _pair_of(key: str) -> tuple[str, str]:
    a, _, b = key.partition("-")
    return a, b


def _reset_filters() -> None:
    state.put(state.EXPLORER, replace(_state(), filters=Filters()))
    _set_view(claim=None)


# ---------------------------------------------------------------- sidebar widgets' callbacks
# Each runs before the script, when its widget changed; st.session_state[key] is then the widget's new
# value read with the labels the user saw.

def _on_country() -> None:
    country = st.session_state[K_COUNTRY]
    _set_filters(country=country, partners=() if country != _filters().country else _filters().partners)


def _on_list(key: str, field: str) -> None:
    _set_filters(**{field: tuple(st.session_state[key] or ())})


def _on_pairs() -> None:
    _set_filters(pairs=tuple(_pair_of(k) for k in st.session_state[K_PAIRS] or ()))


def _on_modalities() -> None:
    picked = st.session_state[K_MODALITIES] or []
    _set_filters(modalities=tuple(m for m in MODALITIES if m in picked))


def _on_years(lo: int, hi: int) -> None:
    y0, y1 = (int(v) for v in st.session_state[K_YEARS])
    whole = (y0, y1) == (lo, hi)  # the whole range is no constraint (it would drop undated figures)
    _set_filters(year_from=None if whole else y0, year_to=None if whole else y1)


def _on_search() -> None:
    _set_filters(search=(st.session_state[K_SEARCH] or "").strip())


# ---------------------------------------------------------------- sidebar

def _valid(filters: Filters, options: Options) -> Filters:
    """The filters the database can honour (a new version may lack a country, an outlet, a year)."""
    f = restrict(filters, options)
    return replace(f, indicators=tuple(i for i in f.indicators if i in options.indicators))


def sidebar_filters(options: Options, lang: Lang) -> Filters:
    """The filter widgets, drawn from the page's state; returns the filters the database can honour."""
    f = _valid(_filters(), options)
    state.put(state.EXPLORER, replace(_state(), filters=f))
    sb = st.sidebar
    sb.header(t("filters", lang))

    countries = [None, *options.countries]
    country_label = lambda c: t("any_country", lang) if c is None else i18n.country_option(c, lang)  # noqa: E731
    _show(K_COUNTRY, f.country, tuple(map(country_label, countries)))
    sb.selectbox(t("country", lang), countries, key=K_COUNTRY, placeholder=t("any_country", lang),
                 format_func=country_label, on_change=_on_country)

    partners_all = list(options.partners_of(f.country)) if f.country else []
    partner_label = lambda c: i18n.country_option(c, lang)  # noqa: E731
    _show(K_PARTNERS, list(f.partners), tuple(map(partner_label, partners_all)))
    sb.multiselect(t("partners", lang), partners_all, key=K_PARTNERS, disabled=not f.country,
                   help=t("partners_help", lang), placeholder=t("all", lang), format_func=partner_label,
                   on_change=_on_list, args=(K_PARTNERS, "partners"))

    pair_keys = [_pair_key(p) for p in options.pairs]
    pair_label = lambda k: i18n.pair_label(k.replace("-", "–"), lang)  # noqa: E731
    _show(K_PAIRS, [_pair_key(p) for p in f.pairs], tuple(map(pair_label, pair_keys)))
    sb.multiselect(t("pairs", lang), pair_keys, key=K_PAIRS, placeholder=t("all", lang), format_func=pair_label,
                   on_change=_on_pairs)

    indicator_label = lambda i: i18n.indicator_label(i, lang)  # noqa: E731
    _show(K_INDICATORS, list(f.indicators), tuple(map(indicator_label, options.indicators)))
    sb.multiselect(t("indicators", lang), list(options.indicators), key=K_INDICATORS, placeholder=t("all", lang),
                   format_func=indicator_label, on_change=_on_list, args=(K_INDICATORS, "indicators"))

    modality_label = lambda m: i18n.modality_label(m, lang)  # noqa: E731
    _show(K_MODALITIES, list(f.modalities), tuple(map(modality_label, MODALITIES)))
    sb.pills(t("modalities", lang), list(MODALITIES), key=K_MODALITIES, selection_mode="multi",
             format_func=modality_label, on_change=_on_modalities)

    if options.years is not None and options.years[0] < options.years[1]:
        lo, hi = options.years
        shown = (f.year_from if f.year_from is not None else lo, f.year_to if f.year_to is not None else hi)
        _show(K_YEARS, shown, (lo, hi))
        sb.slider(t("period", lang), min_value=lo, max_value=hi, key=K_YEARS, step=1, help=t("period_help", lang),
                  on_change=_on_years, args=(lo, hi))

    outlet_label = lambda o: t("no_url", lang) if o == NO_OUTLET else o  # noqa: E731
    _show(K_OUTLETS, list(f.outlets), tuple(map(outlet_label, options.outlets)))
    sb.multiselect(t("outlets", lang), list(options.outlets), key=K_OUTLETS, placeholder=t("all", lang),
                   format_func=outlet_label, on_change=_on_list, args=(K_OUTLETS, "outlets"))

    _show(K_SEARCH, f.search)
    sb.text_input(t("search", lang), key=K_SEARCH, placeholder=t("search_placeholder", lang),
                  max_chars=200, help=t("search_help", lang), on_change=_on_search)
    sb.button(t("reset", lang), on_click=_reset_filters, width="stretch")
    sb.caption(t("share_hint", lang))
    return f


# ---------------------------------------------------------------- empty states

def problem(p: data.Problem, lang: Lang) -> None:
    """A clear message instead of a traceback, with what to do about it."""
    path = str(p.path).replace("`", "'")
    if p.kind == "missing":
        st.error(t("no_db", lang, path=path))
        st.info(t("no_db_hint", lang))
    elif p.kind == "empty":
        st.info(t("empty_db", lang, path=path))
        st.caption(t("empty_db_hint", lang))
    elif p.kind == "busy":
        st.warning(t("busy_db", lang, error=p.detail.replace("`", "'")))
    else:
        st.error(t("bad_db", lang, path=path, error=p.detail.replace("`", "'")))


def no_match(lang: Lang) -> None:
    st.info(t("no_match", lang))
    st.caption(t("no_match_hint", lang))
    st.button(t("reset", lang), on_click=_reset_filters, key="reset_main")


# ---------------------------------------------------------------- overview

def filtered_line(filters: Filters, lang: Lang) -> None:
    """What is filtered, in plain words, under the title."""
    st.markdown(f"**{describe.filters_line(filters, lang)}**", help=t("share_hint", lang))


def pair_links(pairs: list[tuple[str, str]], lang: Lang) -> None:
    """Links to the pages of the pairs the filters select most (every pair name leads to its page)."""
    if pairs:
        links = " · ".join(nav.anchor(state.PAIR, f"{a}{i18n.EN_DASH}{b}", state.PairState((a, b))) for a, b in pairs)
        st.markdown(f"{views.esc(t('pair_pages', lang))}: {links}", unsafe_allow_html=True)


def header(counts: Counts, lang: Lang) -> None:
    st.title(t("app_title", lang))
    n = lambda x: i18n.format_number(x, lang, 0)  # noqa: E731
    st.caption(
        f"{t('app_caption', lang)}  \n"
        f"{t('n_claims', lang)}: **{n(counts.figures)}** · {t('n_docs', lang)}: **{n(counts.articles)}** · "
        f"{t('n_pairs', lang)}: **{n(counts.pairs)}**"
    )


def series_label(s: Series, lang: Lang) -> str:
    unit = {"count": "#", "x": "×"}.get(s.unit, s.unit)
    return (f"{i18n.indicator_label(s.indicator, lang)} · {i18n.kind_label(s.kind, lang)} · {unit} "
            f"({i18n.format_number(s.n, lang, 0)})")


def series_picker(series: list[Series], lang: Lang) -> Series:
    """The chart's series: the one picked, while the filters keep it, else the largest. A pick the
    filters drop is forgotten, so the URL never names a series the page does not show."""
    keys = [s.key for s in series]
    if _view().series not in keys:
        _set_view(series=None)
    shown = _view().series or keys[0]
    by_key = {s.key: s for s in series}
    label = lambda k: series_label(by_key[k], lang)  # noqa: E731
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    _show(K_SERIES, shown, tuple(map(label, keys)))
    c1.selectbox(t("series", lang), keys, key=K_SERIES, format_func=label, on_change=_on_series)
    _show(K_UNDATED, _view().undated)
    c2.toggle(t("undated", lang), key=K_UNDATED, on_change=_on_undated)
    return by_key[shown]


def _on_series() -> None:
    _set_view(series=st.session_state[K_SERIES])


def _on_undated() -> None:
    _set_view(undated=bool(st.session_state[K_UNDATED]))


def undated() -> bool:
    return _view().undated


def _tile(row: dict | None, label: str, lang: Lang) -> tuple[str, str, str]:
    if row is None:
        return label, t("none_yet", lang), ""
    value = i18n.format_figure(row["value"], row["unit"], lang, kind=row["kind"], comparator=row["comparator"],
                               value_max=row["value_max"])
    until = i18n.partial_until(row["period_end"], row["doc_published"], row["modality"])
    when = i18n.format_period(row["period"], lang, until) if row["period"] else t("no_period", lang)
    source = row["outlet"] or t("no_url", lang)
    pair = i18n.pair_label(str(row["pair"]), lang)  # with the names: "CIS" alone says little
    return label, value, f"{pair} · {when} · {source} · {i18n.format_date(row['doc_published'], lang)}"


def tiles(sv: data.SeriesView, lang: Lang) -> None:
    st.html(views.tiles_html([
        _tile(sv.latest.get("actual"), t("latest_actual", lang), lang),
        _tile(sv.latest.get("target"), t("latest_target", lang), lang),
    ]))


@st.cache_data(max_entries=4, show_spinner=False)
def _base_spec(lang: Lang) -> dict:
    # building an Altair chart takes ~200 ms: once per language, then `retitle`d for each chart
    return charts.vega_spec(charts.series_chart(Series("", "level", ""), "", lang))



def _on_chart_select() -> None:
    state = st.session_state.get(K_CHART)
    picked = (state or {}).get("selection", {}).get(charts.SELECTION) or []
    if picked and picked[0].get("claim_id"):
        _set_view(claim=str(picked[0]["claim_id"]))


def chart(sv: data.SeriesView, series: Series, lang: Lang) -> pd.DataFrame:
    """The series chart with its notes and export buttons; returns the chart's data (for disagreements)."""
    df, y_title = charts.chart_data(sv.points, series, lang)
    n_undated = series.n_undated if not _view().undated else 0
    if df.empty:
        st.info(t("no_chart_points", lang))
    else:
        many = df["line"].nunique() > 10
        spec = charts.fixed_colours(charts.retitle(_base_spec(lang), y_title, many, zero=series.kind == "level"),
                                    df["line"].tolist())
        st.vega_lite_chart(df, spec, key=K_CHART, on_select=_on_chart_select,
                           selection_mode=charts.SELECTION, width="stretch", height=440)
        notes = []
        n_points = len(sv.points["claim_id"])
        if sv.n_dated > n_points:
            notes.append(t("points_capped", lang, shown=i18n.format_number(n_points, lang, 0),
                           total=i18n.count(sv.n_dated, "figure", lang)))
        if n_undated:
            notes.append(t("undated_note", lang, n=i18n.count(n_undated, "figure", lang)))
        if notes:
            st.caption(" ".join(notes))
        stem = f"{series.indicator}-{series.kind}-{series.unit.replace('%', 'pct')}"
        title = f"{series_label(series, lang)} — {t('app_title', lang)}"
        sub = [describe.filters_line(_filters(), lang),
               downloads.source_line(lang, nav.view_url(state.EXPLORER))]
        lines = df["line"].tolist()
        full = lambda: charts.titled(charts.series_chart(series, y_title, lang, many, lines), df, title, sub)  # noqa: E731
        downloads.chart_export(full, stem, lang, "chart_export")
    return df


def disagreements(df: pd.DataFrame, lang: Lang) -> None:
    groups = tables.disagreements(df)
    with st.expander(f"{t('conflicts', lang)} ({len(groups)})", expanded=False):
        if groups.empty:
            st.caption(t("no_conflicts", lang))
            return
        st.caption(t("conflicts_caption", lang))
        shown = groups.drop(columns=["claim_ids"]).rename(columns={
            "line": t("col_pair", lang), "period": t("col_period", lang),
            "modality": t("col_modality", lang), "figures": t("col_figure", lang),
        })
        st.dataframe(shown, hide_index=True, width="stretch")


# ---------------------------------------------------------------- table and CSV

def _on_table_select() -> None:
    row = tables.selected_row((st.session_state.get(K_TABLE) or {}).get("selection"))
    ids = st.session_state.get(K_TABLE_IDS) or []
    if row is not None and 0 <= row < len(ids):
        _set_view(claim=ids[row])


def table(store: data.Store, ov: data.Overview, filters: Filters, lang: Lang) -> None:
    st.subheader(t("table", lang))
    shown = tables.readable(ov.table, lang)
    st.session_state[K_TABLE_IDS] = shown["claim_id"].tolist()
    labels = tables.labels(lang)
    widths = tables.column_widths(shown, labels)
    config = {key: st.column_config.TextColumn(label, width=widths[key]) for key, label in labels.items()}
    config["source"] = st.column_config.LinkColumn(labels["source"], display_text=t("open_link", lang),
                                                   width=widths["source"])
    # a click on any cell selects its row (the row's checkbox alone was easy to miss)
    st.dataframe(
        shown, key=K_TABLE, hide_index=True, width="stretch", height=tables.table_height(len(shown)),
        column_order=[k for k, _ in tables.TABLE_COLUMNS], column_config=config,
        on_select=_on_table_select, selection_mode=["single-row", "single-cell"],
    )
    total = ov.counts.figures
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.caption(t("showing", lang, shown=i18n.format_number(len(shown), lang, 0),
                 total=i18n.count(total, "figure", lang)))
    if total > data.CSV_MAX_ROWS:
        c1.caption(t("csv_capped", lang, cap=i18n.format_number(data.CSV_MAX_ROWS, lang, 0),
                     total=i18n.count(total, "row", lang)))
    csv = lambda: tables.csv_bytes(data.csv_rows(store, filters)[0], lang)  # noqa: E731
    url = nav.view_url(state.EXPLORER)  # now: the download runs outside this run, without its session
    downloads.controls(lambda: explorer_bundle(store, filters, lang, url), tables.csv_name(filters)[:-4], lang, "csv",
                       where=c2, csv=csv)


def explorer_bundle(store: data.Store, filters: Filters, lang: Lang, url: str) -> downloads.Bundle:
    """The explorer's rows (the CSV's columns) with their README."""
    rows, total = data.csv_rows(store, filters)
    frame = tables.csv_frame(rows, lang)
    caveats = [t("caveat_extracted", lang), t("caveat_partial", lang)]
    if total > len(rows):
        caveats.append(t("csv_capped", lang, cap=i18n.format_number(len(rows), lang, 0),
                         total=i18n.count(total, "row", lang)))
    outlets = rows["outlet"].fillna("").replace("", t("no_url", lang)).value_counts()
    return downloads.Bundle(
        stem=tables.csv_name(filters)[:-4], title=f"{t('app_title', lang)} — {t('page_explorer', lang)}",
        filters=describe.filter_parts(filters, lang), url=url, data=frame,
        units=t("units_claims", lang), method=t("method_claims", lang), caveats=caveats,
        sources=[f"{o}: {i18n.count(int(n), 'figure', lang)}" for o, n in outlets.items()], lang=lang,
        csv=tables.csv_bytes(rows, lang),
    )


# ---------------------------------------------------------------- one figure, its sentence, its article

def evidence(store: data.Store, lang: Lang) -> None:
    st.subheader(t("evidence", lang))
    claim_id = _view().claim
    if not claim_id:
        st.info(t("evidence_hint", lang))
        return
    row = data.claim_detail(store.path, store.version, claim_id)
    if row is None:
        st.warning(t("claim_gone", lang))
        st.button(t("clear_selection", lang), on_click=_clear_claim)
        return
    c1, c2 = st.columns(2)
    nav.link(state.CLAIM, t("figure_page", lang), state.ClaimState(claim_id), c1, icon=":material/link:")
    nav.pair_link((str(row["country_a"]), str(row["country_b"])), lang, c2, icon=":material/compare_arrows:")
    claim_body(store, row, lang, on_clear=_clear_claim)


def claim_body(store: data.Store, row: dict, lang: Lang, on_clear=None) -> None:
    """One figure: a tile, its sentence with the figure marked, its article's details, how it was read,
    a link to the original and the whole article with every figure marked."""
    claim_id = str(row["claim_id"])
    figure = tables.figure(row, lang)
    pair = i18n.pair_label(str(row["pair"]), lang)
    until = i18n.partial_until(tables.day(row["period_end"]), tables.day(row["doc_published"]), row["modality"])
    when = i18n.format_period(row["period"], lang, until) if isinstance(row["period"], str) else t("no_period", lang)
    st.html(views.tiles_html([(
        f"{i18n.indicator_label(row['indicator'], lang)} · {i18n.modality_label(row['modality'], lang)}",
        figure, f"{pair} · {when}",
    )]))
    st.html(views.sentence_html(str(row["sentence"]), int(row["sentence_start"]), int(row["span_start"]),
                                int(row["span_end"])))
    doc, doc_claims = data.document(store.path, store.version, str(row["doc_id"]))
    published = i18n.format_date(row["doc_published"], lang) if not pd.isna(row["doc_published"]) else ""
    if doc is not None and doc.get("published_inferred") and published:
        published += f" ({t('published_inferred', lang)})"
    st.html(views.meta_html([
        (t("col_title", lang), row["doc_title"] if isinstance(row["doc_title"], str) else t("untitled", lang)),
        (t("published", lang), published),
        (t("outlet", lang), row["outlet"] or t("no_url", lang)),
        (t("as_written", lang), row["figure_text"]),
        ("URL", row["doc_url"] if isinstance(row["doc_url"], str) else ""),
        (t("extracted_by", lang), row["extractor_version"] if isinstance(row["extractor_version"], str) else ""),
    ]))
    snapshot = _snapshot(store.path, doc)
    if snapshot is not None:  # a fetched page: the bytes it came from, as `fetch` saved them
        rel, path = snapshot
        st.html(views.meta_html([(t("snapshot", lang), rel)]))
        if path is not None:
            st.download_button(t("snapshot_download", lang), data=path.read_bytes(), file_name=path.name,
                               mime="text/html" if path.suffix == ".html" else "application/octet-stream",
                               key="snapshot", icon=":material/download:")
    how = _trace_lines(row.get("trace"), lang)
    if how:  # claims stored before traces existed have none
        st.html(views.trace_html(t("how_read", lang), how))
    url = views.safe_url(row["doc_url"] if isinstance(row["doc_url"], str) else None)
    c1, c2 = st.columns(2)
    if url:
        c1.link_button(t("open_source", lang), url, icon=":material/open_in_new:")
    if on_clear is not None:
        c2.button(t("clear_selection", lang), on_click=on_clear, key="clear_claim")
    if doc is not None:
        marks = [
            views.Mark(
                int(c["span_start"]), int(c["span_end"]),
                f"{i18n.indicator_label(c['indicator'], lang)}: {tables.figure(c, lang)}",
                selected=c["claim_id"] == claim_id,
            )
            for c in doc_claims.to_dict("records")
        ]
        with st.expander(t("whole_article", lang, n=i18n.count(len(marks), "figure", lang)), expanded=False):
            st.html(views.document_html(str(doc["text"]), marks))


SNAPSHOT_PREFIX = "snapshot:"  # documents.source of a page `fetch` saved (etl/fetch.py)
SNAPSHOT_MAX_BYTES = 20 * 1024 * 1024


def _snapshot(store_path: str | Path, doc: dict | None) -> tuple[str, Path | None] | None:
    """(the snapshot's name, its file when it is here) of a fetched document, else None.

    Snapshots live in `snapshots/` beside the store (fetch's default); a store moved without them
    still names the snapshot."""
    source = doc.get("source") if doc else None
    if not isinstance(source, str) or not source.startswith(SNAPSHOT_PREFIX):
        return None
    rel = source[len(SNAPSHOT_PREFIX):]
    folder = (Path(store_path).parent / "snapshots").resolve()
    path = (folder / rel).resolve()
    ok = path.is_relative_to(folder) and path.is_file() and path.stat().st_size <= SNAPSHOT_MAX_BYTES
    return rel, path if ok else None


def stored_trace(raw: object) -> dict:
    """A trace as the store keeps it (JSON text), read; {} for a row stored without one or a broken one."""
    if not isinstance(raw, str):
        return {}
    try:
        trace = json.loads(raw)
    except ValueError:
        return {}
    return trace if isinstance(trace, dict) else {}


def _trace_lines(raw: object, lang: Lang) -> list[tuple[str, str, str]]:
    """The stored trace as (field, plain words, rule) lines; none for claims stored without one."""
    return [(t(f"field_{field}", lang), words, rule)
            for field, rule, words in rules.explain(stored_trace(raw), lang)]


def _clear_claim() -> None:
    _set_view(claim=None)

