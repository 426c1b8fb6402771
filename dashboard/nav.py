"""The site's pages (`st.navigation`), the links between them and the sidebar every page shares.

Every page is a URL: the overview at the root, `/explorer`, `/pair?pair=KAZ-CHN`, `/claim?claim=…`,
`/event?event=…`. A
link between pages carries the destination's whole state in its query string (`state.link_query`), so
the page it opens is exactly the one the link names, and Back returns to the page left as it was left.
The pages are drawn by `dashboard/screens/`; this module only names them."""
from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from dashboard import i18n, state, views
from dashboard.i18n import LANGS, Lang, t

K_LANG = "lang"
_ICONS = {
    state.OVERVIEW: ":material/leaderboard:",
    state.EXPLORER: ":material/table_view:",
    state.PAIR: ":material/compare_arrows:",
    state.CLAIM: ":material/format_quote:",
    state.EVENT: ":material/event:",
}


def _page(name: str, target: Callable[[], None]) -> st.Page:
    # The title (the browser tab's) is the same in both languages: a navigation whose titles change makes
    # Streamlit's browser side write the address again, with the query it had before the switch.
    return st.Page(target, title=t(f"page_{name}", "en"), icon=_ICONS[name], url_path=name,
                   default=name == state.OVERVIEW)


def pages(render: Callable[[str], None]) -> list[st.Page]:
    """The pages of `st.navigation`; `render(name)` draws page `name`."""
    return [_page(name, (lambda n=name: render(n))) for name in state.PAGES]


def href(name: str, target: object | None = None) -> str:
    """The relative address of page `name` in state `target` (default: as this session left it). Every
    page sits at the same level (`/`, `/explorer`, `/pair`), so `./…` is right under any base path."""
    q = urlencode(state.link_query(name, target), doseq=True)
    return "./" + ("" if name == state.OVERVIEW else name) + (f"?{q}" if q else "")


def link(name: str, label: str, target: object | None = None, where=st, icon: str = "") -> None:
    """A link to page `name` in state `target` (default: as this session left it).

    A plain link that loads the page, not `st.page_link`: in Streamlit 1.67 a page link carrying query
    parameters leaves the old address in the address bar, and `st.switch_page` with parameters makes two
    history entries (the new parameters on the old page, then the new page), so Back would show a page
    under another page's address. A page load makes one entry with the right address, and Back reloads
    the page before from its address, which holds its whole state."""
    where.markdown(anchor(name, _SYMBOLS.get(icon, "") + label, target), unsafe_allow_html=True)


def anchor(name: str, label: str, target: object | None = None) -> str:
    """The HTML of a `link` (label escaped), to put several in one line."""
    return f'<a href="{views.esc(href(name, target))}" target="_self" class="bi-link">{views.esc(label)}</a>'


def go(name: str, target: object, replace: bool = False) -> None:
    """Open page `name` in state `target` now, as a click on a link would (one history entry), or in
    place of this page's entry (`replace`: a redirect, which Back must not return to)."""
    how = "replace" if replace else "assign"
    st.html(f"<script>window.location.{how}({json.dumps(href(name, target))})</script>",
            unsafe_allow_javascript=True)
    st.stop()


_SYMBOLS = {":material/arrow_back:": "← ", ":material/compare_arrows:": "⇄ ", ":material/link:": "🔗 ",
            ":material/table_view:": "▦ ", ":material/leaderboard:": "☰ ",
            ":material/event:": "◷ "}


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
        if name != current:
            link(name, t(f"page_{name}", lang), where=st.sidebar, icon=_ICONS[name])


def view_url(name: str, target: object | None = None) -> str:
    """The full URL of page `name` in state `target`: the permalink shown and written into downloads.
    The host is the browser's (`st.context.url`); without one (tests, scripts) localhost's default."""
    from urllib.parse import urlsplit

    from streamlit import config

    here = urlsplit(st.context.url or "http://localhost:8501/")
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    path = "/".join(x for x in (base, "" if name == state.OVERVIEW else name) if x)
    q = urlencode(state.link_query(name, target), doseq=True)
    return f"{here.scheme}://{here.netloc}/{path}" + (f"?{q}" if q else "")
