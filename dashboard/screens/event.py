"""A diplomacy event's page (`/event?event=…`), as a figure's: its permalink, the sentence with the words
that state it marked, its article, its fields and how each was read (the trace, in plain words), and the
other events of the same pair; its data as CSV, JSON and ZIP."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, downloads, event_ui, extras, i18n, nav, state, tables
from dashboard.i18n import Lang, t
from dashboard.state import EventState

K_OTHERS = "e_others"
_GO = "_event_go"  # the event a click on a row picked: its page opens at the start of the next run


def _on_row(ids: list[str]) -> None:
    picked = event_ui.picked_row(K_OTHERS, ids)
    if picked is not None:
        st.session_state[_GO] = picked


def render(store: data.Store, lang: Lang) -> None:
    go = st.session_state.pop(_GO, None)
    if go is not None:
        nav.go(state.EVENT, EventState(go))
    event_id = state.get(state.EVENT).event  # type: ignore[attr-defined]
    st.title(t("page_event", lang))
    if not event_id:
        st.info(t("ev_no_event", lang))
        nav.link(state.OVERVIEW, t("all_pairs", lang), icon=":material/arrow_back:")
        return
    row = extras.event_detail(store.path, store.version, event_id, store.con)
    if row is None:
        st.warning(t("ev_gone", lang))
        nav.link(state.OVERVIEW, t("all_pairs", lang), icon=":material/arrow_back:")
        return
    url = nav.view_url(state.EVENT)
    st.caption(t("ev_permalink", lang))
    st.code(url, language=None)
    pair = (str(row["country_a"]), str(row["country_b"]))
    nav.pair_link(pair, lang, icon=":material/compare_arrows:")
    event_ui.body(store, row, lang, "event", page_link=False)

    evs = extras.pair_events(store.path, store.version, pair, store.con)
    others = evs[evs["event_id"] != event_id]
    st.subheader(t("ev_same_pair", lang))
    if others.empty:
        st.caption(t("ev_no_same_pair", lang))
    else:
        event_ui.table(others, lang, K_OTHERS, _on_row, pair=False)
        st.caption(t("ev_row_opens", lang))

    name = i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    stem = f"event_{tables.csv_name_part(event_id)}"
    mine = evs[evs["event_id"] == event_id]
    downloads.controls(lambda: event_ui.bundle(
        pd.concat([mine, others], ignore_index=True), lang, stem=stem,
        title=f"{t('app_title', lang)} — {t('page_event', lang)}",
        filters=[f"event_id: {event_id}", f"{t('ev_pair_filter', lang)}: {name}"], url=url,
        method=t("method_event", lang)), stem, lang, "event_dl")
