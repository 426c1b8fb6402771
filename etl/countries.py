"""Counterparties: which countries (or blocs) a stretch of text names, and which pair a document is about.

A side can be named by its name in any case (Кыргызстаном, Киргизии), an adjective
(казахстанский экспорт), a compound adjective (российско-киргизские: two sides at once), its
capital (Москва, Бишкека), its leader (Путиным, Жапарова), a bloc (ЕАЭС), "наша страна"
(the outlet's country), or generically ("двух стран", "стороны"), which points to the pair the
document is about."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from etl.lexicon import EntityName, Lexicon, SideWords, per_lexicon
from etl.morph import lexeme_forms, word_info
from etl.numbers import Tok

class Mention(NamedTuple):  # a tuple: cheaper to build than a frozen dataclass
    """A side named in a sentence. Its case and preposition are read when a rule asks: most mentions
    only rank the document's sides, and each of the two may take a parse of a word read nowhere else."""

    code: str | None  # None for a generic reference to the document's pair ("двух стран")
    kind: str  # name | adjective | capital | leader | bloc | demonym | compound | ours | generic
    first: int  # token indices in the sentence
    last: int
    toks: list[Tok]  # the sentence's tokens
    sides: SideWords  # the lexicon's words its case and preposition are read with (sides.toml)

    @property
    def case(self) -> str | None:
        """Grammatical case of the (last) word, from pymorphy3. An abbreviation that does not decline
        («РФ», «КНР») is read from its place: right before a finite verb it is the subject."""
        case = word_info(self.toks[self.last].lower).case
        # its parse guesses a case the word does not show; after «и» it shares the case of the first
        # conjunct («между Узбекистаном и ЕС выросла»), which this does not know
        if self.toks[self.last].text.isupper() and not (self.first > 0
                                                         and self.toks[self.first - 1].lower in self.sides.coordinators):
            # the subject when its verb follows with no noun of its own case between («РФ вложила»,
            # «РФ за последние 18 лет вложила»)
            for k in range(self.last + 1, min(self.last + 7, len(self.toks))):
                t = self.toks[k]
                if t.kind != "word":
                    break
                info = word_info(t.lower)
                if info.pos == "VERB":
                    return "nomn"
                if info.pos == "NOUN" and info.case == "nomn":
                    break
        return case

    @property
    def prep(self) -> str | None:
        """The preposition just before, if any."""
        return _prep_before(self.toks, self.first, self.sides)

    def __repr__(self) -> str:
        return f"Mention(code={self.code!r}, kind={self.kind!r}, first={self.first}, last={self.last})"


_new_mention = tuple.__new__  # builds a Mention without the Python-level __new__ of a NamedTuple

Ours = str | None | Callable[[int], str | None]
_OPENING_QUOTES = frozenset('«"„“')
_CLOSING_QUOTES = frozenset('»"“”')


def _match(toks: list[Tok], i: int, e: EntityName) -> int | None:
    """Index of the last token if entity name `e` starts at toks[i]."""
    j = i
    for k, forms in enumerate(e.words):
        if j >= len(toks) or toks[j].kind != "word":
            return None
        t = toks[j]
        if e.case_sensitive:
            if t.text not in forms:
                return None
        else:
            if t.lower not in forms:
                return None
            # Names are capitalised; this keeps «того» from being Togo. Adjectives are not.
            if k == 0 and e.kind not in ("adjective", "demonym") and not t.text[0].isupper():
                return None
        j += 1
    return j - 1


def _prep_before(toks: list[Tok], i: int, sides: SideWords) -> str | None:
    k = i - 1
    # skip adjectives between a preposition and the name: «в соседнюю Киргизию»
    while k >= 0 and toks[k].kind == "word" and k >= i - 3:
        low = toks[k].lower
        if low in sides.prepositions:
            return low
        # «из стран ШОС», «в государства — члены ЕАЭС»: the group noun stands between
        info = word_info(toks[k].lower)
        if info.pos not in ("ADJF", "PRTF") and info.lemma not in sides.group_noun_lemmas:
            # «в экономику Таджикистана»: a genitive side of a noun governed by «в» is the destination
            if info.pos == "NOUN" and info.case == "accs" and k > 0 and toks[k - 1].lower in sides.into_prepositions \
                    and toks[i].info.case == "gent":
                return sides.into_prepositions[0]
            # «от правительства Китая», «из бюджета России»: so is the source of a noun governed by «от», «из»
            if info.pos == "NOUN" and k > 0 and toks[k - 1].lower in sides.out_of_prepositions \
                    and toks[i].info.case == "gent":
                return toks[k - 1].lower
            return None
        k -= 1
    return None


@dataclass(frozen=True)
class _NameIndex:
    """Lookups derived from the lexicon's names, built once per lexicon."""

    starts: frozenset[str]  # lower-case forms of every word a mention can start with: a name's, a generic word
    # first word form -> the names a word in lower case can start: adjectives, demonyms and abbreviations
    # (the others are capitalised: «того» is not Togo, «республики» alone is no country)
    lower_initial: dict[str, tuple[EntityName, ...]]
    generic: frozenset[str]  # every form of the words that start a generic or «our» reference
    union: frozenset[str]  # every form of «союз» (sides.toml union_lemmas)
    compounds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # filled by _compound, per word form


def _compound(low: str, lex: Lexicon, index: _NameIndex) -> tuple[str, ...]:
    """The sides a hyphenated adjective names («российско-киргизские» -> RUS, KGZ), or () when it is not
    such a compound («вице-премьер»): read once per word form."""
    codes = index.compounds.get(low)
    if codes is None:
        parts = low.split("-")
        head = parts[-1]
        prefixes = [lex.compound_prefixes.get(p) for p in parts[:-1]]
        head_code = None
        for e in lex.names_by_first.get(head, ()):
            if e.kind == "adjective" and len(e.words) == 1:
                head_code = e.code
                break
        codes = index.compounds[low] = (*prefixes, head_code) if head_code and all(prefixes) else ()
    return codes


@per_lexicon
def _name_index(lex: Lexicon) -> _NameIndex:
    lower_initial = {k: tuple(e for e in v if e.case_sensitive or e.kind in ("adjective", "demonym"))
                     for k, v in lex.names_by_first.items()}
    sides = lex.sides
    generic = frozenset(f for w in (sides.ours_lemmas | sides.generic_lemmas | sides.between_plural_lemmas
                                    | sides.pair_quantifier_lemmas) for f in lexeme_forms(w))
    starts = frozenset(k.lower() for k in lex.names_by_first) | generic
    union = frozenset(f for w in sides.union_lemmas for f in lexeme_forms(w))
    return _NameIndex(starts, lower_initial, generic, union)


def find_mentions(toks: list[Tok], lex: Lexicon, outlet_country: Ours = None, union: str | None = None) -> list[Mention]:
    """The sides named in `toks`. `outlet_country` is whose «наша страна» is: a code, or a function of
    the text position (etl.speakers: inside a quotation it is the speaker's). `union` is the bloc that
    «союз» alone stands for in this document (see document_union)."""
    out = _find_mentions(toks, lex, outlet_country)
    if union:
        taken = {k for m in out for k in range(m.first, m.last + 1)}
        forms = _name_index(lex).union
        sides = lex.sides
        extra = [_new_mention(Mention, (union, "bloc", i, i, toks, sides)) for i, t in enumerate(toks)
                 if t.lower in forms and i not in taken  # not «Советского Союза»:
                 and not (i > 0 and word_info(toks[i - 1].lower).lemma in sides.not_union_after_lemmas)]
        if extra:
            out = sorted(out + extra, key=lambda m: m.first)
    return out


@per_lexicon
def _union_patterns(lex: Lexicon) -> tuple[tuple[str, re.Pattern], ...]:
    """For each bloc with «союз» in one of its names (ЕАЭС, ЕС), a pattern that finds any of its names."""
    out = []
    for code, names in lex.bloc_names.items():
        if not any(u in n.lower() for n in names for u in lex.sides.union_lemmas):
            continue
        alts = []
        for n in names:
            words = n.split()
            if len(words) == 1 and n.isupper():
                alts.append(rf"(?<!\w){re.escape(n)}(?!\w)")
            elif len(words) == 1:
                alts.append(re.escape(n) + r"\w*")  # «Евросоюз», not every «Евро…» («Евростат»)
            else:
                alts.append(r"\s+".join(re.escape(w[:max(4, len(w) - 3)]) + r"\w*" for w in words))
        out.append((code, re.compile("|".join(alts))))
    return tuple(out)


def document_union(text: str, lex: Lexicon) -> str | None:
    """The bloc «союз» alone means in a text: the one bloc named «… союз» the text names («страны союза»,
    «партнеры по союзу» after «Евразийский экономический союз»); None when it names none or two."""
    for word in lex.sides.union_lemmas:  # no bare «союз» to resolve: a plain substring test, where most texts stop
        if word in text:
            break
    else:
        return None
    found = {code for code, pattern in _union_patterns(lex) if pattern.search(text)}
    return found.pop() if len(found) == 1 else None


def _find_mentions(toks: list[Tok], lex: Lexicon, outlet_country: Ours = None) -> list[Mention]:
    out: list[Mention] = []
    index = _name_index(lex)
    generic = index.generic
    sides = lex.sides
    starts = index.starts
    n = len(toks)
    # Only a word that can start a name, a generic reference or a compound adjective is read further.
    candidates = [i for i, t in enumerate(toks) if ((low := t.lower) in starts or "-" in low) and t.kind == "word"]
    resume = 0  # the token after the last mention found: a mention's own words start none
    for i in candidates:
        if i < resume:
            continue
        t = toks[i]
        low = t.lower
        # compound adjectives: «российско-киргизские», «казахско-кыргызских»
        if "-" in low and (codes := _compound(low, lex, index)):
            for c in codes:
                out.append(_new_mention(Mention, (c, "compound", i, i, toks, sides)))
            continue
        matched = None
        names = lex.names_by_first if t.text[0].isupper() else index.lower_initial
        # as written first (abbreviations: «РК»), then in lower case
        for key in ((t.text, low) if t.text != low else (low,)):
            for e in names.get(key, ()):
                # a one-word name found by its lower-case form, in the table for this capitalisation,
                # is a match: _match would only check again what the lookup did
                last = i if key == low and len(e.words) == 1 and not e.case_sensitive else _match(toks, i, e)
                if last is not None:
                    matched = (e, last)
                    break
            if matched:
                break
        if matched:
            e, last = matched
            resume = last + 1
            if 0 < i and toks[i - 1].text in _OPENING_QUOTES and last + 1 < n and toks[last + 1].text in _CLOSING_QUOTES:
                continue  # a thing's name in quotation marks: the airport «Минск», the hotel «Россия»
            out.append(_new_mention(Mention, (e.code, e.kind, i, last, toks, sides)))
            continue
        if low not in generic:
            continue
        info = word_info(low)
        # «наша страна» is the outlet's country; «наши страны», «двух стран» are the document's pair
        if info.lemma in sides.ours_lemmas and i + 1 < n and toks[i + 1].kind == "word":
            nxt = toks[i + 1].info
            if nxt.lemma in sides.generic_pair_noun_lemmas:
                plural = nxt.plural
                if plural:
                    out.append(_new_mention(Mention, (None, "generic", i, i + 1, toks, sides)))
                elif code := (outlet_country(t.start) if callable(outlet_country) else outlet_country):
                    out.append(_new_mention(Mention, (code, "ours", i, i + 1, toks, sides)))
                resume = i + 2
                continue
        if info.lemma in sides.pair_quantifier_lemmas and i + 1 < n and toks[i + 1].kind == "word" \
                and toks[i + 1].info.lemma in sides.generic_pair_noun_lemmas:
            out.append(_new_mention(Mention, (None, "generic", i, i + 1, toks, sides)))
            resume = i + 2
            continue
        if info.lemma in sides.generic_lemmas or (
            info.lemma in sides.between_plural_lemmas and low.startswith(sides.between_plural_starts)
            and i > 0 and toks[i - 1].lower in sides.between
        ):
            out.append(_new_mention(Mention, (None, "generic", i, i, toks, sides)))
    return out


def rank_context(weighted: list[tuple[list[Mention], int]]) -> list[str]:
    """The document's sides, most salient first: title and lead mentions weigh more."""
    score: dict[str, int] = {}  # in the order the sides are first seen
    for mentions, weight in weighted:
        for m in mentions:
            if m.code is not None:
                score[m.code] = score.get(m.code, 0) + weight
    # a stable sort (reversed too): equal scores keep the order first seen
    return sorted(score, key=score.__getitem__, reverse=True)


def outlet_from_url(url: str | None, lex: Lexicon) -> str | None:
    """The country an outlet writes from, by its site's domain (outlets.csv): «24.kg» -> KGZ,
    «uz.sputniknews.ru» -> UZB; None for generic domains («.com», «.info»)."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = host.split(".")
    for k in range(len(labels)):  # the longest suffix of the host named in the table
        code = lex.outlet_domains.get(".".join(labels[k:]))
        if code:
            return code
    return None
