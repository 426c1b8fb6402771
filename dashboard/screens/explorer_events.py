"""The explorer's events view (issue 11): `/explorer?what=events`. The sidebar's "What to explore" switch
chooses figures or diplomacy events; with events, the sidebar filters them by the explorer's sides
(country, partners, pairs), years, outlets and sentence search, and by their own type, level and status
(took place or planned); the page says in plain words what is filtered, draws the events on a timeline,
counts them per year, lists them (a click on a mark or a row shows the event's sentence and article
beside, with a link to its own page) and offers them as CSV, JSON and ZIP.

Its state is the explorer's (`state.ExplorerState`): the shared `Filters` and the events' own
`EventFilters`, both in the URL; the widgets are drawn from it (`state.show`) and edit it in their
callbacks, as the figures' sidebar does (dashboard/ui.py)."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import downloads, event_filters, event_ui, events, extras, i18n, nav, state, views
from dashboard.data import Store
from dashboard.event_filters import WHAT, EventFilters
from dashboard.filters import NO_OUTLET, Filters, Options, options_from_pairs, restrict
from dashboard.i18n import Lang, t
from dashboard.state import ExplorerState
from etl.vocabulary import EVENT_MODALITIES, EVENT_TYPES, LEVELS

K_WHAT = "x_what"
K_COUNTRY, K_PARTNERS, K_PAIRS = "e_country", "e_partners", "e_pairs"
K_TYPES, K_LEVELS, K_STATUS, K_YEARS, K_OUTLETS, K_SEARCH = (
    "e_types", "e_levels", "e_status", "e_years", "e_outlets", "e_search",
)
K_TIMELINE, K_TABLE = "e_timeline", "e_table"
TABLE_ROWS = 500  # rows the table shows (the most recent); the downloads have them all
PAIR_LINKS = 8


# ---------------------------------------------------------------- the state

def _state() -> ExplorerState:
    return state.get(state.EXPLORER)  # type: ignore[return-value]


def _ef() -> EventFilters:
    return _state().events


def _set_filters(**changes: object) -> None:
    state.put(state.EXPLORER, replace(_state(), filters=replace(_state().filters, **changes)))


def _set_events(**changes: object) -> None:
    state.put(state.EXPLORER, replace(_state(), events=replace(_ef(), **changes)))


def _reset() -> None:
    state.put(state.EXPLORER, replace(_state(), filters=Filters(), events=EventFilters(show=True)))


# ---------------------------------------------------------------- the switch

def _on_what() -> None:
    _set_events(show=st.session_state[K_WHAT] == "events")


def switch(lang: Lang) -> bool:
    """The sidebar's "What to explore: Figures | Diplomacy events"; True when the explorer shows events."""
    label = lambda w: t(f"what_{w}", lang)  # noqa: E731
    state.show(K_WHAT, "events" if _ef().show else "figures", tuple(map(label, WHAT)))
    st.sidebar.segmented_control(t("explore_what", lang), list(WHAT), key=K_WHAT, required=True, format_func=label,
                                 on_change=_on_what)
    return _ef().show


# ---------------------------------------------------------------- the sidebar

@st.cache_data(max_entries=4, show_spinner=False)
def _options(path: str, version: tuple, _store: Store) -> Options:
    """What the events view offers: the pairs, outlets and years of the figures and of the events (a pair
    picked for its figures stays picked, and shows it has no events rather than every event)."""
    eo = extras.event_options(path, version, _store.con)
    o = _store.options
    spans = [y for y in (o.years, eo["years"]) if y is not None]
    years = (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None
    return options_from_pairs(sorted(set(o.pairs) | set(eo["pairs"])), sorted(set(o.outlets) | set(eo["outlets"])),
                              years, (), eo["n"])


def _on_country() -> None:
    country = st.session_state[K_COUNTRY]
    f = _state().filters
    _set_filters(country=country, partners=() if country != f.country else f.partners)


def _on_list(key: str, field: str) -> None:
    _set_filters(**{field: tuple(st.session_state[key] or ())})


def _on_pairs() -> None:
    _set_filters(pairs=tuple(tuple(k.split("-", 1)) for k in st.session_state[K_PAIRS] or ()))


def _on_own(key: str, field: str, order: tuple[str, ...]) -> None:
    picked = st.session_state[key] or []
    _set_events(**{field: tuple(x for x in order if x in picked)})


def _on_years(lo: int, hi: int) -> None:
    y0, y1 = (int(v) for v in st.session_state[K_YEARS])
    whole = (y0, y1) == (lo, hi)  # the whole range is no constraint (it would drop undated events)
    _set_filters(year_from=None if whole else y0, year_to=None if whole else y1)


def _on_search() -> None:
    _set_filters(search=(st.session_state[K_SEARCH] or "").strip())


def sidebar(options: Options, lang: Lang) -> Filters:
    """The events' filter widgets, drawn from the explorer's state; returns the filters the database can
    honour (written back, so the URL never names what the page does not apply)."""
    f = restrict(_state().filters, options)
    state.put(state.EXPLORER, replace(_state(), filters=f))
    ef = _ef()
    sb = st.sidebar
    sb.header(t("filters", lang))

    countries = [None, *options.countries]
    country_label = lambda c: t("any_country", lang) if c is None else i18n.country_option(c, lang)  # noqa: E731
    state.show(K_COUNTRY, f.country, tuple(map(country_label, countries)))
    sb.selectbox(t("country", lang), countries, key=K_COUNTRY, placeholder=t("any_country", lang),
                 format_func=country_label, on_change=_on_country)
    partners_all = list(options.partners_of(f.country)) if f.country else []
    partner_label = lambda c: i18n.country_option(c, lang)  # noqa: E731
    state.show(K_PARTNERS, list(f.partners), tuple(map(partner_label, partners_all)))
    sb.multiselect(t("partners", lang), partners_all, key=K_PARTNERS, disabled=not f.country,
                   help=t("partners_help", lang), placeholder=t("all", lang), format_func=partner_label,
                   on_change=_on_list, args=(K_PARTNERS, "partners"))
    pair_keys = [state.pair_key(p) for p in options.pairs]
    pair_label = lambda k: i18n.pair_label(k.replace("-", i18n.EN_DASH), lang)  # noqa: E731
    state.show(K_PAIRS, [state.pair_key(p) for p in f.pairs], tuple(map(pair_label, pair_keys)))
    sb.multiselect(t("pairs", lang), pair_keys, key=K_PAIRS, placeholder=t("all", lang), format_func=pair_label,
                   on_change=_on_pairs)

    for key, title, field, order, label in (
        (K_TYPES, "ev_types", "types", EVENT_TYPES, event_filters.type_label),
        (K_LEVELS, "ev_levels", "levels", LEVELS, event_filters.level_label),
        (K_STATUS, "ev_statuses", "modalities", EVENT_MODALITIES, event_filters.status_label),
    ):
        fmt = lambda x, label=label: label(x, lang)  # noqa: E731
        state.show(key, list(getattr(ef, field)), tuple(map(fmt, order)))
        sb.pills(t(title, lang), list(order), key=key, selection_mode="multi", format_func=fmt,
                 on_change=_on_own, args=(key, field, order))

    if options.years is not None and options.years[0] < options.years[1]:
        lo, hi = options.years
        shown = (f.year_from if f.year_from is not None else lo, f.year_to if f.year_to is not None else hi)
        state.show(K_YEARS, shown, (lo, hi))
        sb.slider(t("period", lang), min_value=lo, max_value=hi, key=K_YEARS, step=1,
                  help=t("ev_period_help", lang), on_change=_on_years, args=(lo, hi))
    outlet_label = lambda o: t("no_url", lang) if o == NO_OUTLET else o  # noqa: E731
    state.show(K_OUTLETS, list(f.outlets), tuple(map(outlet_label, options.outlets)))
    sb.multiselect(t("outlets", lang), list(options.outlets), key=K_OUTLETS, placeholder=t("all", lang),
                   format_func=outlet_label, on_change=_on_list, args=(K_OUTLETS, "outlets"))
    state.show(K_SEARCH, f.search)
    sb.text_input(t("search", lang), key=K_SEARCH, placeholder=t("search_placeholder", lang), max_chars=200,
                  help=t("search_help", lang), on_change=_on_search)
    sb.button(t("reset", lang), on_click=_reset, width="stretch", key="e_reset")
    sb.caption(t("share_hint", lang))
    return f


# ---------------------------------------------------------------- the page

def _on_timeline() -> None:
    picked = ((st.session_state.get(K_TIMELINE) or {}).get("selection", {}).get(events.SELECTION)) or []
    if picked and picked[0].get("event_id"):
        _set_events(event=str(picked[0]["event_id"]))


def _on_row(ids: list[str]) -> None:
    picked = event_ui.picked_row(K_TABLE, ids)
    if picked is not None:
        _set_events(event=picked)


def _clear() -> None:
    _set_events(event=None)


def _header(evs: pd.DataFrame, lang: Lang) -> None:
    st.title(t("ev_title", lang))
    n = lambda x: i18n.format_number(x, lang, 0)  # noqa: E731
    st.caption(f"{t('ev_caption', lang)}  \n{t('n_events', lang)}: **{n(len(evs))}** · "
               f"{t('n_docs', lang)}: **{n(evs['doc_id'].nunique())}** · "
               f"{t('n_pairs', lang)}: **{n(evs['pair'].nunique())}**")


def _pair_links(evs: pd.DataFrame, pages: tuple[tuple[str, str], ...], lang: Lang) -> None:
    """Links to the pages of the pairs with the most events selected."""
    top = evs.groupby(["country_a", "country_b"]).size().sort_values(ascending=False, kind="stable")
    pairs = [p for p in top.index.tolist() if p in pages][:PAIR_LINKS]
    if pairs:
        links = " · ".join(nav.anchor(state.PAIR, f"{a}{i18n.EN_DASH}{b}", state.PairState((a, b))) for a, b in pairs)
        st.markdown(f"{views.esc(t('pair_pages', lang))}: {links}", unsafe_allow_html=True)


def _panel(store: Store, lang: Lang) -> None:
    """The picked event's sentence, article and trace, with links to its page and its pair's."""
    st.subheader(t("evidence", lang))
    event_id = _ef().event
    if not event_id:
        st.info(t("ev_pick_hint", lang))
        return
    row = extras.event_detail(store.path, store.version, event_id, store.con)
    if row is None:
        st.warning(t("ev_gone", lang))
        st.button(t("clear_selection", lang), on_click=_clear, key="e_gone_clear")
        return
    event_ui.body(store, row, lang, "e_panel", on_clear=_clear)


def render(store: Store, lang: Lang) -> None:
    eo = extras.event_options(store.path, store.version, store.con)
    filters = sidebar(_options(store.path, store.version, store), lang)
    ef = _ef()
    evs = extras.explorer_events(store.path, store.version, event_filters.shared(filters), ef.selects(), store.con)
    _header(evs, lang)
    st.markdown(f"**{event_filters.filters_line(filters, ef, lang)}**", help=t("share_hint", lang))
    if not eo["n"]:
        st.info(t("ev_none_in_db", lang))
        return
    if evs.empty:
        st.info(t("ev_no_match", lang))
        st.caption(t("ev_no_match_hint", lang))
        st.button(t("reset", lang), on_click=_reset, key="e_reset_main")
        return
    _pair_links(evs, store.options.pairs + tuple(p for p in eo["pairs"] if p not in store.options.pairs), lang)
    main, side = st.columns([5, 3], gap="medium")
    with main:
        st.caption(t("diplomacy_hint", lang))
        st.altair_chart(events.timeline_chart(evs.head(TABLE_ROWS), lang), key=K_TIMELINE, on_select=_on_timeline,
                        selection_mode=events.SELECTION, width="stretch")
        with st.expander(t("diplomacy_counts", lang), expanded=False):
            st.dataframe(events.yearly_counts(evs, lang), width="stretch")
        st.subheader(t("diplomacy_events", lang))
        event_ui.table(evs.head(TABLE_ROWS), lang, K_TABLE, _on_row)
        st.caption(t("showing", lang, shown=i18n.format_number(min(len(evs), TABLE_ROWS), lang, 0),
                     total=i18n.count(len(evs), "event", lang)))
        url = nav.view_url(state.EXPLORER)  # now: the download runs outside this run, without its session
        stem = event_filters.file_stem(filters, ef)
        parts = event_filters.filter_parts(filters, ef, lang)
        downloads.controls(lambda: event_ui.bundle(
            evs, lang, stem=stem, title=f"{t('app_title', lang)} — {t('ev_title', lang)}", filters=parts, url=url,
            method=t("method_events", lang)), stem, lang, "events_dl")
    with side, st.container(key="event_evidence"):
        _panel(store, lang)
