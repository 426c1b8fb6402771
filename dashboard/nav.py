"""The site's pages (`st.navigation`), the links between them and the sidebar every page shares.

Every page is a URL: the overview at the root, `/explorer`, `/pair?pair=KAZ-CHN`, `/claim?claim=…`. A
link between pages carries the destination's whole state in its query string (`state.link_query`), so
the page it opens is exactly the one the link names, and Back returns to the page left as it was left.
The pages are drawn by `dashboard/screens/`; this module only names them."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import i18n, state
from dashboard.i18n import LANGS, Lang, t

K_LANG = "lang"
_ICONS = {
    state.OVERVIEW: ":material/leaderboard:",
    state.EXPLORER: ":material/table_view:",
    state.PAIR: ":material/compare_arrows:",
    state.CLAIM: ":material/format_quote:",
}


def _page(name: str, target: Callable[[], None], lang: Lang) -> st.Page:
    return st.Page(target, title=t(f"page_{name}", lang), icon=_ICONS[name], url_path=name,
                   default=name == state.OVERVIEW)


def pages(render: Callable[[str], None], lang: Lang) -> list[st.Page]:
    """The pages of `st.navigation`; `render(name)` draws page `name`."""
    return [_page(name, (lambda n=name: render(n)), lang) for name in state.PAGES]


def _noop() -> None:  # a link's target: only the page's url path counts
    pass


def page(name: str) -> st.Page:
    return _page(name, _noop, state.lang())


def link(name: str, label: str, target: object | None = None, where=st, **kw) -> None:
    """A link to page `name` in state `target` (default: as this session left it)."""
    where.page_link(page(name), label=label, query_params=state.link_query(name, target), **kw)


def go(name: str, target: object) -> None:
    """Open page `name` in state `target` (a new history entry, as a link would)."""
    st.switch_page(page(name), query_params=state.link_query(name, target))


def pair_link(pair: tuple[str, str], lang: Lang, where=st, label: str | None = None, **kw) -> None:
    """Every pair name leads to its page."""
    name = label or i18n.pair_label(f"{pair[0]}{i18n.EN_DASH}{pair[1]}", lang)
    link(state.PAIR, name, state.PairState(pair, state.get(state.PAIR).scale), where, **kw)  # type: ignore[attr-defined]


def _on_lang() -> None:
    state.set_lang(st.session_state[K_LANG])


def sidebar(current: str, lang: Lang) -> None:
    """The language switch and the links to the pages (each as this session left it)."""
    state.show(K_LANG, lang)
    st.sidebar.segmented_control(
        t("language", lang), LANGS, key=K_LANG, format_func={"en": "English", "ru": "Русский"}.get,
        required=True, on_change=_on_lang,
    )
    for name in (state.OVERVIEW, state.EXPLORER):
        link(name, t(f"page_{name}", lang), where=st.sidebar, icon=_ICONS[name], disabled=name == current)


def view_url(name: str, target: object | None = None) -> str:
    """The full URL of page `name` in state `target`: the permalink shown and written into downloads.
    The host is the browser's (`st.context.url`); without one (tests, scripts) localhost's default."""
    from urllib.parse import urlencode, urlsplit

    from streamlit import config

    here = urlsplit(st.context.url or "http://localhost:8501/")
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    path = "/".join(x for x in (base, "" if name == state.OVERVIEW else name) if x)
    q = urlencode(state.link_query(name, target), doseq=True)
    return f"{here.scheme}://{here.netloc}/{path}" + (f"?{q}" if q else "")
