"""The page's sections: sidebar filters, headline tiles, chart, table, the source panel, empty states.

Widget values live in `st.session_state` under the keys below; the URL is written from them at the end
of each run (`sync_url`) and read into them once per session (`seed_from_url`)."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, data, i18n, tables, views
from dashboard.filters import NO_OUTLET, Filters, Options, View, parse_query, restrict, to_query
from dashboard.i18n import LANGS, Lang, t
from dashboard.index import Counts, Series
from etl import rules
from etl.vocabulary import MODALITIES

K_LANG = "lang"
K_COUNTRY, K_PARTNERS, K_PAIRS = "f_country", "f_partners", "f_pairs"
K_INDICATORS, K_MODALITIES, K_YEARS, K_OUTLETS, K_SEARCH = (
    "f_indicators", "f_modalities", "f_years", "f_outlets", "f_search",
)
K_SERIES, K_UNDATED, K_CLAIM = "v_series", "v_undated", "v_claim"
K_CHART, K_TABLE, K_TABLE_IDS = "chart", "table", "_table_claim_ids"
K_YEARS_RANGE = "_years_range"
_SEEDED = "_seeded_from_url"
_FILTER_KEYS = (K_COUNTRY, K_PARTNERS, K_PAIRS, K_INDICATORS, K_MODALITIES, K_YEARS, K_OUTLETS, K_SEARCH)


# ---------------------------------------------------------------- URL <-> session state

def _query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def url_state() -> tuple[Filters, View]:
    return parse_query(_query_params())


def seed_language() -> Lang:
    """The language: from the URL on the first run of a session, then from the switch."""
    if K_LANG not in st.session_state:
        st.session_state[K_LANG] = url_state()[1].lang
    return st.session_state[K_LANG]


def seed_from_url(options: Options) -> None:
    """Once per session: the URL's filters (those the database can honour) into the widgets' state."""
    if st.session_state.get(_SEEDED):
        return
    filters, view = url_state()
    f = restrict(filters, options)
    st.session_state[K_COUNTRY] = f.country
    st.session_state[K_PARTNERS] = list(f.partners)
    st.session_state[K_PAIRS] = [_pair_key(p) for p in f.pairs]
    st.session_state[K_INDICATORS] = [i for i in f.indicators if i in options.indicators]
    st.session_state[K_MODALITIES] = list(f.modalities)
    if options.years is not None:
        lo, hi = options.years
        st.session_state[K_YEARS] = (f.year_from if f.year_from is not None else lo,
                                     f.year_to if f.year_to is not None else hi)
    st.session_state[K_OUTLETS] = list(f.outlets)
    st.session_state[K_SEARCH] = f.search
    st.session_state[K_UNDATED] = view.undated
    st.session_state[K_CLAIM] = view.claim
    if view.series:
        st.session_state[K_SERIES] = view.series
    st.session_state[_SEEDED] = True


def sync_url(filters: Filters, view: View) -> None:
    """Write the current state into the address bar (only when it changed, to keep history clean)."""
    want = to_query(filters, view)
    if want != _query_params():
        st.query_params.from_dict(want)


def _pair_key(pair: tuple[str, str]) -> str:
    return f"{pair[0]}-{pair[1]}"


def _keep_valid(key: str, allowed: set) -> None:
    """Drop state values a widget no longer offers (new data, another country): a multiselect would
    otherwise refuse to render."""
    current = st.session_state.get(key)
    if isinstance(current, list):
        st.session_state[key] = [v for v in current if v in allowed]
    elif current is not None and current not in allowed:
        st.session_state[key] = None


def _reset_filters() -> None:
    for key in _FILTER_KEYS:
        st.session_state.pop(key, None)
    st.session_state[K_CLAIM] = None


# ---------------------------------------------------------------- sidebar

def language_switch(lang: Lang) -> Lang:
    st.sidebar.segmented_control(
        t("language", lang), LANGS, key=K_LANG, format_func={"en": "English", "ru": "Русский"}.get,
        required=True,
    )
    return st.session_state[K_LANG]


def sidebar_filters(options: Options, lang: Lang) -> Filters:
    """The filter widgets; returns what they select."""
    sb = st.sidebar
    sb.header(t("filters", lang))

    _keep_valid(K_COUNTRY, set(options.countries))
    country = sb.selectbox(
        t("country", lang), [None, *options.countries], key=K_COUNTRY, placeholder=t("any_country", lang),
        format_func=lambda c: t("any_country", lang) if c is None else i18n.country_option(c, lang),
    )
    partners_all = options.partners_of(country) if country else ()
    _keep_valid(K_PARTNERS, set(partners_all))
    partners = sb.multiselect(
        t("partners", lang), list(partners_all), key=K_PARTNERS, disabled=not country,
        help=t("partners_help", lang), placeholder=t("all", lang),
        format_func=lambda c: i18n.country_option(c, lang),
    )
    pair_keys = [_pair_key(p) for p in options.pairs]
    _keep_valid(K_PAIRS, set(pair_keys))
    pairs = sb.multiselect(
        t("pairs", lang), pair_keys, key=K_PAIRS, placeholder=t("all", lang),
        format_func=lambda k: i18n.pair_label(k.replace("-", "–"), lang),
    )
    _keep_valid(K_INDICATORS, set(options.indicators))
    indicators = sb.multiselect(
        t("indicators", lang), list(options.indicators), key=K_INDICATORS, placeholder=t("all", lang),
        format_func=lambda i: i18n.indicator_label(i, lang),
    )
    modalities = sb.pills(
        t("modalities", lang), list(MODALITIES), key=K_MODALITIES, selection_mode="multi",
        format_func=lambda m: i18n.modality_label(m, lang),
    )
    year_from = year_to = None
    if options.years is not None and options.years[0] < options.years[1]:
        lo, hi = options.years
        current = st.session_state.get(K_YEARS)
        if not (isinstance(current, (tuple, list)) and len(current) == 2) or (
            tuple(current) == st.session_state.get(K_YEARS_RANGE)  # the whole range stays the whole range
        ):
            st.session_state[K_YEARS] = (lo, hi)
        else:
            a, b = (min(max(int(v), lo), hi) for v in current)
            st.session_state[K_YEARS] = (min(a, b), max(a, b))
        st.session_state[K_YEARS_RANGE] = (lo, hi)  # when new data widens it, an untouched slider follows
        y0, y1 = sb.slider(t("period", lang), min_value=lo, max_value=hi, key=K_YEARS, step=1,
                           help=t("period_help", lang))
        if (y0, y1) != (lo, hi):
            year_from, year_to = y0, y1
    _keep_valid(K_OUTLETS, set(options.outlets))
    outlets = sb.multiselect(
        t("outlets", lang), list(options.outlets), key=K_OUTLETS, placeholder=t("all", lang),
        format_func=lambda o: t("no_url", lang) if o == NO_OUTLET else o,
    )
    search = sb.text_input(t("search", lang), key=K_SEARCH, placeholder=t("search_placeholder", lang),
                           max_chars=200, help=t("search_help", lang))
    sb.button(t("reset", lang), on_click=_reset_filters, width="stretch")
    sb.caption(t("share_hint", lang))
    return Filters(
        country=country,
        partners=tuple(partners) if country else (),
        pairs=tuple(tuple(k.split("-", 1)) for k in pairs),  # type: ignore[misc]
        indicators=tuple(indicators),
        modalities=tuple(m for m in MODALITIES if m in (modalities or [])),
        year_from=year_from,
        year_to=year_to,
        outlets=tuple(outlets),
        search=(search or "").strip(),
    )


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
    keys = [s.key for s in series]
    if st.session_state.get(K_SERIES) not in keys:
        st.session_state[K_SERIES] = keys[0]
    by_key = {s.key: s for s in series}
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    key = c1.selectbox(t("series", lang), keys, key=K_SERIES, format_func=lambda k: series_label(by_key[k], lang))
    c2.toggle(t("undated", lang), key=K_UNDATED)
    return by_key[key]


def _tile(row: dict | None, label: str, lang: Lang) -> tuple[str, str, str]:
    if row is None:
        return label, t("none_yet", lang), ""
    value = i18n.format_figure(row["value"], row["unit"], lang, kind=row["kind"], comparator=row["comparator"],
                               value_max=row["value_max"])
    when = i18n.format_period(row["period"], lang) if row["period"] else t("no_period", lang)
    source = row["outlet"] or t("no_url", lang)
    return label, value, f"{row['pair']} · {when} · {source} · {i18n.format_date(row['doc_published'], lang)}"


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
        st.session_state[K_CLAIM] = str(picked[0]["claim_id"])


def chart(sv: data.SeriesView, series: Series, lang: Lang) -> pd.DataFrame:
    """The series chart with its notes and export buttons; returns the chart's data (for disagreements)."""
    df, y_title = charts.chart_data(sv.points, series, lang)
    n_undated = series.n_undated if not st.session_state.get(K_UNDATED) else 0
    if df.empty:
        st.info(t("no_chart_points", lang))
    else:
        many = df["line"].nunique() > 10
        spec = charts.retitle(_base_spec(lang), y_title, many, zero=series.kind == "level")
        st.vega_lite_chart(df, spec, key=K_CHART, on_select=_on_chart_select,
                           selection_mode=charts.SELECTION, width="stretch", height=440)
        notes = []
        n_points = len(sv.points["claim_id"])
        if sv.n_dated > n_points:
            notes.append(t("points_capped", lang, shown=i18n.format_number(n_points, lang, 0),
                           total=i18n.format_number(sv.n_dated, lang, 0)))
        if n_undated:
            notes.append(t("undated_note", lang, n=i18n.format_number(n_undated, lang, 0)))
        if notes:
            st.caption(" ".join(notes))
        stem = f"{series.indicator}-{series.kind}-{series.unit.replace('%', 'pct')}"
        title = f"{series_label(series, lang)} — {t('app_title', lang)}"
        full = lambda: charts.with_data(charts.series_chart(series, y_title, lang, many), df, title)  # noqa: E731
        b1, b2, _ = st.columns([1, 1, 4])
        b1.download_button("PNG", data=lambda: charts.export(full(), "png"), help=t("download_png", lang),
                           file_name=f"{stem}.png", mime="image/png", on_click="ignore", icon=":material/image:",
                           key="png")
        b2.download_button("SVG", data=lambda: charts.export(full(), "svg"), help=t("download_svg", lang),
                           file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore",
                           icon=":material/polyline:", key="svg")
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
    state = st.session_state.get(K_TABLE)
    rows = (state or {}).get("selection", {}).get("rows") or []
    ids = st.session_state.get(K_TABLE_IDS) or []
    if rows and rows[0] < len(ids):
        st.session_state[K_CLAIM] = ids[rows[0]]


def table(store: data.Store, ov: data.Overview, filters: Filters, lang: Lang) -> None:
    st.subheader(t("table", lang))
    shown = tables.readable(ov.table, lang)
    st.session_state[K_TABLE_IDS] = shown["claim_id"].tolist()
    labels = tables.labels(lang)
    config = {key: st.column_config.TextColumn(label) for key, label in labels.items()}
    config["source"] = st.column_config.LinkColumn(labels["source"], display_text=t("open_link", lang), width="small")
    config["figure"] = st.column_config.TextColumn(labels["figure"], width="medium")
    config["title"] = st.column_config.TextColumn(labels["title"], width="large")
    st.dataframe(
        shown, key=K_TABLE, hide_index=True, width="stretch", height=420,
        column_order=[k for k, _ in tables.TABLE_COLUMNS], column_config=config,
        on_select=_on_table_select, selection_mode="single-row",
    )
    total = ov.counts.figures
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.caption(t("showing", lang, shown=i18n.format_number(len(shown), lang, 0),
                 total=i18n.format_number(total, lang, 0)))
    if total > data.CSV_MAX_ROWS:
        c1.caption(t("csv_capped", lang, cap=i18n.format_number(data.CSV_MAX_ROWS, lang, 0),
                     total=i18n.format_number(total, lang, 0)))
    c2.download_button(
        t("download_csv", lang), data=lambda: tables.csv_bytes(data.csv_rows(store, filters)[0], lang),
        file_name=f"claims-{date.today().isoformat()}.csv", mime="text/csv", on_click="ignore",
        icon=":material/download:", type="primary", key="csv",
    )


# ---------------------------------------------------------------- one figure, its sentence, its article

def evidence(store: data.Store, lang: Lang) -> None:
    st.subheader(t("evidence", lang))
    claim_id = st.session_state.get(K_CLAIM)
    if not claim_id:
        st.info(t("evidence_hint", lang))
        return
    row = data.claim_detail(store.path, store.version, claim_id)
    if row is None:
        st.warning(t("claim_gone", lang))
        st.button(t("clear_selection", lang), on_click=lambda: st.session_state.update({K_CLAIM: None}))
        return
    figure = tables.figure(row, lang)
    pair = i18n.pair_label(str(row["pair"]), lang)
    when = i18n.format_period(row["period"], lang) if isinstance(row["period"], str) else t("no_period", lang)
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
    how = _trace_lines(row.get("trace"), lang)
    if how:  # claims stored before traces existed have none
        st.html(views.trace_html(t("how_read", lang), how))
    url = views.safe_url(row["doc_url"] if isinstance(row["doc_url"], str) else None)
    c1, c2 = st.columns(2)
    if url:
        c1.link_button(t("open_source", lang), url, icon=":material/open_in_new:")
    c2.button(t("clear_selection", lang), on_click=lambda: st.session_state.update({K_CLAIM: None}),
              key="clear_claim")
    if doc is not None:
        marks = [
            views.Mark(
                int(c["span_start"]), int(c["span_end"]),
                f"{i18n.indicator_label(c['indicator'], lang)}: {tables.figure(c, lang)}",
                selected=c["claim_id"] == claim_id,
            )
            for c in doc_claims.to_dict("records")
        ]
        with st.expander(t("whole_article", lang, n=len(marks)), expanded=False):
            st.html(views.document_html(str(doc["text"]), marks))


def _trace_lines(raw: object, lang: Lang) -> list[tuple[str, str, str]]:
    """The stored trace (JSON) as (field, plain words, rule) lines; none for claims stored without one."""
    if not isinstance(raw, str):
        return []
    try:
        trace = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(trace, dict):
        return []
    return [(t(f"field_{field}", lang), words, rule) for field, rule, words in rules.explain(trace, lang)]


def view_state(lang: Lang, series: Series | None) -> View:
    return View(
        lang=lang,
        series=series.key if series else st.session_state.get(K_SERIES),
        undated=bool(st.session_state.get(K_UNDATED)),
        claim=st.session_state.get(K_CLAIM),
    )
