"""The overview, the site's front page: the pairs ranked by activity (statements, articles), with the
latest year of their trade turnover and its change; filterable by country; a row opens its pair page."""
from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from dashboard import charts, data, downloads, i18n, nav, state, tables
from dashboard.i18n import Lang, t
from dashboard.state import OverviewState, PairState

K_COUNTRY, K_TABLE = "o_country", "o_table"
_GO = "_overview_go"  # the pair a click picked: opened at the start of the next run (not in a callback)
_PICKS = "_overview_picks"  # counts the pair pages opened: the table's key, so it comes back unselected


def _state() -> OverviewState:
    return state.get(state.OVERVIEW)  # type: ignore[return-value]


def _on_country() -> None:
    state.put(state.OVERVIEW, OverviewState(st.session_state[K_COUNTRY]))


def _on_pick(pairs: list[tuple[str, str]], key: str) -> None:
    row = tables.selected_row((st.session_state.get(key) or {}).get("selection"))
    if row is not None and 0 <= row < len(pairs):
        st.session_state[_GO] = pairs[row]


def change(value: float | None, prev: float | None) -> float | None:
    """The relative change from the year before, when both years are on the line and the earlier is not 0."""
    if value is None or prev is None or pd.isna(value) or pd.isna(prev) or prev == 0:
        return None
    return value / prev - 1


def readable(ranking: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The ranking as the table shows it (and its CSV has it): one row per pair."""
    n = lambda x: i18n.format_number(x, lang, 0)  # noqa: E731
    latest, period, delta = [], [], []
    for r in ranking.itertuples():
        has = not pd.isna(r.value)
        latest.append(i18n.format_figure(float(r.value), data.HEADLINE[1], lang) if has else "")
        period.append(str(int(r.year)) if has else "")
        c = change(r.value if has else None, r.prev_value)
        delta.append("" if c is None else f"{'+' if c > 0 else ''}{i18n.format_number(c * 100, lang, 1)}%")
    return pd.DataFrame({
        t("col_pair", lang): [i18n.pair_label(f"{a}{i18n.EN_DASH}{b}", lang)
                              for a, b in zip(ranking["country_a"], ranking["country_b"])],
        t("col_statements", lang): [n(x) for x in ranking["statements"]],
        t("col_articles", lang): [n(x) for x in ranking["articles"]],
        t("col_latest_turnover", lang): latest,
        t("col_year", lang): period,
        t("col_change", lang): delta,
    })


def _bundle(ranking: pd.DataFrame, country: str | None, lang: Lang, url: str) -> downloads.Bundle:
    frame = readable(ranking, lang).assign(
        country_a=ranking["country_a"], country_b=ranking["country_b"], statements=ranking["statements"],
        articles=ranking["articles"], turnover_usd=ranking["value"], turnover_year=ranking["year"],
        previous_year_usd=ranking["prev_value"], turnover_claim_id=ranking["claim_id"],
    )
    return downloads.Bundle(
        stem=f"pairs_{country}" if country else "pairs_all", title=f"{t('app_title', lang)} — {t('page_overview', lang)}",
        filters=[f"{t('d_country', lang)}: {i18n.country_name(country, lang)}"] if country else [],
        url=url, data=frame, units=t("units_overview", lang),
        method=t("method_annual", lang), caveats=[t("caveat_extracted", lang), t("caveat_change", lang)], lang=lang,
        trusted=frozenset(frame.columns) - {"turnover_claim_id"},  # our own numbers and names
    )


def render(store: data.Store, lang: Lang) -> None:
    go = st.session_state.pop(_GO, None)
    if go is not None:  # a row was clicked: its pair page, as a new history entry
        st.session_state[_PICKS] = st.session_state.get(_PICKS, 0) + 1
        nav.go(state.PAIR, PairState(tuple(go), state.get(state.PAIR).scale))  # type: ignore[attr-defined]
    s = _state()
    country = s.country if s.country in store.options.countries else None
    if country != s.country:
        state.put(state.OVERVIEW, OverviewState(country))

    st.title(t("app_title", lang))
    st.caption(t("overview_caption", lang))
    countries = [None, *store.options.countries]
    label = lambda c: t("any_country", lang) if c is None else i18n.country_option(c, lang)  # noqa: E731
    c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
    state.show(K_COUNTRY, country, tuple(map(label, countries)))
    c1.selectbox(t("country", lang), countries, key=K_COUNTRY, format_func=label, on_change=_on_country)
    nav.link(state.EXPLORER, t("explore_all", lang), state.ExplorerState(), c2, icon=":material/table_view:")

    ranking = data.ranking(store.path, store.version, country)
    if ranking.empty:
        st.info(t("no_pairs", lang))
        return
    shown = readable(ranking, lang)
    pairs = list(zip(ranking["country_a"], ranking["country_b"]))
    pair_col = t("col_pair", lang)
    colours = {row: charts.colour(f"{a}-{b}") for row, (a, b) in enumerate(pairs)}
    styled = shown.style.apply(
        lambda col: [f"border-left: 6px solid {colours[i]}" for i in range(len(col))], subset=[pair_col])
    key = f"{K_TABLE}_{st.session_state.get(_PICKS, 0)}"
    st.dataframe(styled, key=key, hide_index=True, width="stretch", height=min(36 * (len(shown) + 1) + 3, 560),
                 on_select=functools.partial(_on_pick, pairs, key), selection_mode=["single-row", "single-cell"],
                 column_config={pair_col: st.column_config.TextColumn(pair_col, width="large")})
    st.caption(t("overview_hint", lang, n=i18n.format_number(len(shown), lang, 0)))
    st.caption(t("method_annual", lang))
    url = nav.view_url(state.OVERVIEW)  # now: the download runs outside this run, without its session
    downloads.controls(lambda: _bundle(ranking, country, lang, url), f"pairs_{country}" if country else "pairs_all",
                       lang, "overview_dl")
