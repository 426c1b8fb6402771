"""One sentence and what is found in it: tokens, figures, mentions of sides, indicator and cue words,
times, clauses; each found when a rule first asks (etl/claim_rules.py decides the claims from them).

Every word a cue is read from comes from the lexicon's tables; the tables derived from them (the forms
of cue lemmas, the cues of each word form) are built once per lexicon."""
from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import NamedTuple

from etl.countries import Mention, Ours, find_mentions
from etl.indicators import SentenceCues, find_cues
from etl.lazy import lazy
from etl.lexicon import MISSING, FunctionWords, Lexicon, per_lexicon, per_word
from etl.morph import lexeme_forms, may_have_lemma, word_info
from etl.numbers import Figure, Tok, find_figures, tokenize
from etl.periods import TimeExpr, find_times, may_name_date
from etl.text import clause_bounds


class Sentence:
    """One sentence and what is found in it, each part computed when first asked for.

    Offsets of times and clauses are relative to the sentence; token offsets are absolute."""

    def __init__(self, index: int, start: int, end: int, text: str, lex: Lexicon,
                 published: date | None, outlet_country: Ours, union: str | None = None) -> None:
        self.index, self.start, self.end, self.text = index, start, end, text
        self._lex, self._published, self._outlet, self._union = lex, published, outlet_country, union
        self.clause_of: dict[int, tuple[int, int]] = {}  # token index -> its clause, filled by _clause
        self.left_of: dict[int, list[int]] = {}  # a figure's first token -> the words before it, by _left_words

    @property
    def lex(self) -> Lexicon:
        return self._lex

    @lazy
    def toks(self) -> list[Tok]:
        return tokenize(self.text, self.start)

    @lazy
    def lemmas(self) -> list[str]:
        """Each token's lemma (its lower-case text for what is not a word)."""
        return [word_info(t.lower).lemma if t.kind == "word" else t.lower for t in self.toks]

    @lazy
    def figures(self) -> list[Figure]:
        return find_figures(self.toks, self._lex)

    @lazy
    def mentions(self) -> list[Mention]:
        # «долларов США» names a currency, not a side
        found = find_mentions(self.toks, self._lex, self._outlet, self._union)
        if not self.figures or not found:
            return found
        inside = {k for f in self.figures for k in range(f.first, f.last + 1)}
        return [m for m in found if m.first not in inside]

    @lazy
    def cues(self) -> SentenceCues:
        return find_cues(self.toks, self._lex)

    @lazy
    def times(self) -> list[TimeExpr]:
        return find_times(self.text, self._published, self._lex)

    def times_if_dated(self) -> list[TimeExpr]:
        """The times, when the sentence may name a day, a month or a quarter (periods.DATED_KINDS); else []
        without running find_times: for the callers that want dates only."""
        if "times" in self.__dict__ or self.may_name_date:  # found already, or worth finding
            return self.times
        return []

    @lazy
    def mention_tokens(self) -> frozenset[int]:
        """Indices of the tokens that name a side."""
        return frozenset(k for m in self.mentions for k in range(m.first, m.last + 1))

    @lazy
    def attribution_start(self) -> int | None:
        return _attribution_start(self)

    @lazy
    def may_name_date(self) -> bool:
        return may_name_date(self.text, self._lex)

    @lazy
    def clauses(self) -> list[tuple[int, int]]:
        return clause_bounds(self.text, self._lex)

    # Facts about single tokens that the rules read for every figure, found once per sentence.

    @lazy
    def receiving_at(self) -> list[int]:
        """Sentence offsets of its verbs of receiving («получит», «привлечь»): whose subject a flow reaches."""
        lemmas = self._lex.words.receiving_lemmas
        return [t.start - self.start for t in self.toks if t.kind == "word" and word_info(t.lower).lemma in lemmas]

    @lazy
    def starts(self) -> list[int]:
        """Absolute token offsets, to find the tokens of a clause or a time by bisection."""
        return [t.start for t in self.toks]

    @lazy
    def cue_words(self) -> _CueWords:
        """The words of the sentence that the kind, modality and sides rules look for, in one pass."""
        out = _CueWords([], [], [], [])
        toks = self.toks
        lex = self._lex
        fw = lex.words
        known = word_cue.table(lex)
        for i, t in enumerate(toks):
            if t.kind != "word":
                continue
            c = known.get(t.lower, MISSING)
            if c is MISSING:
                c = word_cue(t.lower, lex)
            if c is None:
                continue
            if c.kind:
                out.kind.append((i, c.kind))
            if c.expects and _that_follows(toks, i, fw):
                out.modal.append((i, 2, "forecast"))
            elif c.modal and not (i > 0 and toks[i - 1].lower in fw.by_order_of and c.by_order_of) \
                    and not (c.modal[0] == "target" and _after_may(toks, i, lex)):
                out.modal.append((i, c.modal[1], c.modal[0]))
            if c.modal_after:
                out.modal_after.append((i, c.modal_after))
            # a region noun after a capitalised adjective or noun: «Ленинградская область»
            if c.region and i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text[0].isupper() \
                    and toks[i - 1].info.pos in ("ADJF", "NOUN"):
                out.regions.append(i)
        return out


class _CueWords(NamedTuple):
    kind: list[tuple[int, str]]  # (token index, "growth" | "fall" | "level"): words that state a change or a level
    modal: list[tuple[int, int, str]]  # (token index, strength, modality) of the modal words, read left of a figure
    modal_after: list[tuple[int, str]]  # (token index, modality): words that make a figure before them a plan
    regions: list[int]  # token indices of a province or region named with its capitalised adjective


class _WordCue(NamedTuple):
    kind: str | None
    modal: tuple[str, int] | None
    modal_after: str | None
    region: bool  # a province, a region (its lemma)
    by_order_of: bool = False  # «(по) поручению»: after «по», not a modal word
    expects: bool = False  # «рассчитывает, что»: before «что», a forecast


@per_word
def word_cue(lower: str, lex: Lexicon) -> _WordCue | None:
    """What one word form cues for the rules, read from the cue tables once per form; None for most words."""
    surface, forms = cue_forms(lex)
    if lower not in surface and not may_have_lemma(lower, forms):
        return None  # the cues below are lemmas of the word, or kind words as written: none is here
    lemma = word_info(lower).lemma
    mc = lex.cues["modality"]
    cue = _WordCue(_kind_word(lower, lex), _modal_word(lower, lex), _modal_word_after(lower, lex),
                   lemma in lex.subnational_nouns, lemma in mc["by_order_of"], lemma in mc["expect_that"])
    return cue if any(cue) else None


def _after_may(toks: list[Tok], i: int, lex: Lexicon) -> bool:
    """«может выйти на 3 млрд», «могут достичь»: an infinitive of outcome after «мочь» is a possible outcome,
    not a plan; a plan verb stays a plan («могут довести товарооборот до 5 млрд»: what the sides can do,
    the contract's `target`)."""
    if not (i > 0 and toks[i - 1].kind == "word" and word_info(toks[i - 1].lower).lemma in lex.words.may_lemmas):
        return False
    info = word_info(toks[i].lower)
    return info.infinitive and info.lemma in lex.cues["modality"]["future_outcome"]


def _that_follows(toks: list[Tok], i: int, fw: FunctionWords) -> bool:
    """«рассчитывает, что», «рассчитываем на то, что»: a clause of «что» right after the word."""
    phrase = fw.that_clause_phrase
    window = tuple(t.lower for t in toks[i + 1:i + 1 + len(phrase)])
    return any(w in fw.that_clause for w in window[:2]) or window == phrase


@per_lexicon
def cue_forms(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The kind words read as written («больше», «ниже»), and every form of the lemmas of the comparator,
    kind, modality and region cues: built once per lexicon."""
    kc, mc = lex.cues["kind"], lex.cues["modality"]
    lemmas = {w for words in (*lex.cues["comparator"].values(), *kc.values(), *mc.values()) for w in words} \
        | set(lex.subnational_nouns)
    return frozenset([*kc["fall"], *kc["growth"]]), frozenset(f for lem in lemmas for f in lexeme_forms(lem))


@per_word
def cue_lemma(lower: str, lex: Lexicon) -> str:
    """A word's lemma, as the cue sets are read with; a word that can have no cue lemma is not parsed:
    its own form, in no cue set, stands in for it."""
    return word_info(lower).lemma if may_have_lemma(lower, cue_forms(lex)[1]) else lower


# --------------------------------------------------------------------------- helpers


def _clause(s: Sentence, tok_index: int) -> tuple[int, int]:
    """[a, b) offsets of the clause that holds a token; each rule asks it of the figure again."""
    ab = s.clause_of.get(tok_index)
    if ab is None:
        ab = s.clause_of[tok_index] = _find_clause(s, tok_index)
    return ab


def _find_clause(s: Sentence, tok_index: int) -> tuple[int, int]:
    rel = s.toks[tok_index].start - s.start
    for a, b in s.clauses:
        if a <= rel < b:
            return a, b
    return 0, len(s.text)


def _first_tok_from(s: Sentence, rel: int) -> int:
    """Index of the first token that starts at or after offset `rel` of the sentence."""
    return bisect_left(s.starts, s.start + rel)


_LEFT_WORDS = 6  # the words just before a figure that its comparator, kind and modality are read from


def _left_words(s: Sentence, fig: Figure, limit: int = _LEFT_WORDS) -> list[int]:
    """Token indices just before a figure (nearest first), stopping at punctuation other than dashes.
    Found once per figure (three rules ask); a shorter limit takes the first ones."""
    out = s.left_of.get(fig.first)
    if out is None:
        out = s.left_of[fig.first] = _find_left_words(s, fig.first)
    return out if limit >= _LEFT_WORDS else out[:limit]


def _find_left_words(s: Sentence, first: int) -> list[int]:
    out = []
    i = first - 1
    while i >= 0 and len(out) < _LEFT_WORDS:
        t = s.toks[i]
        if t.kind == "punct" and t.text not in ("—", "–", "$", "€", "(", "«", "»"):
            break
        if t.kind in ("num", "ordinal"):
            break
        out.append(i)
        i -= 1
    return out


# --------------------------------------------------------------------------- the cue words of one word form


def _kind_word(lower: str, lex: Lexicon) -> str | None:
    """The growth / fall / level a word form states."""
    kc = lex.cues["kind"]
    lem = word_info(lower).lemma
    if lem in kc["fall"] or lower in kc["fall"]:
        return "fall"
    if lem in kc["growth"] or lower in kc["growth"]:
        return "growth"
    if lem in kc["level"]:
        return "level"
    return None


def _modal_word(lower: str, lex: Lexicon) -> tuple[str, int] | None:
    """(modality, strength) of a word form left of a figure: 2 for words that state it, 1 for a future tense."""
    mc = lex.cues["modality"]
    info = word_info(lower)
    lem = info.lemma
    if lem in mc["forecast"]:
        return "forecast", 2
    if lem in mc["target"]:
        return "target", 2
    if info.infinitive and lem in mc["target_infinitive"]:
        return "target", 2
    if info.tense == "futr" and lem in mc["target_infinitive"] and lem not in mc["future_outcome"]:
        return "target", 2  # «доведут до», «увеличат до», «нарастят»: a plan, as «довести до» is
    if lem in mc["reaching_nouns"]:
        return "target", 1
    if info.tense == "futr":
        if lem in mc["future_transfer"]:
            return "target", 1
        if lem in mc["future_outcome"]:
            return "forecast", 1
    return None


def _modal_word_after(lower: str, lex: Lexicon) -> str | None:
    """The modality a word form right of a figure gives it: a future verb of sending or of outcome, a forecast."""
    mc = lex.cues["modality"]
    info = word_info(lower)
    if info.tense == "futr" and info.lemma in mc["future_transfer"]:
        return "target"
    if info.tense == "futr" and info.lemma in mc["future_outcome"]:
        return "forecast"
    if info.lemma in mc["forecast"] and info.lemma not in lex.words.may_lemmas:
        return "forecast"
    return None


def _attribution_start(s: Sentence) -> int | None:
    """Token index of a closing attribution after every figure of the sentence («, сообщили в …»,
    «, — заявил посол …»), whose country mentions name the source of the figures, not their sides."""
    last_fig = max((f.last for f in s.figures), default=-1)
    toks = s.toks
    for i in range(len(toks) - 1, last_fig + 1, -1):
        t = toks[i]
        if t.kind == "word" and toks[i - 1].text in (",", "—", "–", "-") and word_info(t.lower).lemma in s.lex.speech_verbs:
            return i
    return None


