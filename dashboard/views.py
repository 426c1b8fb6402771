"""HTML for a figure's sentence and a whole article, with the figures highlighted.

Article text is untrusted: every piece of it goes through `html.escape` before any markup is added, and
the markup itself (<mark>, <span>) carries only our own classes and escaped titles. Offsets are the
store's code-point spans; the dashboard never looks for figures in the text itself."""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

CSS = """
<style>
.bi-text { white-space: pre-wrap; line-height: 1.55; font-size: 0.98rem; }
.bi-text mark { background: #ffe58f; padding: 0 .12em; border-radius: .2em; }
.bi-text mark.bi-sel { background: #ffb300; outline: 2px solid #e65100; }
.bi-article { max-height: 28rem; overflow-y: auto; border: 1px solid rgba(128,128,128,.35);
              border-radius: .4rem; padding: .6rem .8rem; }
.bi-meta { color: rgba(49,51,63,.75); font-size: .88rem; margin-top: .35rem; }
.bi-meta b { color: rgba(49,51,63,.95); font-weight: 600; }
.bi-trace { color: rgba(49,51,63,.8); font-size: .85rem; margin-top: .5rem; }
.bi-trace ul { margin: .2rem 0 0 1rem; padding: 0; }
.bi-trace code { font-size: .78rem; }
.bi-tiles { display: flex; gap: .8rem; flex-wrap: wrap; margin: .2rem 0 .6rem 0; }
.bi-tile { flex: 1 1 14rem; border: 1px solid rgba(128,128,128,.3); border-radius: .5rem; padding: .55rem .8rem; }
.bi-tile .bi-label { font-size: .8rem; color: rgba(49,51,63,.7); text-transform: uppercase; letter-spacing: .03em; }
.bi-tile .bi-value { font-size: 1.45rem; font-weight: 600; line-height: 1.3; }
.bi-tile .bi-sub { font-size: .85rem; color: rgba(49,51,63,.75); }
/* the source panel follows the reader down to the table */
.st-key-evidence { position: sticky; top: 3.75rem; align-self: flex-start; max-height: calc(100vh - 4.5rem);
                   overflow-y: auto; }
div[data-testid="stColumn"]:has(.st-key-evidence) { align-self: stretch; }
a.bi-link { text-decoration: none; font-weight: 500; }
a.bi-link:hover { text-decoration: underline; }
</style>
"""


def esc(text: object) -> str:
    """Escape anything for HTML text and attribute values; None becomes empty."""
    return "" if text is None else html.escape(str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None: a `javascript:` link from an article must not be clickable."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _valid_span(start: object, end: object, length: int) -> tuple[int, int] | None:
    try:
        s, e = int(start), int(end)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return (s, e) if 0 <= s < e <= length else None


def sentence_html(sentence: str, sentence_start: int, span_start: int, span_end: int) -> str:
    """The sentence with the figure in <mark>; spans are document offsets, made relative here.
    A span outside the sentence (a store inconsistency) shows the sentence unmarked rather than a wrong mark."""
    rel = _valid_span(span_start - sentence_start, span_end - sentence_start, len(sentence))
    if rel is None:
        return f'<div class="bi-text">{esc(sentence)}</div>'
    s, e = rel
    return (
        f'<div class="bi-text">{esc(sentence[:s])}<mark class="bi-sel">{esc(sentence[s:e])}</mark>'
        f"{esc(sentence[e:])}</div>"
    )


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    title: str  # tooltip: the figure as the dashboard reads it
    selected: bool = False


def document_html(text: str, marks: Iterable[Mark]) -> str:
    """The whole article with every figure marked. Overlapping spans are split at their boundaries so
    the markup stays well nested; a piece covered by several figures lists all their titles."""
    valid = [m for m in marks if _valid_span(m.start, m.end, len(text))]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        piece = esc(text[a:b])
        covering = [m for m in valid if m.start <= a and b <= m.end]
        if not covering:
            out.append(piece)
            continue
        cls = ' class="bi-sel"' if any(m.selected for m in covering) else ""
        title = esc(" | ".join(dict.fromkeys(m.title for m in covering)))
        out.append(f'<mark{cls} title="{title}">{piece}</mark>')
    return f'<div class="bi-text bi-article">{"".join(out)}</div>'


def meta_html(rows: Sequence[tuple[str, str | None]]) -> str:
    """'Label: value' lines; values are escaped, empty ones left out."""
    parts = [f"<b>{esc(label)}:</b> {esc(value)}" for label, value in rows if value]
    return f'<div class="bi-meta">{"<br>".join(parts)}</div>'


def trace_html(title: str, lines: Sequence[tuple[str, str, str]]) -> str:
    """How a figure was read: (field label, plain words, rule name) per field, all escaped."""
    items = "".join(f"<li><b>{esc(label)}</b>: {esc(words)} <code>{esc(rule)}</code></li>" for label, words, rule in lines)
    return f'<div class="bi-trace"><b>{esc(title)}</b><ul>{items}</ul></div>' if lines else ""


def tiles_html(tiles: Sequence[tuple[str, str, str]]) -> str:
    """Headline tiles: (label, value, subline), all escaped."""
    cells = "".join(
        f'<div class="bi-tile"><div class="bi-label">{esc(label)}</div><div class="bi-value">{esc(value)}</div>'
        f'<div class="bi-sub">{esc(sub)}</div></div>'
        for label, value, sub in tiles
    )
    return f'<div class="bi-tiles">{cells}</div>'
