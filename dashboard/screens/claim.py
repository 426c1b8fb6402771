"""A figure's page (`/claim?claim=…`): its permalink, the sentence with the figure marked, its article,
how it was read, its gap to the official statistics of its year (when imported), and the other
statements of the same pair, indicator and period."""
from __future__ import annotations

import functools

import streamlit as st

from dashboard import data, downloads, extras, nav, official, state, tables, ui
from dashboard.i18n import Lang, t
from dashboard.state import ClaimState

K_OTHERS = "c_others"
_GO = "_claim_go"


def _on_row(ids: list[str]) -> None:
    row = tables.selected_row((st.session_state.get(K_OTHERS) or {}).get("selection"))
    if row is not None and 0 <= row < len(ids):
        st.session_state[_GO] = ids[row]


def render(store: data.Store, lang: Lang) -> None:
    go = st.session_state.pop(_GO, None)
    if go is not None:
        nav.go(state.CLAIM, ClaimState(go))
    claim_id = state.get(state.CLAIM).claim  # type: ignore[attr-defined]
    st.title(t("page_claim", lang))
    if not claim_id:
        st.info(t("no_claim", lang))
        nav.link(state.OVERVIEW, t("all_pairs", lang), icon=":material/arrow_back:")
        return
    row = data.claim_detail(store.path, store.version, claim_id)
    if row is None:
        st.warning(t("claim_gone", lang))
        nav.link(state.OVERVIEW, t("all_pairs", lang), icon=":material/arrow_back:")
        return
    url = nav.view_url(state.CLAIM)
    st.caption(t("permalink", lang))
    st.code(url, language=None)
    pair = (str(row["country_a"]), str(row["country_b"]))
    nav.pair_link(pair, lang, icon=":material/compare_arrows:")
    ui.claim_body(store, row, lang)
    gap = official.gap_caption(extras.claim_gap(store.path, store.version, claim_id, store.con), lang, pair)
    if gap:  # only a USD trade figure of a whole year with official statistics of that year has one
        st.info(gap, icon=":material/balance:")

    others = data.same_statements(store.path, store.version, claim_id)
    st.subheader(t("same_statements", lang))
    if not others["claim_id"]:
        st.caption(t("no_same_statements", lang))
    else:
        shown = tables.readable(others, lang)
        ids = shown["claim_id"].tolist()
        labels = tables.labels(lang)
        config = {k: st.column_config.TextColumn(v) for k, v in labels.items()}
        config["source"] = st.column_config.LinkColumn(labels["source"], display_text=t("open_link", lang))
        st.dataframe(shown, key=K_OTHERS, hide_index=True, width="stretch", height=tables.table_height(len(shown)),
                     column_order=[k for k, _ in tables.TABLE_COLUMNS], column_config=config,
                     on_select=functools.partial(_on_row, ids), selection_mode=["single-row", "single-cell"])
        st.caption(t("row_opens_figure", lang))

    def bundle() -> downloads.Bundle:
        rows = data.claims_rows(store, [claim_id, *others["claim_id"]])
        return downloads.Bundle(
            stem=f"figure_{tables.csv_name_part(claim_id)}", title=f"{t('app_title', lang)} — {t('page_claim', lang)}",
            filters=[f"claim_id: {claim_id}"], url=url, data=tables.csv_frame(rows, lang),
            units=t("units_claims", lang), method=t("method_claim", lang),
            caveats=[t("caveat_extracted", lang), t("caveat_partial", lang)],
            sources=[f"{row['outlet'] or t('no_url', lang)}: {row['doc_url'] or ''}"], lang=lang,
            csv=tables.csv_bytes(rows, lang),
        )

    downloads.controls(bundle, f"figure_{tables.csv_name_part(claim_id)}", lang, "claim_dl")
