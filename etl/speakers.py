"""Quotations and their speakers: whose «наша страна» a quoted sentence means.

The contract reads «наша страна» as the outlet's country, except inside a quotation, where it is
the speaker's: «Товарооборот между нашей страной и Казахстаном вырос», — заявил Мирзиёев (UZB,
whatever the outlet). A quotation's speaker is named in its attribution, after it («…», — сказал
посол Беларуси) or before it (Токаев заявил: «…»); a pronoun («— сказал он») points to the last
leader named before the quotation."""
from __future__ import annotations

import re
from bisect import bisect_left

from etl.countries import Mention, find_mentions
from etl.lexicon import Lexicon
from etl.morph import word_info
from etl.numbers import tokenize

_ATTRIBUTION_CHARS = 300  # how far after a quotation its attribution is looked for
_LEAD_IN_CHARS = 300  # how far before a quotation the speaker may be named
_TITLE_DISTANCE = 5  # tokens between an office word and the country: «министр экономики и развития Монголии»
# Quotation marks by kind: Russian typography nests „…“ inside «…»; straight quotes open after a space.
_OPEN_CLOSE = {"«": "»", "„": "“", "“": "”"}
_DASH_AFTER = re.compile(r"[,.!?…]?\s*[—–-]\s+")


_QUOTE_EVENT = re.compile(r'[«»„“”"]|\n\n')


def quotations(text: str) -> list[tuple[int, int]]:
    """[start, end) of the outermost quotations, the marks included; an unclosed one runs to the end of
    its paragraph. Only quotation marks and paragraph breaks are visited (one regex scan)."""
    out: list[tuple[int, int]] = []
    start, opener, close, depth = -1, "", "", 0
    for m in _QUOTE_EVENT.finditer(text):
        pos, ch = m.start(), m.group()
        if start < 0:
            if ch in _OPEN_CLOSE:
                start, opener, close, depth = pos, ch, _OPEN_CLOSE[ch], 1
            elif ch == '"' and (pos == 0 or not text[pos - 1].isalnum()) and pos + 1 < len(text) \
                    and not text[pos + 1].isspace():
                start, opener, close, depth = pos, ch, '"', 1
        elif ch == "\n\n":
            out.append((start, pos))
            start = -1
        elif ch == close and (close != '"' or depth == 1):
            depth -= 1
            if depth == 0:
                out.append((start, pos + 1))
                start = -1
        elif ch == opener and close != '"':
            depth += 1
    if start >= 0:
        out.append((start, len(text)))
    return out


def _country_of_speaker(mentions: list[Mention], lex: Lexicon) -> str | None:
    """The speaker's country among the mentions of an attribution: a leader, or a country named with an office."""
    for m in mentions:
        if m.kind == "leader" and m.code:
            return m.code
    titles = lex.office_words
    for m in mentions:
        if m.code is None or m.kind not in ("name", "adjective", "demonym", "bloc"):
            continue
        near = range(max(0, m.first - _TITLE_DISTANCE), min(len(m.toks), m.last + _TITLE_DISTANCE + 1))
        if any(m.toks[k].kind == "word" and word_info(m.toks[k].lower).lemma in titles for k in near):
            return m.code
    return None


def _says(toks, lex: Lexicon) -> bool:
    verbs = lex.speech_verbs
    return any(t.kind == "word" and word_info(t.lower).lemma in verbs for t in toks)


_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)|\n")


def _sentence_end(text: str, start: int, limit: int) -> int:
    m = _SENTENCE_END.search(text, start, limit)
    return m.end() if m else limit


def speaker_country(text: str, quote: tuple[int, int], lex: Lexicon) -> str | None:
    """The country of whoever says the quotation text[quote[0]:quote[1]], if its attribution names one."""
    qs, qe = quote
    # after: «…», — заявил посол Беларуси в Москве.
    dash = _DASH_AFTER.match(text, qe)
    if dash:
        end = _sentence_end(text, dash.end(), min(len(text), dash.end() + _ATTRIBUTION_CHARS))
        toks = tokenize(text[dash.end():end], dash.end())
        if _says(toks, lex):
            mentions = find_mentions(toks, lex)
            code = _country_of_speaker(mentions, lex)
            if code:
                return code
            if any(t.lower in lex.speaker_pronouns for t in toks):
                return _last_leader_before(text, qs, lex)  # «— сказал он»: the leader named before
            return _introduced(text, qs, _names(toks, mentions), lex)  # «— сказал аль-Марри»
    # before: Токаев заявил: «…» / По словам главы МИД Узбекистана, «…»
    lead_start = max(0, qs - _LEAD_IN_CHARS)
    head = text[lead_start:qs].rstrip()
    if head.endswith((":", ",")):
        cut = max(head.rfind(". "), head.rfind("\n"), head.rfind("» "))
        seg_start = lead_start + (cut + 1 if cut >= 0 else 0)
        toks = tokenize(text[seg_start:lead_start + len(head)], seg_start)
        if _says(toks, lex):
            return _country_of_speaker(find_mentions(toks, lex), lex)
    return None


_INTRODUCTION_CHARS = 3000  # how far back a speaker named only by name is looked for
_NAME_WINDOW = 5  # tokens around that earlier mention of the name where its country and office stand


def _names(toks, mentions: list[Mention]) -> list[str]:
    """Words of a personal name in an attribution («Олаф Шольц», «аль-Марри»), longest first."""
    taken = {k for m in mentions for k in range(m.first, m.last + 1)}
    words = [t.text for k, t in enumerate(toks) if k not in taken and t.kind == "word"
             and any(c.isupper() for c in t.text) and len(t.text) >= 2]
    return sorted(set(words), key=len, reverse=True)


def _introduced(text: str, before: int, names: list[str], lex: Lexicon) -> str | None:
    """The country of a speaker named by name only, from where the text introduced them earlier:
    «…с министром экономики Объединенных Арабских Эмиратов Абдуллой бин Тауком аль-Марри»."""
    lo = max(0, before - _INTRODUCTION_CHARS)
    for name in names:
        stem = name if len(name) <= 5 else name[:-2]  # «Шольц»: «Шольцем»; «Пезешкиан»: «Пезешкиана»
        at = text.rfind(stem, lo, before)
        while at >= 0 and at > 0 and text[at - 1].isalnum():
            at = text.rfind(stem, lo, at)
        if at < 0:
            continue
        start = max(0, at - 200)
        toks = tokenize(text[start:at + 200], start)
        k = next((i for i, t in enumerate(toks) if t.start == at), None)
        if k is None:
            continue
        near = [m for m in find_mentions(toks, lex)
                if k - _NAME_WINDOW <= m.last and m.first <= k + _NAME_WINDOW]
        code = _country_of_speaker(near, lex)
        if code:
            return code
    return None


def _last_leader_before(text: str, pos: int, lex: Lexicon) -> str | None:
    start = max(0, pos - _LEAD_IN_CHARS)
    leaders = [m for m in find_mentions(tokenize(text[start:pos], start), lex) if m.kind == "leader" and m.code]
    return leaders[-1].code if leaders else None


class OursResolver:
    """Whose «наша страна» stands at a position of one document: the speaker's inside a quotation that
    names one, else the outlet's. Quotations are found on the first question, once per document."""

    def __init__(self, text: str, lex: Lexicon, outlet_country: str | None) -> None:
        self.text, self.lex, self.outlet = text, lex, outlet_country
        self._quotes: list[tuple[int, int]] | None = None
        self._starts: list[int] = []
        self._speakers: dict[tuple[int, int], str | None] = {}

    def __call__(self, pos: int) -> str | None:
        if self._quotes is None:
            self._quotes = quotations(self.text)
            self._starts = [q[0] for q in self._quotes]
        k = bisect_left(self._starts, pos) - 1  # the last quotation opening before pos
        if k >= 0 and pos < self._quotes[k][1]:
            q = self._quotes[k]
            if q not in self._speakers:
                self._speakers[q] = speaker_country(self.text, q, self.lex)
            return self._speakers[q] or self.outlet
        return self.outlet
