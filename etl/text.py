"""Text -> sentences, clauses and tokens, as code-point offsets into the document text.

Sentences are found once per document by one regex pass (the extractor then looks up the
sentence of each figure by bisection), so the cost is linear in the text even for a
50 MB single-line document."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from etl.lazy import lazy, per_lexicon, process_lexicon

if TYPE_CHECKING:
    from etl.lexicon import Lexicon

# A sentence ends at . ! ? … (with closing quotes or brackets) before a space and a capital,
# a digit or an opening quote; or at a line break (see _newline_is_boundary).
_BOUNDARY = re.compile(
    r"(?P<end>[.!?…]+[»\"”’)]*)[ \t\u00a0]+(?=[«\"„“(—–\-]?\s*[A-ZА-ЯЁ0-9])|(?P<nl>\n)"
)
# Every match of _BOUNDARY starts with one of these: _BOUNDARY is tried only there, not at every character.
_BOUNDARY_START = re.compile(r"[.!?…\n]")
_LINE_END_TERMINALS = frozenset('.!?…:;»"”)')  # a line that ends in one of these ends its sentence
_SENTENCE_IN_LINE = re.compile(r"[.!?…][»\"”)]*\s+\S")


@per_lexicon
def _clause_breaks(lex: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    """Clause breaks inside a sentence: a modality or a period stated in one clause does not leak into
    the next ("достиг 3,9 млрд, так что до намеченной отметки в 5 млрд недалеко"). A break is
    «;|,\\s+(?:WORDS)\\s|\\s—\\s(?=DASH_WORDS\\s)» (text.toml clause_breaks, dash_clause_breaks); here its
    comma and dash alternatives apart, each led by a fixed character the regex engine scans for fast (the
    dash's break starts at the space before the dash). Compiled once per lexicon."""
    rules = lex.text
    return (re.compile(r",\s+(?:" + "|".join(rules.clause_breaks) + r")\s"),
            re.compile(r"—(?<=\s—)\s(?=(?:" + "|".join(rules.dash_clause_breaks) + r")\s)"))


def _word_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in ".-"):
        i -= 1
    return text[i:pos].lower()


def _continues(text: str, pos: int, words: tuple[str, ...]) -> bool:
    """One of `words` stands at `pos`, whole («США —», not «СШАП»)."""
    for w in words:
        if text.startswith(w, pos):
            after = pos + len(w)
            if after >= len(text) or not text[after].isalnum():
                return True
    return False


def _newline_is_boundary(text: str, nl: int) -> bool:
    """A scraped page wraps lines mid-sentence ("Касым-Жомарта\\nТокаева"); a heading line stands alone."""
    line_start = text.rfind("\n", 0, nl) + 1
    end = nl  # the line without its trailing white space, read in place (a page's line may be long)
    while end > line_start and text[end - 1].isspace():
        end -= 1
    if end == line_start or text[end - 1] in _LINE_END_TERMINALS:
        return True
    nxt = nl + 1
    while nxt < len(text) and text[nxt] in " \t\u00a0":
        nxt += 1
    if nxt >= len(text) or text[nxt] == "\n":
        return True
    if text[nxt].islower():
        return False
    # A line that holds whole sentences and then stops mid-sentence continues on the next line.
    return not _SENTENCE_IN_LINE.search(text, line_start, nl)


def _add_span(text: str, starts: list[int], ends: list[int], a: int, b: int) -> None:
    """Add text[a:b] as a sentence, without its surrounding white space, unless nothing is left."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        starts.append(a)
        ends.append(b)


@dataclass(frozen=True)
class Sentences:
    """Sentence spans of one document, up to `end` (the rest of the page is not split), by the
    abbreviations of `lex` (of the process's lexicon when None)."""

    text: str
    end: int | None = None
    lex: Lexicon | None = field(default=None, compare=False, repr=False)

    @lazy
    def _spans(self) -> tuple[list[int], list[int]]:
        text = self.text
        rules = (process_lexicon() if self.lex is None else self.lex).text
        abbreviations, continued = rules.abbreviations, rules.continued_abbreviations
        starts: list[int] = []
        ends: list[int] = []
        cut = 0
        limit = len(text) if self.end is None else self.end
        # The matches of _BOUNDARY.finditer(text, 0, limit), tried only where one can start; a line
        # break is its own match.
        resume = 0
        match = _BOUNDARY.match
        for c in _BOUNDARY_START.finditer(text, 0, limit):
            p = c.start()
            if p < resume:
                continue  # inside the last match, as finditer would skip it
            if text[p] == "\n":
                resume = p + 1
                if not _newline_is_boundary(text, p):
                    continue
                end, nxt = p, p + 1
            else:
                m = match(text, p, limit)
                if m is None:
                    continue
                resume = nxt = m.end()
                end = m.end("end")
                if m.group("end") == ".":  # after an abbreviation («в г. Сочи», «долл. США»: text.toml)
                    word = _word_before(text, m.start("end"))
                    if word in abbreviations or (len(word) == 1 and word.isalpha()):
                        continue
                    if word in continued and _continues(text, nxt, continued[word]):
                        continue
            _add_span(text, starts, ends, cut, end)
            cut = nxt
        _add_span(text, starts, ends, cut, limit)
        return starts, ends

    @property
    def spans(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the sentences."""
        return self._spans

    def __len__(self) -> int:
        return len(self._spans[0])

    def span(self, i: int) -> tuple[int, int]:
        starts, ends = self._spans
        return starts[i], ends[i]


def clause_bounds(sentence: str, lex: Lexicon | None = None) -> list[tuple[int, int]]:
    """[start, end) offsets of the clauses of a sentence, relative to the sentence, by the clause-break
    words of `lex` (of the process's lexicon when None)."""
    breaks = _clause_breaks.for_process() if lex is None else _clause_breaks(lex)  # (per sentence: no Python call)
    out, a, pos = [], 0, 0
    while (brk := _next_clause_break(sentence, pos, breaks)) is not None:
        out.append((a, brk[0]))
        a, pos = brk[0] + 1, brk[1]
    out.append((a, len(sentence)))
    return out


def _next_clause_break(s: str, pos: int, breaks: tuple[re.Pattern, re.Pattern]) -> tuple[int, int] | None:
    """(start, end) of the next clause break at or after `pos`: the leftmost of its alternatives' matches,
    which start with different characters («;», «,», a space), so that at most one starts anywhere."""
    comma_break, dash_break = breaks
    found = []
    if (i := s.find(";", pos)) >= 0:
        found.append((i, i + 1))
    if m := comma_break.search(s, pos):
        found.append(m.span())
    if m := dash_break.search(s, pos + 1):
        found.append((m.start() - 1, m.end()))
    return min(found) if found else None


# A plain-text article's title is its first line that reads as a headline. Scraped pages open with
# chrome («90 секунд», «Политика», a date) before it, and a file without a headline opens with its
# first paragraph, which is no title: a headline has a few words (a dateline «среда, 02 июля 2025» has
# two), fits a line, is one sentence (a site's blurb «Портал «X». Новости …» is two) and ends
# without a full stop.
_HEADING_MIN_WORDS = 4
_HEADING_MAX_CHARS = 300
_HEADING_LOOKAHEAD_LINES = 12
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+[«\"A-ZА-ЯЁ]")
_LETTER = re.compile(r"[^\W\d_]")


def heading_of(text: str) -> str | None:
    """The first of the first few non-blank lines that reads as a headline, or None. Lines are read in
    place, one at a time: a document of one 50 MB line costs one `find`."""
    seen = 0
    start = 0
    while start < len(text) and seen < _HEADING_LOOKAHEAD_LINES:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        raw, start = text[start:min(end, start + 2 * _HEADING_MAX_CHARS + 1)], end + 1
        if not raw.strip():
            continue
        seen += 1
        line = " ".join(raw.split())
        if (len(raw) <= 2 * _HEADING_MAX_CHARS and len(line) <= _HEADING_MAX_CHARS and line[-1] != "."
                and not _SENTENCE_BREAK.search(line)
                and sum(1 for w in line.split() if _LETTER.search(w)) >= _HEADING_MIN_WORDS):
            return line
    return None
