"""Document -> claims: the extraction engine.

Data flows one way: text -> sentences -> figures -> indicator, sides, period -> claims.
Only sentences that hold a figure (and the two before them, for context) are analysed, so
page chrome costs one regex pass, and a 50 MB page costs time linear in its size."""
from __future__ import annotations

import bisect
import gc
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice

from etl.claim_rules import LEAD_SENTENCES, DocContext, SoFar, decide_claim
from etl.sentence import Sentence
from etl.countries import find_mentions, rank_context
from etl.lexicon import Lexicon, load, per_lexicon
from etl.model import Claim, Document
from etl.morph import lexeme_forms
from etl.numbers import tokenize
from etl.patterns import trie as _trie, word_start_branches as _word_start_branches
from etl.reading import reading_of
from etl.rules import Trace
from etl.text import Sentences, heading_of
from etl.version import extractor_version

EXTRACTOR_VERSION = extractor_version()  # derived from the code and tables: see etl/version.py

_CONTEXT_BEFORE = 2  # sentences before a figure's sentence that are read for context


def _stem(word: str) -> str:
    forms = list(lexeme_forms(word))
    prefix = forms[0]
    for f in forms[1:]:
        while not f.startswith(prefix):
            prefix = prefix[:-1]
    return prefix or word


@dataclass(frozen=True)
class _Prefilters:
    anchor: re.Pattern  # where a figure could be: digits, currency signs, ratio adverbs, unit words
    anchor_chars: re.Pattern  # its digits and signs alone, which the regex engine scans for fast
    anchor_words: re.Pattern  # its ratio adverbs and unit words alone
    # The word anchors found by one scan for their first characters (every branch leads with one):
    # a currency sign, «%», a ratio adverb («вдвое»), a word from the stem of a unit or counted noun
    # («млрд», «соглашений»); the words only where a word starts (the «\b» of anchor_words).
    word_anchor_scan: re.Pattern
    signs: frozenset[str]
    ratio_adverbs: frozenset[str]
    ratio_words: frozenset[str]  # ratio verbs, fractions, singular scale words: figures without a number
    ratio_word_stems: tuple[str, ...]  # their stems (none that another one starts)
    bare_scales: frozenset[str]  # «миллиард», «полмиллиарда»: a scale word that is an amount on its own
    capital_only_stems: frozenset[str]  # stems _own_words takes only capitalised: «Миллиард долларов …»
    digits_with_unit: re.Pattern  # digits that stand next to a unit word
    unit_forms: frozenset[str]  # every form of the words a number word can count or scale
    number_forms: frozenset[str]  # every form of the number words
    aid: re.Pattern  # any aid word in the document
    chrome: re.Pattern  # a heading line that starts the page's blocks of other news
    chrome_after_break: re.Pattern  # the same led by the line break before it, which the engine scans for


def _stems(words) -> str:
    return "|".join(sorted({re.escape(_stem(w)) for w in words if w}, key=len, reverse=True))


@per_lexicon
def _prefilters(lex: Lexicon) -> _Prefilters:
    """What finds every sentence a figure could be in, so that only those are analysed.

    Built from the lexicon's own words, so it never misses what the figure rules would catch:
    a figure has digits before a unit word, a currency sign, a ratio adverb, or a number word
    before a scale word, a count noun, or a unit word of numerals.toml («раз», «процент», «тонна»)."""
    symbols = "".join(re.escape(c) for c in lex.currency_symbols)
    ratio = _trie(lex.ratio_adverbs)
    # (not the one-letter «т.»: it follows a scale word, which is an anchor itself)
    units = [w for k, ws in lex.unit_words.items() if k not in ("dotted_currencies", "tonne_abbreviations") for w in ws]
    counted = [*lex.scales, *lex.groups, *units,
               *(w for w, i in lex.indicator_lemmas.items() if i == "agreements")]
    stems = {_stem(w) for w in counted if w}
    # Words that are figures on their own («удвоить», «на треть», «полмиллиарда») are found by str.find of
    # their stems in the lower-cased text (_own_words), capitalised ones opening a sentence included: as
    # regex branches, their common first letters («у», «н») would stop the scan everywhere. A lone scale
    # word («превысил миллиард долларов») is already in word_anchor_scan, but only in lower case: here it
    # is taken only capitalised («Миллиард долларов составил …»).
    own = {_stem(w) for w in [*lex.ratio_verbs, *lex.fractions] if w}
    own |= {w for w in lex.bare_scale_forms if w not in lex.scale_forms}  # «полмиллиарда», as written
    # «Миллиард» opening a sentence: looked for as written (the lower-case word is everywhere in trade news)
    capital_only = frozenset(w[0].upper() + w[1:] for w in lex.scales if w in lex.bare_scale_forms)
    own_stems = tuple(sorted(w for w in own if not any(w != v and w.startswith(v) for v in own)))
    if not all(re.match(r"\w", w) for w in [*stems, *lex.ratio_adverbs]):
        raise ValueError("a unit stem or ratio adverb that does not start with a letter")
    # «\b» before a letter is «(?<!\w)», and cheaper: one test of «a word starts here» for both word branches
    word_branches = rf"\b(?:{ratio}(?!\w)|(?P<word>{_trie(stems)}\w*))"
    anchor = re.compile(rf"[\d{symbols}%]|{word_branches}")
    anchor_chars, anchor_words = re.compile(rf"[\d{symbols}%]"), re.compile(word_branches)
    if {w[0] for w in stems} & {w[0] for w in lex.ratio_adverbs}:
        raise ValueError("a unit stem and a ratio adverb start alike: their branches would shadow each other")
    signs = frozenset(lex.currency_symbols) | {"%"}
    word_anchor_scan = re.compile("|".join([*map(re.escape, sorted(signs)),
                                            *(b + r"(?!\w)" for b in _word_start_branches(lex.ratio_adverbs)),
                                            *(b + r"\w*" for b in _word_start_branches(stems))]))
    units = {_stem(w) for w in [*counted, *lex.currency_lemmas, *lex.currency_forms] if w}
    # Up to three words may stand between a number and its unit («15 межправительственных документов»,
    # «10 межправительственных и межведомственных документов»).
    # Only the first digit of a number is tried (a match from a later digit is also one from the first),
    # written after a leading digit, which the regex engine scans for fast. The number, the word and
    # the spaces are taken whole (possessive): a shorter take ends where no word or unit can start.
    digits_with_unit = re.compile(rf"\d(?<!\d\d)(?<!\d[ .,\u00a0\u2009\u202f]\d)[\d \u00a0\u2009\u202f.,]*+"
                                  rf"(?:[а-яё-]++,?[ \u00a0]++){{0,3}}"
                                  rf"{_trie(units | {u.upper() for u in units})}")
    unit_forms = frozenset({f for w in counted for f in lexeme_forms(w)} | set(lex.scale_forms) | set(lex.count_noun_forms)
                           | set(lex.group_forms) | {f for w in lex.unit_words["factor"] for f in lexeme_forms(w)})
    aid = [w for w, ind in lex.indicator_lemmas.items() if ind == "aid"]
    headings = "|".join(re.escape(h) for h in lex.chrome_headings)
    chrome_line = rf"[ \t]*(?:{headings})[ \t]*:?[ \t]*$"
    chrome, chrome_after_break = re.compile(rf"(?im)^{chrome_line}"), re.compile(rf"(?im)\n{chrome_line}")
    return _Prefilters(anchor, anchor_chars, anchor_words, word_anchor_scan, signs, frozenset(lex.ratio_adverbs),
                       frozenset(lex.ratio_verb_forms) | frozenset(lex.fraction_forms) | frozenset(lex.bare_scale_forms),
                       own_stems, frozenset(lex.bare_scale_forms), capital_only,
                       digits_with_unit, unit_forms, frozenset(lex.number_forms),
                       re.compile(_stems(aid), re.I), chrome, chrome_after_break)


def _first_anchor(text: str, pre: _Prefilters) -> int | None:
    """Where pre.anchor first matches, if anywhere: the first digit or sign is found by a fast scan,
    and the word anchors are looked for only before it."""
    c = pre.anchor_chars.search(text)
    end = c.start() if c else len(text)
    pos = 0
    while (w := pre.anchor_words.search(text, pos, end)) is not None:
        # cut at `end`, «вдвое(?!\w)» would also match before a digit: the whole text decides
        if pre.anchor.match(text, w.start()):
            return w.start()
        pos = w.start() + 1
    return c.start() if c else None


def _body_end(text: str, pre: _Prefilters, first_figure: int) -> int:
    """Where the article ends and the page's blocks of other news begin ("Читайте также").

    A heading above the article's first number is the page's menu, not the end of the article."""
    # pre.chrome.search(text, first_figure): a heading line at the text's start, else after a line break
    if first_figure == 0 and pre.chrome.match(text):
        return 0
    m = pre.chrome_after_break.search(text, max(first_figure - 1, 0))
    return m.start() + 1 if m else len(text)


_WORDS_BEFORE = 3  # a number word may stand this many words before its unit: «двух десятков документов»


def _number_word_before(text: str, a: int, pos: int, pre: _Prefilters) -> bool:
    words = text[max(a, pos - 60):pos].split()[-_WORDS_BEFORE:]
    return any(w.strip("«»\"(),.:;—–-").lower() in pre.number_forms for w in words)


def _figure_sentences(text: str, sents: Sentences, pre: _Prefilters) -> list[int]:
    """Indices of the sentences that may hold a figure, in order: digits next to a unit, or a word
    anchor that stands for a figure (a currency sign, «%», «вдвое», a number word before a unit).

    Each sentence costs one scan for digits and, only when that finds none next to a unit, the scans
    for the word anchors; all are the regex engine's, whatever the number of digits."""
    out: list[int] = []
    dwu = pre.digits_with_unit.search
    starts, ends = sents.spans
    own = _own_words(text, ends[-1] if ends else 0, pre)
    k = 0
    for i, (a, b) in enumerate(zip(starts, ends)):
        while k < len(own) and own[k] < a:
            k += 1
        # the sentence alone: digits_with_unit looks behind a digit, and must not see the sentence before
        if (k < len(own) and own[k] < b) or dwu(text[a:b]) or _word_anchor(text, a, b, pre):
            out.append(i)
    return out


_WORD_AT = re.compile(r"\w+")


def _own_words(text: str, end: int, pre: _Prefilters) -> list[int]:
    """Sorted starts of the words before `end` that are figures on their own («удвоить», «Трети»)."""
    low = text[:end].lower()
    if len(low) != end:  # a character whose lower case is longer («İ»): positions would shift
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text[:end])
    found = []
    for stem in pre.ratio_word_stems:
        i = low.find(stem)
        while i >= 0:
            if (i == 0 or not low[i - 1].isalnum()) and _WORD_AT.match(low, i).group() in pre.ratio_words:
                found.append(i)
            i = low.find(stem, i + 1)
    for stem in pre.capital_only_stems:
        i = text.find(stem, 0, end)
        while i >= 0:
            if (i == 0 or not text[i - 1].isalnum()) and _WORD_AT.match(low, i).group() in pre.ratio_words:
                found.append(i)
            i = text.find(stem, i + 1, end)
    found.sort()
    return found


def _word_anchor(text: str, a: int, b: int, pre: _Prefilters) -> bool:
    r"""Whether text[a:b] has a currency sign, «%», a ratio adverb, or a unit word after a number word:
    a match of «[signs]|\b(?:ratio(?!\w)|(?P<word>stem\w*))» that stands for a figure."""
    for m in pre.word_anchor_scan.finditer(text, a, b):
        found = m.group()
        low = found.lower()
        if found in pre.signs or found in pre.ratio_adverbs or low in pre.bare_scales \
                or (low in pre.unit_forms and _number_word_before(text, a, m.start(), pre)):
            return True
    return False


def extract_document(doc: Document, lex: Lexicon | None = None) -> list[Claim]:
    with collector_paused():
        return _extract_document(doc, lex or load())


@dataclass(frozen=True)
class Rejection:
    """A figure that made no claim, and the rules that decided so (the last field of `trace` says why)."""

    text: str  # the figure as written
    sentence: str
    trace: dict[str, str]


def rejections(doc: Document, lex: Lexicon | None = None) -> list[Rejection]:
    """The figures of a document that made no claim, each with the trace of the rule that turned it down:
    for asking why a figure is missing (a share, a part of trade, no pair)."""
    out: list[Rejection] = []
    with collector_paused():
        _extract_document(doc, lex or load(), out)
    return out


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector is off while one document is read.

    Every object made for a document stays alive until its end (sentences are read again for context),
    so each full pass of the collector walks all of them, and the passes add up faster than the
    document grows: a quarter of the time of a 16 MB page, and growing with it. The extractor makes
    no reference cycles to speak of; what little it makes is collected as soon as the collector is
    back on, after the document."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _extract_document(doc: Document, lex: Lexicon, rejected: list[Rejection] | None = None) -> list[Claim]:
    text = doc.text
    if not text or not text.strip():
        return []
    reading = reading_of(doc, lex)
    pre = _prefilters(lex)
    # Only the article is split and read: the page's blocks of other news after it are not. Where the
    # first figure could be (a heading above it is the page's menu) matters only if there is a heading;
    # without one, a text with no figure anchor at all has no sentence that _figure_sentences keeps.
    end = len(text)
    if pre.chrome.match(text) or pre.chrome_after_break.search(text):
        first = _first_anchor(text, pre)
        # a figure without digits («Удвоение товарооборота …») may come first: looked for only before it
        own = _own_words(text, len(text) if first is None else first, pre)
        first = own[0] if own else first
        if first is None:
            return []
        end = _body_end(text, pre, first)
    sents = reading.sentences(end)
    figure_idx = _figure_sentences(text, sents, pre)
    if not figure_idx:
        return []
    published, outlet = reading.published, reading.outlet

    def get(i: int) -> Sentence:
        return reading.sentence(sents, i)

    with_figures = [s for s in map(get, figure_idx) if s.figures]
    if not with_figures:
        return []

    # The pair the document is about: its title and lead weigh most, then every sentence with a figure.
    lead = [get(i) for i in _lead_indices(text, sents)]
    title = doc.title or heading_of(text) or _first_line(text)
    if lead and lead[0].text == title:
        title_mentions = lead[0].mentions  # the title opens the text, as scraped pages have it
    else:
        title_mentions = find_mentions(tokenize(title, 0), lex, outlet)
    # Sentences with a figure but no indicator word (polls, page chrome) say nothing of the pair.
    telling = [s for s in with_figures if s.cues.indicators or s.cues.sending or s.cues.signing
               or any(f.unit not in ("%", "x") for f in s.figures)]
    weighted = [(title_mentions, 3)] + [(s.mentions, 2) for s in lead] + [(s.mentions, 1) for s in telling]
    doc_context = DocContext(doc.id, published, tuple(rank_context(weighted)), text, lex, sents, get,
                             tuple(s.index for s in with_figures), tuple(title_mentions), pre.aid)
    so_far = SoFar()
    for s in with_figures:
        prev = [get(j) for j in range(max(0, s.index - _CONTEXT_BEFORE), s.index)]
        for fig in s.figures:
            why = Trace()
            claim = decide_claim(s, fig, prev, doc_context, so_far, lex, why)
            if claim is None and rejected is not None:
                rejected.append(Rejection(text[fig.start:fig.end], s.text, why.as_dict()))
            so_far.record(s.index, claim, fig.unit)
    # the second pass: resolutions across claims give new claims, the first pass's stay as they were
    return _headline_periods(so_far.claims)


_WORDY = re.compile(r"[^\W\d_]{2,}")
_LEAD_LOOKAHEAD = 20  # sentences: how far a page's chrome lines («|», «![]()») may push its lead


def _lead_indices(text: str, sents: Sentences) -> list[int]:
    """The first few sentences that have words. A scraped page's lines of image links and separators
    («![]() |») say nothing of the pair, and would otherwise take the places of the lead's sentences."""
    out = []
    for i in range(min(len(sents), _LEAD_LOOKAHEAD)):
        a, b = sents.span(i)
        if sum(1 for _ in islice(_WORDY.finditer(text, a, b), 3)) == 3:  # three words are enough
            out.append(i)
            if len(out) == LEAD_SENTENCES:
                break
    return out or list(range(min(LEAD_SENTENCES, len(sents))))


def _first_line(text: str, limit: int = 200) -> str:
    """A document without a title is headed by its first line (a scraped page opens with its title)."""
    end = text.find("\n")
    return text[:end] if 0 <= end else text[:limit]


_HEADLINE_ROUNDING = 0.05  # a headline rounds its figure: «превысил $14 млрд» for the body's 14,4 млрд


def _headline_periods(claims: list[tuple[int, Claim]]) -> list[Claim]:
    """The claims, where a figure repeated later with its period (a headline, a lead) takes that period, as a
    new claim that says so in its trace; `claims` are (sentence index, claim) pairs and are not changed.

    The later figures with a period are indexed by series and by the size of their value (buckets a
    rounding wide), so each figure without a period looks only at the few that could match: linear
    in the document, where comparing every pair took minutes on a 16 MB page."""
    if all(c.period for _, c in claims):
        return [c for _, c in claims]  # nothing to look up: most documents
    index = _HeadlineIndex(claims)
    out = []
    for k, (sentence, c) in enumerate(claims):
        match = None if c.period else index.first_after(k, c, _HEADLINE_ROUNDING if sentence == 0 else 0.01)
        if match is not None:
            c = replace(c, period=match, trace={**(c.trace or {}), "period": "period.headline-repeat"})
        out.append(c)
    return out


class _HeadlineIndex:
    """Claims with a period: (indicator, unit, countries, sign, bucket of log |value|) -> their positions.

    A bucket is as wide as the tightest tolerance (1 %), so the candidates looked at are nearly all
    matches: a page that repeats its figures (a 64 MB dump) does not rescan the near misses."""

    _WIDTH = math.log1p(0.01)

    def __init__(self, claims: list[tuple[int, Claim]]) -> None:
        self.claims = claims
        self.buckets: dict[tuple, list[int]] = {}
        for k, (_, c) in enumerate(claims):
            if c.period:
                self.buckets.setdefault(self._key(c, self._bucket(c.value)), []).append(k)

    @classmethod
    def _bucket(cls, value: float) -> int | None:
        return None if value == 0 else math.floor(math.log(abs(value)) / cls._WIDTH)

    @staticmethod
    def _key(c: Claim, bucket: int | None) -> tuple:
        return (c.indicator, c.unit, tuple(c.countries), c.value > 0, bucket)

    def first_after(self, k: int, c: Claim, tolerance: float) -> str | None:
        """The period of the first claim after position k of c's series whose value is within tolerance."""
        b = self._bucket(c.value)
        reach = math.ceil(math.log1p(tolerance) / self._WIDTH) + 1
        near = [None] if b is None else range(b - reach, b + reach + 1)
        best: int | None = None
        for bucket in near:
            positions = self.buckets.get(self._key(c, bucket), ())
            for i in range(bisect.bisect_right(positions, k), len(positions)):  # no copy of the tail
                pos = positions[i]
                if best is not None and pos >= best:
                    break
                if abs(self.claims[pos][1].value - c.value) <= tolerance * abs(c.value):
                    best = pos
                    break
        return None if best is None else self.claims[best][1].period
