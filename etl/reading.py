"""What the claims and the events both read of one document, read once: its date, whose «наша страна»,
the union «союз» stands for, its sentence splits, and each sentence's analysis (tokens, figures, sides,
times), keyed by its span.

Ingest extracts a document's claims, then its events: the second extractor finds the first one's
reading of the same document (`reading_of` keeps the last one) instead of splitting, tokenising and
looking up the same sentences again."""
from __future__ import annotations

from datetime import date

from etl.countries import document_union, outlet_from_url
from etl.lazy import lazy
from etl.lexicon import Lexicon
from etl.model import Document
from etl.periods import infer_published, parse_iso_date, reference_date, undated_reference
from etl.sentence import Sentence
from etl.speakers import OursResolver
from etl.text import Sentences


class Reading:
    """One document as both extractors read it. Everything is read when first asked for."""

    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.doc, self.text, self.lex = doc, doc.text, lex
        self._splits: dict[int | None, Sentences] = {}
        self._sentences: dict[tuple[int, int], Sentence] = {}

    @lazy
    def published(self) -> date | None:
        """The date relative times are read against: the document's, else the one its text or URL gives."""
        doc, text, lex = self.doc, self.text, self.lex
        return reference_date(parse_iso_date(doc.published) or parse_iso_date(infer_published(text, doc.url, lex=lex))) \
            or reference_date(undated_reference(text, lex))

    @lazy
    def outlet(self) -> str | None:
        """Whose «наша страна»: as given, else the country of the site the article comes from (looked up
        only for a text that says «наш…»)."""
        if self.doc.outlet_country:
            return self.doc.outlet_country
        may_say = any(stem in self.text or stem.capitalize() in self.text for stem in self.lex.words.ours_stems)
        return outlet_from_url(self.doc.url, self.lex) if may_say else None

    @lazy
    def ours(self) -> OursResolver:
        return OursResolver(self.text, self.lex, self.outlet)

    @lazy
    def union(self) -> str | None:
        """The bloc «союз» alone stands for («страны союза» after «Евразийский экономический союз»)."""
        return document_union(self.text, self.lex)

    def sentences(self, end: int) -> Sentences:
        """The text's sentences up to `end` (the article: the page's blocks of other news are not split).
        Splits up to different ends agree on every sentence but the last."""
        if end not in self._splits:
            self._splits[end] = Sentences(self.text, end, self.lex)
        return self._splits[end]

    def sentence(self, sents: Sentences, i: int) -> Sentence:
        """Sentence i of a split, analysed once whichever extractor asks first."""
        a, b = sents.span(i)
        s = self._sentences.get((a, b))
        if s is None:
            s = self._sentences[a, b] = Sentence(i, a, b, self.text[a:b], self.lex, self.published, self.ours,
                                                 self.union)
        return s


_last: list[Reading] = []  # the last document's reading: its events are extracted right after its claims


def reading_of(doc: Document, lex: Lexicon) -> Reading:
    """The reading of `doc` (the very object) with `lex`: the last one if it was of the same, else a new one."""
    if _last and _last[0].doc is doc and _last[0].lex is lex:
        return _last[0]
    r = Reading(doc, lex)
    _last[:] = [r]
    return r
