"""Russian morphology through pymorphy3, cached per word form.

News text repeats its word forms heavily, so a per-form cache makes morphology nearly free
after the first few documents."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import pymorphy3


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@dataclass(frozen=True, slots=True)
class WordInfo:
    lemma: str  # the most likely normal form
    lemmas: frozenset[str]  # normal forms of every parse: "сомов" -> {сомовый, сом}
    pos: str | None  # part of speech of the most likely parse
    case: str | None  # nomn, gent, datv, accs, ablt, loct
    tense: str | None  # past, pres, futr
    infinitive: bool
    plural: bool


@lru_cache(maxsize=200_000)
def word_info(word: str) -> WordInfo:
    parses = analyzer().parse(word.lower())
    best = parses[0]
    tag = best.tag
    lemmas = frozenset(p.normal_form for p in parses)
    # pymorphy3 normalises ё inconsistently; compare with and without it.
    lemmas = lemmas | frozenset(x.replace("ё", "е") for x in lemmas)
    # Plain strings: pymorphy3's typed grammemes compare through a Python-level __eq__,
    # and the rules compare these fields for every token they read.
    return WordInfo(
        lemma=best.normal_form,
        lemmas=lemmas,
        pos=_plain(tag.POS),
        case=_plain(tag.case),
        tense=_plain(tag.tense),
        infinitive=tag.POS == "INFN",
        plural=tag.number == "plur",
    )


def _plain(grammeme: str | None) -> str | None:
    return None if grammeme is None else str(grammeme)


@lru_cache(maxsize=200_000)
def is_known(word: str) -> bool:
    """Whether the dictionary has the word (ё read as е): a lookup ~8 times cheaper than a parse. Every
    parse of a known word is the dictionary's (pymorphy3 stops at the dictionary when it knows a word),
    and its normal form is the first form of a paradigm that holds the word."""
    return analyzer().word_is_known(word)


def may_have_lemma(word: str, forms: frozenset[str]) -> bool:
    """False when no parse of `word` has a normal form among some lemmas, decided without parsing it:
    `forms` holds lexeme_forms(lemma) of each of those lemmas, and a known word outside them is in no
    paradigm of theirs. (An unknown word is guessed by analogy: it must be parsed to know.)"""
    return word in forms or not is_known(word)


def lemma(word: str) -> str:
    return word_info(word).lemma


@lru_cache(maxsize=50_000)
def lexeme_forms(word: str) -> frozenset[str]:
    """Every form of a word's lexeme (lower case), for building surface-form indexes of names."""
    forms = set()
    low = word.lower()
    for k, p in enumerate(analyzer().parse(low)):
        # the likeliest reading («Шанхайская» -> шанхайский), and readings that are the word itself
        if k == 0 or p.normal_form.replace("ё", "е") == low.replace("ё", "е"):
            forms.update(f.word for f in p.lexeme)
    forms.add(word.lower())
    return frozenset(forms) | frozenset(f.replace("ё", "е") for f in forms)


def singular_forms(word: str) -> frozenset[str]:
    """The singular forms of a noun's lexeme (lower case): «миллиард», «миллиарда», «миллиардом»..."""
    best = analyzer().parse(word.lower())[0]
    return frozenset(f.word for f in best.lexeme if "sing" in f.tag)
