"""The session's state, one value per page, and its round trip through the URL.

Each page keeps its state in `st.session_state` as a frozen value (the explorer: `Filters` and `View`;
the overview: a country; a pair page: the pair and its axis scale; a figure's page: the claim; an event's page: the event). The
widgets' callbacks edit it (Streamlit runs them before the script, so nothing the run does afterwards can
lose a change), and the widgets are drawn from it (`show`).

The URL is the state's shareable form. It is read into the state when the URL is what the user asks to
see: on a session's first run, after the browser's Back or Forward, and on arriving at another page
(every link between pages carries the destination's whole state, `link_query`). It is written from the
state at the end of every other run (`sync_url`): one history entry per change, never on a Back run.

The language is one value for the whole session, carried by every page's URL as `lang`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import event_filters
from dashboard.event_filters import EventFilters
from dashboard.filters import Filters, View, _codes, _pair, parse_query, to_query
from dashboard.i18n import DEFAULT_LANG, LANGS, Lang

OVERVIEW, EXPLORER, PAIR, CLAIM, EVENT = "overview", "explorer", "pair", "claim", "event"
PAGES = (OVERVIEW, EXPLORER, PAIR, CLAIM, EVENT)
SCALES = ("linear", "log")
_CLAIM_ID_MAX = 400

_LANG = "_lang"
_PAGE = "_page"  # the page whose state the last run used
_DRAWN = "_drawn_labels"  # widget key -> the option labels it was last drawn with


@dataclass(frozen=True, slots=True)
class OverviewState:
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PairState:
    pair: tuple[str, str] | None = None
    scale: str = "linear"  # the charts' y axis: "linear" or "log"


@dataclass(frozen=True, slots=True)
class ClaimState:
    claim: str | None = None


@dataclass(frozen=True, slots=True)
class EventState:
    event: str | None = None  # a diplomacy event's page (`/event?event=…`)


@dataclass(frozen=True, slots=True)
class ExplorerState:
    filters: Filters = Filters()
    view: View = View()
    events: EventFilters = EventFilters()  # the events view (dashboard/event_filters.py)


# ---------------------------------------------------------------- pure: query string <-> state

def _one(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = [v for v in params.get(key, ()) if isinstance(v, str)]
    return values[-1] if values else None


def parse_lang(params: Mapping[str, Sequence[str]]) -> Lang:
    lang = _one(params, "lang")
    return lang if lang in LANGS else DEFAULT_LANG  # type: ignore[return-value]


def parse(page: str, params: Mapping[str, Sequence[str]]) -> object:
    """A page's state from query parameters (each key -> all its values); invalid values are dropped."""
    if page == EXPLORER:
        return ExplorerState(*parse_query(params), event_filters.parse_query(params))
    if page == OVERVIEW:
        country = _codes([_one(params, "country") or ""])
        return OverviewState(country[0] if country else None)
    if page == PAIR:
        raw = _one(params, "pair")
        scale = _one(params, "scale")
        return PairState(_pair(raw) if raw else None, scale if scale in SCALES else "linear")
    if page == EVENT:
        event = _one(params, "event")
        return EventState(event if event and len(event) <= _CLAIM_ID_MAX else None)
    claim = _one(params, "claim")
    return ClaimState(claim if claim and len(claim) <= _CLAIM_ID_MAX else None)


def pair_key(pair: tuple[str, str]) -> str:
    return f"{pair[0]}-{pair[1]}"


def query(page: str, state: object, lang: Lang) -> dict[str, list[str]]:
    """The inverse of `parse`: only non-default values, so a plain link stays plain."""
    if isinstance(state, ExplorerState):
        return {**to_query(state.filters, replace(state.view, lang=lang)), **event_filters.to_query(state.events)}
    q: dict[str, list[str]] = {"lang": [lang]} if lang != DEFAULT_LANG else {}
    if isinstance(state, OverviewState) and state.country:
        q["country"] = [state.country]
    elif isinstance(state, PairState):
        if state.pair:
            q["pair"] = [pair_key(state.pair)]
        if state.scale != "linear":
            q["scale"] = [state.scale]
    elif isinstance(state, ClaimState) and state.claim:
        q["claim"] = [state.claim]
    elif isinstance(state, EventState) and state.event:
        q["event"] = [state.event]
    return q


# Parameters only the explorer reads: a link to the site's root that has them is an explorer link made
# before the site had pages, and opens the explorer.
EXPLORER_ONLY = frozenset({"partner", "pair", "indicator", "modality", "from", "to", "outlet", "q", "series",
                           "undated", "claim"})


# ---------------------------------------------------------------- the session

def query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def history_navigation() -> bool:
    """Whether the browser's Back or Forward caused this run: Streamlit then reruns with the URL of the
    history entry (and, for this run only, replaces that entry instead of adding one when the URL is
    written). `is_history_navigation` is Streamlit's own flag (1.67); older versions lack it."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(getattr(ctx, "is_history_navigation", False))


def _key(page: str) -> str:
    return f"_state_{page}"


def enter(page: str) -> object:
    """This run's state of `page`: the URL's on a session's first run, after Back or Forward and on
    arriving from another page (the URL is then what the user asks to see: writing the old state over it
    would undo the Back), else what the widgets' callbacks left."""
    if st.session_state.get(_PAGE) != page or history_navigation() or _key(page) not in st.session_state:
        params = query_params()
        st.session_state[_key(page)] = parse(page, params)
        st.session_state[_LANG] = parse_lang(params)
        st.session_state[_PAGE] = page
    return st.session_state[_key(page)]


def seeded() -> bool:
    """Whether a run of this session has read the URL already."""
    return _PAGE in st.session_state


def current_page() -> str:
    return st.session_state.get(_PAGE, OVERVIEW)


def get(page: str) -> object:
    """The page's state as last used in this session (its defaults if never visited)."""
    return st.session_state.get(_key(page)) or parse(page, {})


def put(page: str, state: object) -> None:
    st.session_state[_key(page)] = state


def lang() -> Lang:
    return st.session_state.get(_LANG, DEFAULT_LANG)


def set_lang(value: Lang) -> None:
    st.session_state[_LANG] = value


def link_query(page: str, state: object | None = None) -> dict[str, list[str]]:
    """What a link to `page` carries: `state` (default: the page's state in this session) and the
    language, so the page opens exactly as the link says."""
    return query(page, get(page) if state is None else state, lang())


def sync_url(page: str) -> None:
    """Write the page's state into the address bar when it differs from it: one history entry per
    change. Not on a Back or Forward run, whose URL is the state just restored (writing would replace
    the entry)."""
    if history_navigation():
        return
    want = link_query(page)
    if want != query_params():
        st.query_params.from_dict(want)


# ---------------------------------------------------------------- widgets drawn from the state

def same(a: object, b: object) -> bool:
    """Widget values compare by content: a multiselect gives a list, a range slider a tuple."""
    norm = lambda x: list(x) if isinstance(x, (list, tuple)) else x  # noqa: E731
    return norm(a) == norm(b)


def show(key: str, value: object, labels: tuple = ()) -> None:
    """Before widget `key` is drawn: hand it `value` when the page's state, not the widget, changed it
    (reset, Back, a value the database no longer has, a widget the last run did not draw), or when its
    option labels changed (language, counts). Streamlit 1.67 keeps a select widget's value in the
    browser as the label it was drawn with: without this the browser goes on showing the old label
    ("(47)", English after a switch to Russian) and the old value after a reset."""
    drawn = st.session_state.setdefault(_DRAWN, {})
    if key not in st.session_state or not same(st.session_state[key], value) or drawn.get(key) != labels:
        st.session_state[key] = value
    drawn[key] = labels
