"""Indicator words in a sentence, recognised by lemma (pymorphy3), and the cue words around them."""
from __future__ import annotations

from dataclasses import dataclass

from etl.lexicon import Lexicon
from etl.numbers import Tok


@dataclass(frozen=True, slots=True)
class Cue:
    index: int  # token index in the sentence
    indicator: str


@dataclass(frozen=True, slots=True)
class SentenceCues:
    indicators: tuple[Cue, ...]
    signing: bool  # the sentence speaks of signing documents
    sending: tuple[int, ...]  # token indices of verbs of sending
    aid: bool  # an aid word is present
    not_bilateral: tuple[int, ...]  # token indices of region / whole-world words


def _lemma_seq_at(toks: list[Tok], i: int, phrase: tuple[str, ...]) -> bool:
    for k, lem in enumerate(phrase):
        j = i + k
        if j >= len(toks) or toks[j].kind != "word" or lem not in toks[j].info.lemmas:
            return False
    return True


def find_cues(toks: list[Tok], lex: Lexicon) -> SentenceCues:
    indicators: list[Cue] = []
    sending: list[int] = []
    not_bilateral: list[int] = []
    signing = aid = False
    for i, t in enumerate(toks):
        if t.kind != "word" or not t.text[0].isalpha():
            continue
        info = t.info
        lem = info.lemma
        ind = lex.indicator_lemmas.get(lem)
        if ind is None:
            for x in info.lemmas:
                if x in lex.indicator_lemmas:
                    ind = lex.indicator_lemmas[x]
                    break
        for phrase, name in lex.indicator_phrases:
            if _lemma_seq_at(toks, i, phrase):
                ind = name
                break
        if ind is not None:
            indicators.append(Cue(i, ind))
            aid = aid or ind == "aid"
        if lem in lex.signing_lemmas:
            signing = True
        if lem in lex.sending_lemmas:
            sending.append(i)
        if lem in lex.not_bilateral_lemmas or any(_lemma_seq_at(toks, i, p) for p in lex.not_bilateral_phrases):
            not_bilateral.append(i)
    return SentenceCues(tuple(indicators), signing, tuple(sending), aid, tuple(not_bilateral))
