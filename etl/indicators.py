"""Indicator words in a sentence, recognised by lemma (pymorphy3), and the cue words around them."""
from __future__ import annotations

from typing import NamedTuple

from etl.lexicon import MISSING, Lexicon, per_lexicon, per_word
from etl.morph import lexeme_forms, may_have_lemma, word_info
from etl.numbers import Tok


class Cue(NamedTuple):  # a tuple: cheaper to build than a frozen dataclass
    index: int  # token index in the sentence
    indicator: str


_new_cue = tuple.__new__  # builds a Cue without the Python-level __new__ of a NamedTuple


class SentenceCues(NamedTuple):  # a tuple: cheaper to build than a frozen dataclass
    indicators: tuple[Cue, ...]
    signing: bool  # the sentence speaks of signing documents
    sending: tuple[int, ...]  # token indices of verbs of sending
    aid: bool  # an aid word is present
    not_bilateral: tuple[int, ...]  # token indices of region / whole-world words


def _lemma_seq_at(toks: list[Tok], i: int, phrase: tuple[str, ...]) -> bool:
    for k, lem in enumerate(phrase):
        j = i + k
        if j >= len(toks) or toks[j].kind != "word" or lem not in word_info(toks[j].lower).lemmas:
            return False
    return True


class _WordCues(NamedTuple):
    indicator: str | None
    signing: bool
    sending: bool
    not_bilateral: bool
    # the indicator phrases and the region phrases the word may begin (their first lemma is one of its)
    phrases: tuple[tuple[tuple[str, ...], str], ...]
    not_bilateral_phrases: tuple[tuple[str, ...], ...]


@per_lexicon
def cue_forms(lex: Lexicon) -> frozenset[str]:
    """Every form of the lemmas a word may cue by: indicators, phrases' first words, signing, sending,
    regions: built once per lexicon."""
    lemmas = {*lex.indicator_lemmas, *(p[0] for p, _ in lex.indicator_phrases),
              *(p[0] for p in lex.not_bilateral_phrases), *lex.signing_lemmas, *lex.sending_lemmas,
              *lex.not_bilateral_lemmas}
    return frozenset(f for lem in lemmas for f in lexeme_forms(lem))


@per_word
def _word_cues(lower: str, lex: Lexicon) -> _WordCues | None:
    """What one word form can cue, read from its lemmas once per form; None for most words, that cue nothing."""
    if not may_have_lemma(lower, cue_forms(lex)):
        return None  # every cue below is a lemma of the word: none is, and the word is not parsed for it
    info = word_info(lower)
    ind = lex.indicator_lemmas.get(info.lemma)
    if ind is None:
        ind = next((lex.indicator_lemmas[x] for x in info.lemmas if x in lex.indicator_lemmas), None)
    phrases = tuple((p, name) for p, name in lex.indicator_phrases if p[0] in info.lemmas)
    nb_phrases = tuple(p for p in lex.not_bilateral_phrases if p[0] in info.lemmas)
    cues = _WordCues(ind, info.lemma in lex.signing_lemmas, info.lemma in lex.sending_lemmas,
                     # (as written too: pymorphy3 guesses odd lemmas for abbreviations, «АСЕАН» -> «асеана»)
                     info.lemma in lex.not_bilateral_lemmas or lower in lex.not_bilateral_lemmas, phrases, nb_phrases)
    return cues if any(cues) else None


def find_cues(toks: list[Tok], lex: Lexicon) -> SentenceCues:
    indicators: list[Cue] = []
    sending: list[int] = []
    not_bilateral: list[int] = []
    signing = aid = False
    known = _word_cues.table(lex)
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        w = known.get(t.lower, MISSING)
        if w is MISSING:
            w = _word_cues(t.lower, lex)
        if w is None or not t.text[0].isalpha():  # most words cue nothing: test that first
            continue
        ind = w.indicator
        nb = w.not_bilateral
        # only the phrases this word may begin: the others fail at their first lemma
        for phrase, name in w.phrases:
            if _lemma_seq_at(toks, i, phrase):
                ind = name
                break
        nb = nb or any(_lemma_seq_at(toks, i, p) for p in w.not_bilateral_phrases)
        if ind is not None:
            indicators.append(_new_cue(Cue, (i, ind)))
            aid = aid or ind == "aid"
        signing = signing or w.signing
        if w.sending:
            sending.append(i)
        if nb:
            not_bilateral.append(i)
    return SentenceCues(tuple(indicators), signing, tuple(sending), aid, tuple(not_bilateral))
