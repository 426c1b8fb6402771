"""Figures + indicator words + sides + time words of a sentence -> claims of the contract.

Every decision reads cue words from the lexicon tables; the rules here say where to look
(the figure's clause, the words touching it, the previous sentence) and why."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Callable, NamedTuple

from etl.countries import Mention, Ours, find_mentions
from etl.indicators import SentenceCues, find_cues
from etl.lazy import lazy
from etl.lexicon import FunctionWords, Lexicon, load
from etl.model import FLOW_INDICATORS, TRADE_INDICATORS, Claim
from etl.morph import lexeme_forms, may_have_lemma, word_info
from etl.numbers import Figure, Tok, find_figures, tokenize
from etl.periods import TimeExpr, find_times, may_name_date
from etl.rules import Trace
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
        return find_times(self.text, self._published)

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
        return may_name_date(self.text)

    @lazy
    def clauses(self) -> list[tuple[int, int]]:
        return clause_bounds(self.text)

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
        for i, t in enumerate(toks):
            if t.kind != "word" or (c := _word_cue(t.lower)) is None:
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


@lru_cache(maxsize=100_000)
def _word_cue(lower: str) -> _WordCue | None:
    """What one word form cues for the rules below, read from the cue tables once per form; None for most words."""
    surface, forms = cue_forms()
    if lower not in surface and not may_have_lemma(lower, forms):
        return None  # the cues below are lemmas of the word, or kind words as written: none is here
    lemma = word_info(lower).lemma
    mc = load().cues["modality"]
    cue = _WordCue(_kind_word(lower), _modal_word(lower), _modal_word_after(lower),
                   lemma in load().subnational_nouns, lemma in mc["by_order_of"], lemma in mc["expect_that"])
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


@cache
def cue_forms() -> tuple[frozenset[str], frozenset[str]]:
    """The kind words read as written («больше», «ниже»), and every form of the lemmas of the comparator,
    kind, modality and region cues. Tables built once from the lexicon (see etl.extract.prepare)."""
    lex = load()
    kc, mc = lex.cues["kind"], lex.cues["modality"]
    lemmas = {w for words in (*lex.cues["comparator"].values(), *kc.values(), *mc.values()) for w in words} \
        | set(lex.subnational_nouns)
    return frozenset([*kc["fall"], *kc["growth"]]), frozenset(f for lem in lemmas for f in lexeme_forms(lem))


@lru_cache(maxsize=100_000)
def _cue_lemma(lower: str) -> str:
    """A word's lemma, as the cue sets are read with; a word that can have no cue lemma is not parsed:
    its own form, in no cue set, stands in for it."""
    return word_info(lower).lemma if may_have_lemma(lower, cue_forms()[1]) else lower


@dataclass
class DocState:
    """What the document says beyond one sentence: its sides, currency, event dates, last claims."""

    doc_id: str
    published: date | None
    sides: list[str]  # ranked: the pair the document is about comes first
    find_title_flow: Callable[[], str | None] = lambda: None  # the side the title has a flow from, read when needed
    find_aid_doc: Callable[[], bool] = bool  # the document speaks of aid somewhere, read when needed
    # The sentences where a signing or shipment date is looked for (sorted indices), and the dated events
    # of one of them: read only as far as the nearest dated sentence, when a claim needs it.
    find_event_window: Callable[[], list[int]] = list
    events_in: Callable[[int], list[str]] = lambda i: []
    currency: str | None = None  # the last currency stated, for "вышел на 5 миллиардов"
    indicator_counts: dict[str, int] = field(default_factory=dict)  # claims so far by indicator, first stated first
    claims: list[tuple[int, Claim]] = field(default_factory=list)  # (sentence index, claim)

    @lazy
    def event_window(self) -> list[int]:
        return self.find_event_window()

    @property
    def main_indicator(self) -> str | None:
        """The statistic the document's claims so far are mostly about, the first stated among equals
        (as Counter.most_common(1)); worked out only when a rule asks."""
        counts = self.indicator_counts
        return max(counts, key=counts.__getitem__) if counts else None

    @lazy
    def aid_doc(self) -> bool:
        return self.find_aid_doc()

    @lazy
    def title_flow(self) -> str | None:
        return self.find_title_flow()


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


# --------------------------------------------------------------------------- comparator


def comparator(s: Sentence, fig: Figure, lex: Lexicon, has_change_verb: bool, why: Trace) -> tuple[str, int]:
    """The comparator and the index of the first token that belongs to the figure's text."""
    cues = lex.cues["comparator"]
    fw = lex.words
    first = fig.first
    found = "eq"
    for i in _left_words(s, fig):
        t = s.toks[i]
        low = t.lower
        lem = _cue_lemma(low) if t.kind == "word" else low
        negated = i > 0 and s.toks[i - 1].lower in fw.negation
        kind = None
        if lem in cues["gt"] or low in cues["gt"]:
            kind = "lt" if negated and lem in cues["negated_lt"] else "gt"
        elif lem in cues["lt"] or low in cues["lt"]:
            kind = "gt" if negated and lem in cues["negated_gt"] else "lt"
        elif lem in cues["approx"] or low in cues["approx"]:
            kind = "approx"
        elif negated and lem in cues["negated_lt"]:
            kind = "lt"
        if kind and (low in fw.more_after or low in fw.less_after) \
                and any(s.toks[k].lower in fw.change_preposition for k in range(i + 1, fig.first)):
            break  # «больше на 4,8%»: the size of a change, not a bound (the kind rules read it)
        if kind:
            return why.said("comparator.cue-word", kind), (i - 1 if negated else i)
        if low in fw.even_after_negation and i >= 2 and s.toks[i - 2].lower in fw.negation:
            continue  # «не достигал и 100 млн»: «и» is «even»
        if low not in fw.skip_before_figure and t.kind == "word" and word_info(low).pos not in ("ADJF", "PRTF"):
            break  # («превысил исторический рубеж в $2 млрд»: adjectives of the mark stand between)
    if found == "eq" and fig.first > 0 and s.toks[fig.first - 1].lower in fw.upper_bound and not has_change_verb:
        return why.said("comparator.bound-до", "lt"), first  # "до 100 млн" alone is a bound
    return why.said("comparator.exact", found), first


# --------------------------------------------------------------------------- indicator


def indicator(s: Sentence, fig: Figure, lex: Lexicon, prev: list[Sentence],
              state: DocState, why: Trace) -> tuple[str | None, int | None]:
    """The indicator a figure measures, and the token index of the word that names it."""
    cues = s.cues
    if fig.unit == "count":
        signed = cues.signing or any(p.cues.signing for p in prev[-1:])
        return why.said("indicator.signed-count", "agreements" if signed else None), None
    if fig.unit == "t":
        # Tonnes are claims only as aid: a product's tonnage is a subset, not a national figure.
        near_aid = cues.aid or any(p.cues.aid for p in prev[-2:])
        # «администрация города Чэнду направила в Минск 5 тонн масок», in an article about aid
        sent_as_aid = bool(cues.sending) and state.aid_doc
        return why.said("indicator.aid-tonnes", "aid" if (near_aid and (cues.sending or cues.aid)) or sent_as_aid
                        else None), None
    a, b = _clause(s, fig.first)
    candidates = []
    for c in cues.indicators:
        if c.indicator == "agreements" and not cues.signing:
            continue
        if c.indicator == "aid" and fig.unit in ("%", "x"):
            continue
        dist = fig.first - c.index if c.index < fig.first else (c.index - fig.last) + 0.5
        in_clause = a <= s.toks[c.index].start - s.start < b
        candidates.append((0 if in_clause else 1, 0 if c.index < fig.first else 1, dist, c.indicator, c.index))
    if candidates:
        candidates.sort()
        ind, at = candidates[0][3], candidates[0][4]
        if ind in TRADE_INDICATORS and (_subset(s, at, lex) or _part_of(s, fig, lex)):
            return None, None
        return why.said("indicator.word-near-figure", ind), at
    if fig.unit not in ("%", "x") and cues.sending and state.aid_doc:
        # "Циндао выделил Бишкеку 600 тысяч юаней": money given, in a document about aid
        return why.said("indicator.money-given", "aid"), None
    if candidates == [] and prev and (back := _pronoun_for_indicator(s, fig, prev[-1])) is not None:
        # «Товарооборот России и Монголии растёт. Он вырос на 17,8%»: «он» is the indicator just named
        return why.said("indicator.pronoun-for-previous", back), None
    if state.main_indicator and not _names_what_it_is(s, fig) and not _other_subject(s, fig, lex) \
            and not _other_statistic(s, fig, lex) and (s.mentions or _continues(s, state)):
        # "К 2020 году стороны рассчитывают выйти на 5 млрд долларов": the sides and the document's statistic;
        # "Это на 5,1% меньше, чем …", "Стоимость груза составляет …": the previous sentence's statistic
        return why.said("indicator.document-statistic", state.main_indicator), None
    return None, None


def _pronoun_for_indicator(s: Sentence, fig: Figure, prev: Sentence) -> str | None:
    """The indicator the sentence before names, when the subject of the figure's clause points back to it:
    a personal pronoun («Он вырос на 17,8%») or a word for «the figure» («показатель вырос на 35%»)."""
    lo = _first_tok_from(s, _clause(s, fig.first)[0])
    subject = next((s.toks[k].info for k in range(lo, fig.first) if s.toks[k].kind == "word"
                    and s.toks[k].info.case == "nomn" and s.toks[k].info.pos in ("NPRO", "NOUN")), None)
    if subject is None or not (subject.pos == "NPRO" or subject.lemma in s.lex.words.back_reference_lemmas):
        return None
    named = [c.indicator for c in prev.cues.indicators]
    return named[-1] if len(set(named)) == 1 else None


def _other_statistic(s: Sentence, fig: Figure, lex: Lexicon) -> bool:
    """The figure's clause, before it, names another statistic («ВВП составлял …», «госдолг составляет …»)."""
    lo = _first_tok_from(s, _clause(s, fig.first)[0])
    return any(s.toks[k].kind == "word" and word_info(s.toks[k].lower).lemma in lex.other_statistics
               for k in range(lo, fig.first))


def _other_subject(s: Sentence, fig: Figure, lex: Lexicon) -> bool:
    """A change whose clause names what changed, and it is not trade: «Туристический поток из России вырос
    в 2,4 раза», «Число студентов выросло на 20%» (a nominative noun before the figure)."""
    if fig.unit not in ("%", "x"):
        return False
    lo = _first_tok_from(s, _clause(s, fig.first)[0])
    in_mention = s.mention_tokens
    for k in range(lo, fig.first):
        t = s.toks[k]
        if t.kind != "word" or k in in_mention:
            continue
        info = word_info(t.lower)
        # («Наша цель – удвоить этот показатель»: a word of mood or change is not what changed)
        if info.pos == "NOUN" and info.case == "nomn" and not (info.lemmas & lex.whole_trade_nouns) \
                and _word_cue(t.lower) is None:
            return True
    return False


def _part_of(s: Sentence, fig: Figure, lex: Lexicon) -> bool:
    """«на фармацевтическую продукцию пришлось 61,2 млн долларов»: the amount of a product or sector within
    the trade just named (while «на экспорт пришлось 840 млн» and «на долю России пришлось» stay claims)."""
    fw = lex.words
    if not any(stem in s.text for stem in fw.part_of_stems):  # no «пришлось», «приходится»: nothing to read
        return False
    toks = s.toks
    k = fig.first - 1
    while k >= 0 and toks[k].kind == "word" and word_info(toks[k].lower).lemma not in fw.part_of_lemmas:
        if fig.first - k > 3:
            return False
        k -= 1
    if k < 0 or toks[k].kind != "word":
        return False
    start = next((j for j in range(k - 1, max(-1, k - 6), -1) if toks[j].lower in fw.part_of_preposition), None)
    if start is None:
        return False
    phrase = range(start + 1, k)
    if any(m.first in phrase for m in s.mentions):
        return False
    infos = [word_info(toks[j].lower) for j in phrase if toks[j].kind == "word"]
    if any(i.lemma in lex.subset_adjectives for i in infos):
        return True
    nouns = [i for i in infos if i.pos == "NOUN"]
    return bool(nouns) and not (nouns[-1].lemmas & (lex.whole_trade_nouns | set(lex.indicator_lemmas)
                                                    | fw.part_of_whole_lemmas))


def _subset(s: Sentence, at: int, lex: Lexicon) -> bool:
    """The indicator word at `at` names a part of trade: «агропромышленный товарооборот», «экспорт угля»."""
    toks = s.toks
    if at > 0 and toks[at - 1].kind == "word" and word_info(toks[at - 1].lower).lemma in lex.subset_adjectives:
        return True
    in_mention = s.mention_tokens
    k = at + 1
    while k < len(toks) and k <= at + 5 and toks[k].kind == "word":
        if k in in_mention:
            k += 1
            continue
        info = word_info(toks[k].lower)
        if info.pos == "PREP" and k + 1 in in_mention:
            k += 1  # «импортировал из Азербайджана ненефтяной продукции»: the side, then what was traded
            continue
        if info.pos in ("ADJF", "PRTF"):
            if info.lemma in lex.subset_adjectives:
                return True  # «экспорт ненефтяной продукции»: a sector of the goods
            k += 1
            continue
        return info.pos == "NOUN" and info.case == "gent" and not (info.lemmas & lex.whole_trade_nouns)
    return False


def _continues(s: Sentence, state: DocState) -> bool:
    """The sentence goes on about the statistic of the sentences just before it, and names no other thing
    ("3,8 млрд сомов налогов — на 20% больше": the 20% is about taxes)."""
    if any(_names_what_it_is(s, f) for f in s.figures):
        return False
    return bool(state.claims) and state.claims[-1][0] >= s.index - 2


def _names_what_it_is(s: Sentence, fig: Figure) -> bool:
    """A noun right after a sum says what the money is ("3,8 млрд сомов налогов"): not our statistic; a noun
    that still means all of it or a time («13,5% год к году», «2 млрд товаров») names nothing else."""
    k = fig.last + 1
    if k >= len(s.toks) or s.toks[k].kind != "word":
        return False
    info = s.toks[k].info
    return info.pos == "NOUN" and not (info.lemmas & s.lex.whole_trade_nouns)


# --------------------------------------------------------------------------- kind, sign


def _kind_word(lower: str) -> str | None:
    """The growth / fall / level a word form states; read from the cue table once per form."""
    kc = load().cues["kind"]
    lem = word_info(lower).lemma
    if lem in kc["fall"] or lower in kc["fall"]:
        return "fall"
    if lem in kc["growth"] or lower in kc["growth"]:
        return "growth"
    if lem in kc["level"]:
        return "level"
    return None


def _kind_cue(s: Sentence, fig: Figure, lex: Lexicon, whole_sentence: bool = False) -> tuple[str | None, int | None]:
    """Nearest growth / fall / level word before the figure in its clause: (kind, token index)."""
    lo = 0 if whole_sentence else _first_tok_from(s, _clause(s, fig.first)[0])
    for i, kind in reversed(s.cue_words.kind):
        if i < fig.first:
            return (kind, i) if i >= lo else (None, None)
    return None, None


def _change_subject(s: Sentence, verb: int) -> str | None:
    """A noun of growth or fall («рост», «снижение») before the verb at `verb`, in its clause."""
    lo = _first_tok_from(s, _clause(s, verb)[0])
    for i, kind in reversed(s.cue_words.kind):
        if lo <= i < verb and kind in ("growth", "fall") and s.toks[i].info.pos == "NOUN":
            return kind
    return None


def _kind_cue_after(s: Sentence, fig: Figure, lex: Lexicon) -> str | None:
    kc = lex.cues["kind"]
    fw = lex.words
    for i in range(fig.last + 1, min(fig.last + 4, len(s.toks))):
        t = s.toks[i]
        if t.kind != "word":
            continue
        lem = _cue_lemma(t.lower)
        if t.lower in fw.more_after:
            return "growth"
        if t.lower in fw.less_after:
            return "fall"
        if i == fig.last + 1 and _led_by_change_preposition(s, fig):
            # «На 33% вырос товарооборот», «на 11,4 процента превышает показатель»: the verb after it
            if lem in kc["growth"] or word_info(t.lower).lemma in fw.exceed_lemmas:
                return "growth"
            if lem in kc["fall"]:
                return "fall"
        if lem in kc["fall"] or lem in kc["growth"] or lem in kc["level"]:
            return None
    return None


def _led_by_change_preposition(s: Sentence, fig: Figure) -> bool:
    """The preposition of a change («на») leads the figure: «на 33%», «почти на 33%», «более чем на 30%»."""
    return any(s.toks[i].lower in s.lex.words.change_preposition for i in _left_words(s, fig, 3))


def _compares_two_things(s: Sentence, fig: Figure) -> bool:
    """«в десять раз меньше поставок», «в десять раз уступает импорту»: a ratio of two quantities, not a
    change over time (which reads «вдвое меньше, чем годом ранее», «вырос вдвое»)."""
    toks = s.toks
    k = fig.last + 1
    if k >= len(toks) or toks[k].kind != "word":
        return False
    fw = s.lex.words
    if word_info(toks[k].lower).lemma in fw.ratio_of_two_lemmas:
        return True
    if toks[k].lower in fw.ratio_of_two_forms and k + 1 < len(toks) and toks[k + 1].kind == "word":
        info = word_info(toks[k + 1].lower)
        return info.pos == "NOUN" and info.case == "gent"
    return False


def kind_and_sign(s: Sentence, fig: Figure, lex: Lexicon, why: Trace) -> tuple[str, int] | None:
    """("level"|"change", sign). None when a % figure has no change word: a share, not a claim; and for a
    ratio of two quantities."""
    if fig.unit == "x" and _compares_two_things(s, fig):
        return None
    if fig.unit == "%" and any(s.toks[i].kind == "word" and word_info(s.toks[i].lower).lemma in lex.words.share_lemmas
                               for i in _left_words(s, fig, 3)):
        return None  # «занимает долю в 10,3%»: a share of a whole, not a change
    cue, at = _kind_cue(s, fig, lex)
    after = _kind_cue_after(s, fig, lex)
    if fig.unit in ("%", "x") and cue is None and after is None:
        # an elliptical clause: "В 2024 году оборот прибавил 13%, а в первой половине 2025 года — 14%"
        cue, at = _kind_cue(s, fig, lex, whole_sentence=True)
    if fig.unit in ("%", "x") and cue == "level" and at is not None:
        # «Рост … составил 13,8%», «темпы роста составили 13%»: a change that is the subject of a verb of level
        subject = _change_subject(s, at)
        if subject is not None:
            return why.said("kind.change-subject", "change"), -1 if subject == "fall" else 1
    if fig.unit in ("%", "x"):
        if after in ("growth", "fall") and cue != "fall":
            return why.said("kind.change-word", "change"), -1 if after == "fall" else 1
        if cue in ("growth", "fall"):
            return why.said("kind.change-word", "change"), -1 if cue == "fall" else 1
        if fig.unit == "x":
            return why.said("kind.factor", "change"), 1
        return None
    fw = lex.words
    prep = None
    for i in _left_words(s, fig):
        low = s.toks[i].lower
        if low in fw.figure_prepositions:
            prep = low
            break
    by_change = prep in fw.change_preposition
    if cue in ("growth", "fall") and by_change:
        return why.said("kind.change-word", "change"), -1 if cue == "fall" else 1
    if cue == "growth" and at is not None and s.toks[at].info.lemma in fw.added_lemmas and prep is None:
        return why.said("kind.change-word", "change"), 1
    if after in ("growth", "fall") and by_change:
        return why.said("kind.change-word", "change"), -1 if after == "fall" else 1
    return why.said("kind.level", "level"), 1


# --------------------------------------------------------------------------- modality


def modality(s: Sentence, fig: Figure, lex: Lexicon, why: Trace) -> tuple[str, int | None]:
    """(modality, token index of the first modal word of the clause).

    Read in the figure's clause, left of the figure; words that say it outright ("цель",
    "планируется", "ожидается", "увеличить") outrank a future tense ("станет", "составит").
    Future verbs of sending also count to the right ("9,5 тыс. тонн ... Москва поставит")."""
    a, b = _clause(s, fig.first)
    # "с прошлогодних 1,5 млрд до 2 млрд": the starting point of a planned change is what was achieved
    left = _left_words(s, fig, 3)
    if any(s.toks[i].lower in lex.words.range_from for i in left):
        nxt = fig.last + 1
        if nxt < len(s.toks) and s.toks[nxt].lower in lex.words.range_to:
            return why.said("modality.start-of-planned-change", "actual"), None
    lo = _first_tok_from(s, a)
    # a figure that is a verb says its own mood: «удвоить» (a plan), «утроится» (an outcome), «удвоился»
    end = fig.first + 1 if s.toks[fig.first].lower in lex.ratio_verb_forms else fig.first
    # (strength, index, modality) of the modal words between the clause start and the figure
    found = [(strength, i, m) for i, strength, m in s.cue_words.modal if lo <= i < end]
    if not found and lo > 0 and not _has_verb(s, lo, fig.first):
        # an elliptical clause shares the verb of the one before: «экспорт … составит 8,1 млрд, тогда как
        # египетские поставки в Россию – около 700 млн»
        found = [(strength, i, m) for i, strength, m in s.cue_words.modal if i < lo]
    if found:
        strength = max(f[0] for f in found)
        nearest = max((f for f in found if f[0] == strength), key=lambda f: f[1])
        if _stated_as_now(s, nearest[1], fig, lex):
            return why.said("modality.stated-as-now", "actual"), None
        return why.said("modality.mood-word", nearest[2]), min(f[1] for f in found)
    hi = _first_tok_from(s, b)
    # to the right only within the figure's own phrase: in «вырос на 9%, и мы рассчитываем, что … составит»
    # the future verb after the comma is another statement's
    # (an apposition goes on: «9,5 тыс. тонн зерна, или 122 вагона, Москва поставит»)
    comma = next((k for k in range(fig.last + 1, hi - 1)
                  if s.toks[k].text == "," and s.toks[k + 1].lower in lex.words.new_statement), hi)
    for i, m in s.cue_words.modal_after:
        if fig.last < i < comma:
            return why.said("modality.verb-after", m), i
    return why.said("modality.achieved", "actual"), None


def _stated_as_now(s: Sentence, modal: int, fig: Figure, lex: Lexicon) -> bool:
    """A present-time phrase between the word of plan at `modal` and the figure («…, в настоящее время он
    составляет порядка $1 млрд»): the figure is what is, not what is planned."""
    between = s.text[s.toks[modal].end - s.start:s.toks[fig.first].start - s.start].lower()
    return any(f" {m} " in f" {between} " or between.startswith(m + " ") for m in lex.words.present_markers)


def _has_verb(s: Sentence, a: int, b: int) -> bool:
    return any(s.toks[k].kind == "word" and word_info(s.toks[k].lower).pos in ("VERB", "INFN", "PRTS", "GRND")
               for k in range(a, b))


def _modal_word(lower: str) -> tuple[str, int] | None:
    """(modality, strength) of a word form left of a figure: 2 for words that state it, 1 for a future tense."""
    mc = load().cues["modality"]
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


def _modal_word_after(lower: str) -> str | None:
    """The modality a word form right of a figure gives it: a future verb of sending or of outcome, a forecast."""
    mc = load().cues["modality"]
    info = word_info(lower)
    if info.tense == "futr" and info.lemma in mc["future_transfer"]:
        return "target"
    if info.tense == "futr" and info.lemma in mc["future_outcome"]:
        return "forecast"
    if info.lemma in mc["forecast"] and info.lemma not in load().words.may_lemmas:
        return "forecast"
    return None


# --------------------------------------------------------------------------- period


def _time_tok_index(s: Sentence, t: TimeExpr) -> int:
    return _first_tok_from(s, t.start)


def period(s: Sentence, fig: Figure, mod: str, trigger: int | None, ind: str, state: DocState,
           prev_claim_period: str | None, why: Trace) -> str | None:
    a, b = _clause(s, fig.first)
    own_start = a
    if a > 0 and not _has_verb(s, _first_tok_from(s, a), fig.first):
        a = 0  # an elliptical clause shares the time of the one before, as it shares its verb...
    fig_rel = fig.start - s.start
    usable: list[tuple[TimeExpr, int]] = []
    for t in s.times:
        if t.role in ("base", "since"):
            continue
        if a < own_start and t.start < own_start and t.period and len(t.period) == 10:
            continue  # ...but not a day, which dates the telling («во вторник сообщил, что …, а цель — 30 млрд»)
        if t.role == "to" and mod == "actual":
            continue  # "прибавив к 2016 году 31,2%": a comparison base
        usable.append((t, _time_tok_index(s, t)))
    if mod in ("target", "forecast"):
        # A plan's period is its horizon ("к 2030 году", "в 2023 году он должен составить") or a time stated
        # after the planning word ("условились уже в 2018 году вывести"), not when the plan was made
        # ("В сентябре 2018 года президенты поручили довести").
        usable = [(t, i) for t, i in usable if t.role == "to" or (trigger is not None and i > trigger)
                  or _not_past(t, state.published)]
        usable = [(t, i) for t, i in usable if a <= t.start < b]
        if not usable:
            if ind in ("aid", "agreements"):
                return why.said("period.event-date", _event_period(s, state))
            return why.said("period.none", None)
    in_clause = [(t, i) for t, i in usable if a <= t.start < b]
    left = [x for x in in_clause if x[0].end <= fig_rel]
    right = [x for x in in_clause if x[0].start >= fig_rel]
    ordered = sorted(left, key=lambda x: -x[0].start) + sorted(right, key=lambda x: x[0].start)
    if not ordered:
        others = [x for x in usable if not (a <= x[0].start < b)]
        ordered = sorted([x for x in others if x[0].end <= fig_rel], key=lambda x: -x[0].start) + \
            sorted([x for x in others if x[0].start >= fig_rel], key=lambda x: x[0].start)
    horizon = mod in ("target", "forecast")
    for t, _ in ordered:
        if t.role == "back":
            anchor = _latest_year(s)
            return why.said("period.years-back", f"{anchor - t.years_back + 1}/{anchor}"
                            if t.years_back and anchor else None)
        if t.role == "earlier":
            continue
        if t.role == "same":
            return why.said("period.same-period", _last_actual_period(state))
        if t.period:
            return why.said("period.horizon-of-plan" if horizon else "period.time-in-clause", t.period)
    if ind in ("aid", "agreements"):
        return why.said("period.event-date", _event_period(s, state))
    if prev_claim_period:
        return why.said("period.continued-statistic", prev_claim_period)
    return why.said("period.none", None)


def _not_past(t: TimeExpr, published: date | None) -> bool:
    return bool(t.period and published and int(t.period.split("/")[-1][:4]) >= published.year)


def _last_actual_period(state: DocState) -> str | None:
    """«за тот же период», «за этот период»: the period of the statistic last stated."""
    for _, c in reversed(state.claims):
        if c.modality == "actual" and c.period:
            return c.period
    return None


def _latest_year(s: Sentence) -> int | None:
    years = [int(t.period[:4]) for t in s.times if t.period and t.role == "point" and len(t.period) == 4]
    return max(years) if years else None


def _event_period(s: Sentence, state: DocState) -> str | None:
    """When something was signed or sent: the nearest dated event before (else after) the sentence."""
    window = state.event_window
    k = bisect_right(window, s.index)
    for j in range(k - 1, -1, -1):  # the latest dated sentence up to this one, its latest date
        events = state.events_in(window[j])
        if events:
            return max(events)
    for i in window[k:]:  # else the first dated sentence just after, its earliest date
        if i > s.index + _EVENT_LOOKAHEAD:
            break
        events = state.events_in(i)
        if events:
            return min(events)
    return None


_EVENT_LOOKAHEAD = 5  # sentences: "Саммит проходил 15–16 сентября" closing a report; not the page's calendar


# --------------------------------------------------------------------------- sides


def _pronoun_source(s: Sentence, fig: Figure, named: list[Mention]) -> str | None:
    """«а импорт из них составил 3,5 млрд»: «из» + a pronoun points back to the last side named."""
    a, _ = _clause(s, fig.first)
    for i in range(fig.first - 1, 0, -1):
        if s.toks[i].start - s.start < a:
            break
        if s.toks[i - 1].lower in s.lex.words.pronoun_source and s.toks[i].info.pos == "NPRO":
            before = [m for m in named if m.last < i]
            return before[-1].code if before else None
    return None


def _receiving_verb(s: Sentence, a: int, b: int) -> bool:
    """The clause [a, b) (sentence offsets) holds a verb of receiving («получит», «получила»)."""
    return any(a <= off < b for off in s.receiving_at)


def _is_source(m: Mention, ind: str, fw: FunctionWords, receiving: bool = False) -> int:
    """+1: this side is where the flow comes from; -1: where it goes; 0: unknown. `receiving`: the clause's
    verb is one of receiving («Киргизия получит от Китая»), whose subject is where the flow goes."""
    prep = m.prep  # (case and prep are worked out on each read: read once)
    if prep in fw.from_prepositions:
        return 1
    case = m.case
    # (after «в», «к» a nominative parse is the identical accusative of an inanimate noun: «в Таджикистан»)
    if prep in fw.to_prepositions and case in ("accs", "datv", "gent", "nomn", None):
        return -1  # «в Китай», «в экономику Таджикистана»
    if case in ("datv", "loct") and prep is None:
        return -1  # «Пекин предоставит Астане»: without a preposition the form can only be dative
    if m.kind in ("adjective", "compound") and prep is None:
        return 1
    if case == "ablt" and prep is None:
        return 1  # «о предоставлении правительством Китая правительству Узбекистана»: the agent gives
    if case == "nomn" and prep is None:
        return -1 if (ind == "import") != receiving else 1
    if case == "gent" and prep is None and ind == "import":
        return 0
    return 0


def sides(s: Sentence, fig: Figure, ind: str, cue_at: int | None, state: DocState, prev_same: Claim | None,
          lex: Lexicon, why: Trace) -> tuple[list[str], str | None] | None:
    """The pair of a figure and, for flows, the side it comes from. None when there is no pair."""
    a, b = _clause(s, fig.first)
    # Region or whole-world totals make no bilateral claim: a region word between the indicator
    # word and the figure ("торговлю Казахстана со странами региона на уровне $15 млрд") or right
    # beside the indicator word ("внешнеторговый оборот").
    if cue_at is not None:
        lo, hi = min(cue_at, fig.first), max(cue_at, fig.last)
        for i in s.cues.not_bilateral:
            if lo - 3 <= i <= hi and not (_foreign_only(s, i, lex) and _pair_named(s, min(i, lo), hi)):
                return None
    if ind in TRADE_INDICATORS and _subnational(s, a, b, lex):
        return None  # "Ленинградская область и Беларусь наторговали": a region's own trade
    # «…выросла на 70%, уточнили в Минэкономразвития России»: who reports a figure is not its side
    said = s.attribution_start
    named = [m for m in s.mentions if m.code and (said is None or m.first < said)]
    generic = [m for m in s.mentions if not m.code]
    codes = list(dict.fromkeys(m.code for m in named))
    pair: list[str] | None = None
    if len(codes) == 2:
        pair = why.said("countries.two-named", codes)
    elif len(codes) > 2:
        # A list ("с Азербайджаном — в 2,8 раза, с Молдовой — на 15%"): the partner is the side named
        # nearest before the figure, the other side is the document's main one.
        before = [m for m in named if m.last < fig.first]
        partner = (before[-1] if before else min(named, key=lambda m: abs(m.first - fig.first))).code
        # a country before a bloc: «с остальными странами Содружества ... с Украиной»; and not another
        # member of the list: «с Италией оборот составил 14,4 млрд, с Нидерландами — 5,3 млрд»
        listed = {m.code for m in named if m.prep in lex.words.partner_prepositions}
        ranked = sorted(state.sides, key=lambda c: c in lex.bloc_members)
        anchor = next((c for c in ranked if c != partner and c not in listed), None) \
            or next((c for c in ranked if c != partner), None) \
            or next((c for c in codes if c != partner), None)
        pair = why.said("countries.list-partner", [partner, anchor] if anchor else None)
    elif len(codes) == 1:
        only = codes[0]
        if only in lex.bloc_members and not generic and _intra_bloc(s, named[0]):
            return None  # "взаимная торговля государств ЕАЭС": the bloc with itself
        if prev_same and only in prev_same.countries and not generic:
            pair = why.said("countries.same-as-previous-figure", list(prev_same.countries))
        else:
            other = next((c for c in state.sides if c != only and c not in lex.bloc_members), None)
            pair = why.said("countries.one-named-and-main-side", [only, other] if other else None)
    else:
        if prev_same is not None:
            why.said("flow_from.previous-figure" if ind in FLOW_INDICATORS else "flow_from.not-a-flow", None)
            return why.said("countries.same-as-previous-figure", list(prev_same.countries)), prev_same.flow_from
        if len(state.sides) >= 2:
            pair = why.said("countries.article-pair", state.sides[:2])
    if not pair or len(set(pair)) != 2:
        return None
    pair = sorted(pair)
    if ind not in FLOW_INDICATORS:
        return pair, why.said("flow_from.not-a-flow", None)
    return pair, _flow(s, fig, ind, cue_at, pair, named, state, prev_same, why)


def _foreign_only(s: Sentence, i: int, lex: Lexicon) -> bool:
    return s.toks[i].kind == "word" and word_info(s.toks[i].lower).lemma in lex.foreign_only_lemmas


def _pair_named(s: Sentence, a: int, b: int) -> bool:
    """Tokens a..b (the indicator phrase and the figure) name a pair: two sides («Грузии с ЕС»), or
    «между странами», «двусторонний» (a generic mention)."""
    inside = [m for m in s.mentions if a <= m.first <= b]
    return len({m.code for m in inside if m.code}) >= 2 or any(m.kind == "generic" for m in inside)


def _attribution_start(s: Sentence) -> int | None:
    """Token index of a closing attribution after every figure of the sentence («, сообщили в …»,
    «, — заявил посол …»), whose country mentions name the source of the figures, not their sides."""
    last_fig = max((f.last for f in s.figures), default=-1)
    toks = s.toks
    for i in range(len(toks) - 1, last_fig + 1, -1):
        t = toks[i]
        if t.kind == "word" and toks[i - 1].text in (",", "—", "–", "-") and word_info(t.lower).lemma in load().speech_verbs:
            return i
    return None


def _subnational(s: Sentence, a: int, b: int, lex: Lexicon) -> bool:
    """A capitalised name of a province or region («Ленинградская область», «Синьцзян-Уйгурский район»)."""
    return any(a <= s.toks[i].start - s.start < b for i in s.cue_words.regions)


def _intra_bloc(s: Sentence, m: Mention) -> bool:
    i = m.first - 1
    while i >= 0 and s.toks[i].kind == "word" and s.toks[i].info.pos in ("ADJF", "PRTF"):
        i -= 1
    return i >= 0 and s.toks[i].info.lemma in s.lex.words.member_lemmas and m.prep is None


def _flow(s: Sentence, fig: Figure, ind: str, cue_at: int | None, pair: list[str], named: list[Mention],
          state: DocState, prev_same: Claim | None, why: Trace) -> str | None:
    score = {c: 0 for c in pair}
    a, b = _clause(s, fig.first)
    in_clause = [m for m in named if a <= s.toks[m.first].start - s.start < b]
    # the sides named since the previous figure: «экспорт в Китай составил 18,8 млрд, импорт китайской продукции — 22,2»
    prev_end = max((f.last for f in s.figures if f.last < fig.first), default=-1)
    since_prev = [m for m in in_clause if prev_end < m.first < fig.first]
    # «Экспорт нашей страны в Беларусь — 12,3 млн, импорт — 130,2 млн»: the opposite flow of the same two sides
    if not since_prev and prev_end >= 0 and state.claims and state.claims[-1][0] == s.index:
        last = state.claims[-1][1]
        if {last.indicator, ind} == {"export", "import"} and last.flow_from in pair and sorted(last.countries) == pair:
            return why.said("flow_from.opposite-of-previous", next(c for c in pair if c != last.flow_from))
    in_clause = since_prev or in_clause
    if not in_clause:
        src = _pronoun_source(s, fig, named)
        if src in pair:
            return why.said("flow_from.pronoun-source", src)
    window = in_clause or named
    # «Рахмон отметил, что Китай вложил…»: a leader who speaks is not a side of the flow when the sides are named
    if any(m.kind != "leader" for m in window):
        window = [m for m in window if m.kind != "leader"]
    receiving = _receiving_verb(s, a, b)
    for m in window:
        if m.code in score:
            score[m.code] += _is_source(m, ind, s.lex.words, receiving)
    src = [c for c in pair if score[c] > 0]
    dst = [c for c in pair if score[c] < 0]
    if len(src) == 1:
        return why.said("flow_from.prepositions", src[0])
    if len(dst) == 1:
        return why.said("flow_from.prepositions", next(c for c in pair if c != dst[0]))
    if prev_same and prev_same.flow_from in pair:
        return why.said("flow_from.previous-figure", prev_same.flow_from)
    if state.title_flow in pair:
        return why.said("flow_from.title", state.title_flow)
    ranked = [c for c in state.sides if c in pair]
    return why.said("flow_from.main-side", ranked[0] if ranked else pair[0])
