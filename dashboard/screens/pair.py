"""A pair's page (`/pair?pair=KAZ-CHN`): the headline (latest actual turnover, its change, the latest
target), per indicator a chart of the yearly line with every statement behind it (and the official
statistics' lines, when imported), the figures and the sources, then the pair's diplomacy: a timeline of
its events, their yearly counts, the dated events and apart the undated ones, and their downloads.
Clicking a point or a row opens that figure's page; clicking an event (a mark or a row) shows its
sentence, article and trace below, with a link to its own page. A pair with events and no figures has a
page of its diplomacy alone."""
from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import (charts, data, describe, downloads, event_ui, events, extras, i18n, nav, official, state, tables,
                       views)
from dashboard.event_filters import EventFilters
from dashboard.filters import Filters
from dashboard.i18n import Lang, t
from dashboard.state import ClaimState, ExplorerState, PairState

K_PAIR, K_SCALE, K_TABLE = "p_pair", "p_scale", "p_table"
K_EVENTS, K_UNDATED, K_TIMELINE = "p_events", "p_events_undated", "p_timeline"
_GO = "_pair_go"  # the figure a click picked: its page opens at the start of the next run
_EVENT = "_pair_event"  # the event a click picked: shown below the timeline (not in the URL: a detail, not a view)
_OFFICIAL = ("trade_turnover", "export", "import")  # the indicators the official statistics have


def _state() -> PairState:
    return state.get(state.PAIR)  # type: ignore[return-value]


def _on_pair() -> None:
    state.put(state.PAIR, PairState(state.parse(state.PAIR, {"pair": [st.session_state[K_PAIR]]}).pair,
                                    _state().scale))


def _on_scale() -> None:
    state.put(state.PAIR, PairState(_state().pair, st.session_state[K_SCALE] or "linear"))


def _on_point(key: str) -> None:
    picked = ((st.session_state.get(key) or {}).get("selection", {}).get(charts.SELECTION)) or []
    if picked and picked[0].get("claim_id"):
        st.session_state[_GO] = str(picked[0]["claim_id"])


def _on_row(ids: list[str]) -> None:
    row = tables.selected_row((st.session_state.get(K_TABLE) or {}).get("selection"))
    if row is not None and 0 <= row < len(ids):
        st.session_state[_GO] = ids[row]


def _on_event_point() -> None:
    picked = ((st.session_state.get(K_TIMELINE) or {}).get("selection", {}).get(events.SELECTION)) or []
    if picked and picked[0].get("event_id"):
        st.session_state[_EVENT] = str(picked[0]["event_id"])


def _on_event_row(key: str, ids: list[str]) -> None:
    picked = event_ui.picked_row(key, ids)
    if picked is not None:
        st.session_state[_EVENT] = picked


@st.cache_data(max_entries=4, show_spinner=False)
def _base_spec(lang: Lang) -> dict:
    return charts.vega_spec(charts.pair_chart(lang))


def _headline(pv: data.PairView, lang: Lang) -> None:
    tiles = []
    h = pv.headline
    if h is None:
        tiles.append((t("latest_turnover", lang), t("none_yet", lang), ""))
        tiles.append((t("col_change", lang), "—", ""))
    else:
        tiles.append((t("latest_turnover", lang), tables.figure(h, lang),
                      f"{h['year']} · {h['outlet'] or t('no_url', lang)} · {i18n.format_date(h['doc_published'], lang)}"))
        prev = h["prev_value"]
        if prev:
            c = h["value"] / prev - 1
            tiles.append((t("col_change", lang), f"{'+' if c > 0 else ''}{i18n.format_number(c * 100, lang, 1)}%",
                          t("vs_year", lang, year=h["year"] - 1,
                            value=i18n.format_figure(prev, h["unit"], lang))))
        else:
            tiles.append((t("col_change", lang), "—", t("no_prev_year", lang, year=h["year"] - 1)))
    g = pv.target
    if g is None:
        tiles.append((t("latest_target", lang), t("none_yet", lang), ""))
    else:
        horizon = i18n.format_period(g["period"], lang) if g["period"] else t("no_period", lang)
        tiles.append((t("latest_target", lang), tables.figure(g, lang),
                      t("target_sub", lang, horizon=horizon, outlet=g["outlet"] or t("no_url", lang),
                        date=i18n.format_date(g["doc_published"], lang))))
    st.html(views.tiles_html(tiles))


def _official(store: data.Store, pair: tuple[str, str], ps: data.PairSeries) -> list[tuple[pd.DataFrame, str]]:
    """The official lines that belong on this chart, each with its direction ('' for turnover): the
    statistics are in USD, and an export or import chart gets the flows in the directions its figures state."""
    s = ps.series
    if s.unit != "USD" or s.indicator not in _OFFICIAL:
        return []
    if s.indicator == "trade_turnover":
        directions: list[str | None] = [None]
    else:
        directions = sorted({f for f in ps.points["flow_from"] if isinstance(f, str) and f in pair})
    out = []
    for f in directions:
        lines = extras.official_lines(store.path, store.version, pair, s.indicator, f, store.con)
        if not lines.empty:
            out.append((lines, "" if f is None else f"{f}→{pair[1] if f == pair[0] else pair[0]}"))
    return out


def _chart(store: data.Store, ps: data.PairSeries, pair: tuple[str, str], log: bool, lang: Lang, i: int) -> None:
    s = ps.series
    st.subheader(f"{i18n.indicator_label(s.indicator, lang)} · {s.unit}")
    off = _official(store, pair, ps)
    scale = charts.pair_scale(ps.points, ps.annual, s, lang, [v for lines, _ in off for v in lines["value_usd"]])
    df, line, y_title = charts.pair_data(ps.points, ps.annual, s, lang, scale)
    if log and not df.empty:
        df = df[df["y"] > 0]  # a log axis has no place for 0 or less
        line = [p for p in line if p["y"] > 0]
    if df.empty:
        st.info(t("no_chart_points", lang))
        return
    colour = charts.colour(f"{pair[0]}-{pair[1]}")
    spec = charts.pair_spec(_base_spec(lang), y_title, colour, log, line)
    spec = official.overlay(spec, [official.official_layer(lines, scale[0], lang, d) for lines, d in off])
    key = f"p_chart_{i}"
    st.vega_lite_chart(df, spec, key=key, on_select=functools.partial(_on_point, key), selection_mode=charts.SELECTION,
                       width="stretch", height=320)
    notes = [t("line_points", lang, years=len(ps.annual), n=i18n.count(len(ps.points["claim_id"]), "figure", lang))]
    if ps.n_dated > len(ps.points["claim_id"]):
        notes.append(t("points_capped", lang, shown=i18n.format_number(len(ps.points["claim_id"]), lang, 0),
                       total=i18n.count(ps.n_dated, "figure", lang)))
    source = t("official_source", lang, files=official.source_files([lines for lines, _ in off])) if off else ""
    if source:
        notes.append(source)
    st.caption(" ".join(notes))
    pair_name = i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    title = f"{pair_name}: {i18n.indicator_label(s.indicator, lang)}"
    sub = [t("chart_sub_pair", lang), downloads.source_line(lang, nav.view_url(state.PAIR))]
    if source:  # the exported chart names where its dashed lines come from
        sub.append(source)

    full = lambda: charts.titled_spec(spec, df, title, sub)  # noqa: E731
    downloads.chart_export(full, f"{pair[0]}-{pair[1]}_{s.indicator}_{s.unit}", lang, f"p_export_{i}")


def _bundle(store: data.Store, pv: data.PairView, pair: tuple[str, str], lang: Lang, url: str) -> downloads.Bundle:
    filters = Filters(pairs=(pair,))
    rows, total = data.csv_rows(store, filters)
    yearly = pd.concat([ps.annual.assign(indicator=ps.series.indicator, unit=ps.series.unit) for ps in pv.charts],
                       ignore_index=True) if pv.charts else pd.DataFrame()
    caveats = [t("caveat_extracted", lang), t("caveat_partial", lang)]
    if total > len(rows):
        caveats.append(t("csv_capped", lang, cap=i18n.format_number(len(rows), lang, 0),
                         total=i18n.count(total, "row", lang)))
    name = i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    return downloads.Bundle(
        stem=f"pair_{pair[0]}-{pair[1]}", title=f"{t('app_title', lang)} — {name}",
        filters=describe.filter_parts(filters, lang), url=url, data=tables.csv_frame(rows, lang),
        units=t("units_claims", lang), method=t("method_annual", lang), caveats=caveats,
        sources=[f"{r.outlet or t('no_url', lang)}: {i18n.count(int(r.statements), 'figure', lang)}"
                 for r in pv.sources.itertuples()],
        extra={"yearly": yearly}, lang=lang, csv=tables.csv_bytes(rows, lang),
    )


def render(store: data.Store, lang: Lang) -> None:
    go = st.session_state.pop(_GO, None)
    if go is not None:
        nav.go(state.CLAIM, ClaimState(go))
    s = _state()
    pair = s.pair if s.pair in store.options.pairs else None
    keys = [state.pair_key(p) for p in store.options.pairs]
    label = lambda k: i18n.pair_label(k.replace("-", i18n.EN_DASH), lang)  # noqa: E731
    if pair is None and s.pair in extras.event_options(store.path, store.version, store.con)["pairs"]:
        _events_only(store, s.pair, lang)  # a pair the news reports contacts of, but no figures
        return
    if pair is None:
        st.title(t("page_pair", lang))
        st.info(t("no_pair", lang) if s.pair is None else t("pair_gone", lang, pair=state.pair_key(s.pair)))
        state.show(K_PAIR, None, tuple(map(label, keys)))
        st.selectbox(t("pick_pair", lang), keys, key=K_PAIR, format_func=label, index=None, on_change=_on_pair)
        nav.link(state.OVERVIEW, t("all_pairs", lang), icon=":material/arrow_back:")
        return

    pv = data.pair_view(store.path, store.version, pair)
    colour = charts.colour(state.pair_key(pair))
    name = i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    st.html(f'<h1 style="border-left: .5rem solid {colour}; padding-left: .6rem">{views.esc(name)}</h1>')
    n = lambda x: i18n.format_number(x, lang, 0)  # noqa: E731
    st.caption(f"{t('n_claims', lang)}: **{n(pv.counts.figures)}** · {t('n_docs', lang)}: **{n(pv.counts.articles)}**")
    c1, c2, c3 = st.columns([2, 2, 3], vertical_alignment="bottom")
    nav.link(state.OVERVIEW, t("all_pairs", lang), where=c1, icon=":material/arrow_back:")
    nav.link(state.EXPLORER, t("explore_pair", lang), ExplorerState(Filters(pairs=(pair,))), c2,
             icon=":material/table_view:")
    state.show(K_SCALE, s.scale)
    c3.segmented_control(t("axis_scale", lang), list(state.SCALES), key=K_SCALE, required=True,
                         format_func=lambda x: t(f"scale_{x}", lang), on_change=_on_scale)
    _headline(pv, lang)
    st.caption(t("method_annual", lang))

    for i, ps in enumerate(pv.charts):
        _chart(store, ps, pair, s.scale == "log", lang, i)

    st.subheader(t("table", lang))
    shown = tables.readable(pv.table, lang)
    ids = shown["claim_id"].tolist()
    labels = tables.labels(lang)
    widths = tables.column_widths(shown, labels)
    config = {key: st.column_config.TextColumn(lab, width=widths[key]) for key, lab in labels.items()}
    config["source"] = st.column_config.LinkColumn(labels["source"], display_text=t("open_link", lang),
                                                   width=widths["source"])
    st.dataframe(shown, key=K_TABLE, hide_index=True, width="stretch", height=tables.table_height(len(shown)),
                 column_order=[k for k, _ in tables.TABLE_COLUMNS if k != "pair"], column_config=config,
                 on_select=functools.partial(_on_row, ids), selection_mode=["single-row", "single-cell"])
    st.caption(t("showing", lang, shown=n(len(shown)), total=i18n.count(pv.counts.figures, "figure", lang))
               + " " + t("row_opens_figure", lang))

    st.subheader(t("sources_title", lang))
    src = pv.sources.assign(outlet=pv.sources["outlet"].replace("", t("no_url", lang))).rename(columns={
        "outlet": t("col_outlet", lang), "statements": t("col_statements", lang), "articles": t("col_articles", lang)})
    st.dataframe(src, hide_index=True, width="content", height=tables.table_height(len(src)))
    url = nav.view_url(state.PAIR)  # now: the download runs outside this run, without its session
    downloads.controls(lambda: _bundle(store, pv, pair, lang, url), f"pair_{pair[0]}-{pair[1]}", lang, "pair_dl")
    _diplomacy(store, pair, lang)
    st.caption(t("as_of", lang, date=date.today().isoformat()))


# ---------------------------------------------------------------- diplomacy (issue 11)

def _events_only(store: data.Store, pair: tuple[str, str], lang: Lang) -> None:
    """The page of a pair with diplomacy events and no figures: its title, and its diplomacy."""
    name = i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    st.html(f'<h1 style="border-left: .5rem solid {charts.colour(state.pair_key(pair))}; padding-left: .6rem">'
            f'{views.esc(name)}</h1>')
    st.info(t("ev_pair_only", lang))
    nav.link(state.OVERVIEW, t("all_pairs", lang), icon=":material/arrow_back:")
    _diplomacy(store, pair, lang)


def _diplomacy(store: data.Store, pair: tuple[str, str], lang: Lang) -> None:
    """The pair's events: a timeline (a click picks one), yearly counts, a table of the dated events (a
    row picks one) and, apart, the undated ones at their article's date; the picked event's sentence,
    article and trace (with a link to its own page); the events' CSV, JSON and ZIP."""
    st.subheader(t("diplomacy", lang))
    evs = extras.pair_events(store.path, store.version, pair, store.con)
    shown = events.timeline_data(evs, lang)
    if shown.empty:
        st.info(t("diplomacy_none", lang))
        return
    st.caption(t("diplomacy_hint", lang))
    nav.link(state.EXPLORER, t("ev_in_explorer", lang),
             ExplorerState(Filters(pairs=(pair,)), events=EventFilters(show=True)), icon=":material/table_view:")
    st.altair_chart(events.timeline_chart(evs, lang), key=K_TIMELINE, on_select=_on_event_point,
                    selection_mode=events.SELECTION, width="stretch")
    st.markdown(f"**{t('diplomacy_counts', lang)}**")
    counts = events.yearly_counts(evs, lang)
    st.dataframe(counts, width="stretch", height=tables.table_height(len(counts)))

    undated = evs["date_start"].isna()
    ids = []
    if (~undated).any():
        st.markdown(f"**{t('diplomacy_events', lang)}**")
        ids += event_ui.table(evs[~undated], lang, K_EVENTS, functools.partial(_on_event_row, K_EVENTS), pair=False)
    if undated.any():  # listed apart, at their article's date
        st.markdown(f"**{t('ev_undated_title', lang)}**")
        ids += event_ui.table(evs[undated], lang, K_UNDATED, functools.partial(_on_event_row, K_UNDATED), pair=False)

    name = i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    url = nav.view_url(state.PAIR)
    stem = f"events_{pair[0]}-{pair[1]}"
    downloads.controls(lambda: event_ui.bundle(
        evs, lang, stem=stem, title=f"{t('app_title', lang)} — {name}: {t('diplomacy', lang)}",
        filters=[f"{t('ev_pair_filter', lang)}: {name}"], url=url, method=t("method_pair_events", lang),
        extra={"yearly": counts.reset_index()}), stem, lang, "pair_events_dl")

    picked = st.session_state.get(_EVENT)
    if picked in ids:  # an event of another pair (picked before the pair changed) is not shown here
        row = extras.event_detail(store.path, store.version, picked, store.con)
        if row is not None:
            st.markdown(f"**{t('diplomacy_event', lang)}**")
            event_ui.body(store, row, lang, "p_event")
