"""The rules that decide each field of a claim, run by the engine of etl/rules.py.

A figure's fields are decided in order (indicator, kind, modality, comparator, countries, flow, period),
each by the first of its rules that applies. Each rule is a small function of the figure's question
(`Ask`), registered under the name of its record in etl/rules.py (what it says, its example sentence):
it answers SKIP when it does not apply, else the value it decides. What several rules read (the
figure's clause, the words before it, the cue words near it) is worked out once, when first asked.
Every Russian word the rules compare with comes from the language pack (etl/lexicon/)."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from etl.sentence import Sentence, _clause, _first_tok_from, _left_words, cue_lemma, word_cue
from etl.countries import Mention
from etl.lazy import lazy, per_lexicon
from etl.lexicon import FunctionWords, Lexicon
from etl.model import FLOW_INDICATORS, TRADE_INDICATORS, Claim
from etl.morph import word_info
from etl.numbers import Figure, Tok
from etl.periods import TimeExpr, contract_period, timeless
from etl.text import Sentences
from etl.rules import SKIP, Rulebook, Trace

BOOK = Rulebook()
rule = BOOK.when

_CONTINUES_WITHIN = 3  # sentences: a report goes on about its period across a sentence or two without figures
_EVENT_LOOKAHEAD = 5  # sentences: "Саммит проходил 15–16 сентября" closing a report; not the page's calendar
_OWN_WORD_AFTER = 3.5  # tokens: an indicator word this close after a figure («$22 млн — на экспорт») is its
_SAME_SERIES_WITHIN = 2  # sentences: how far back the previous figure of the same statistic is looked for


LEAD_SENTENCES = 3  # sentences at the top that name the document's pair (and may carry its dateline)
_EVENT_WINDOW = 10  # sentences around the claims where the date of a signing or shipment is looked for


@dataclass(frozen=True, eq=False)
class DocContext:
    """What the whole document tells each of its figures, fixed before the first claim is decided: its id
    and date, the sides it is about (ranked: its pair first); and, worked out when a rule first asks (most
    documents never ask), whether it speaks of aid, the side its title has a flow from, and the dated
    events near its figures."""

    doc_id: str
    published: date | None
    sides: tuple[str, ...]
    text: str = field(repr=False)
    lex: Lexicon = field(repr=False)
    sentences: Sentences = field(repr=False)
    sentence: Callable[[int], Sentence] = field(repr=False)  # the analysed sentence at an index
    figure_sentences: tuple[int, ...] = ()  # indices of the sentences with figures
    title_mentions: tuple[Mention, ...] = ()
    aid_words: re.Pattern | None = field(default=None, repr=False)  # a search for a word of aid

    @lazy
    def aid_doc(self) -> bool:
        """The document speaks of aid somewhere (a search of the whole text, made only for a figure that
        may be money given)."""
        return bool(self.aid_words and self.aid_words.search(self.text))

    @lazy
    def title_flow(self) -> str | None:
        return _title_flow(self.title_mentions, self.lex)

    @lazy
    def event_window(self) -> list[int]:
        """The sentences where a signing or shipment date is looked for (sorted indices)."""
        return _event_window(self.sentences, self.figure_sentences)

    def events_in(self, i: int) -> list[str]:
        return _event_periods(self.sentence(i))


@dataclass
class SoFar:
    """The claims the document's figures have made so far, in order: what the rules of a figure read of
    the ones before it (the previous figure of its statistic, the period it continues, the currency last
    stated). Extraction records each claim once it is decided; a rule never changes it."""

    claims: list[tuple[int, Claim]] = field(default_factory=list)  # (sentence index, claim)
    indicator_counts: dict[str, int] = field(default_factory=dict)  # claims by indicator, first stated first
    currency: str | None = None  # the last currency stated, for "вышел на 5 миллиардов"

    def record(self, index: int, claim: Claim | None, unit: str | None) -> None:
        if claim is not None:
            self.claims.append((index, claim))
            self.indicator_counts[claim.indicator] = self.indicator_counts.get(claim.indicator, 0) + 1
        if unit not in (None, "%", "x", "t", "count"):
            self.currency = unit

    @property
    def main_indicator(self) -> str | None:
        """The statistic the document's claims so far are mostly about, the first stated among equals
        (as Counter.most_common(1)); worked out only when a rule asks."""
        counts = self.indicator_counts
        return max(counts, key=counts.__getitem__) if counts else None


class Ask:
    """The question one figure puts to the rules: its sentence and the document so far, the fields decided
    before the one being decided, and the facts several rules read, each worked out when first asked."""

    def __init__(self, s: Sentence, fig: Figure, lex: Lexicon, prev: list[Sentence], doc: DocContext,
                 so_far: SoFar) -> None:
        self.s, self.fig, self.lex, self.prev, self.doc, self.so_far = s, fig, lex, prev, doc, so_far
        self.fw: FunctionWords = lex.words
        # the fields decided so far, each set by decide_claim once its rules have spoken
        self.ind: str | None = None
        self.cue_at: int | None = None  # the token that names the indicator
        self.kind: str = "level"
        self.mod: str = "actual"
        self.trigger: int | None = None  # the first word of plan or expectation in the figure's clause
        self.pair: list[str] | None = None

    # ------------------------------------------------------------------ facts of the figure

    @lazy
    def clause(self) -> tuple[int, int]:
        return _clause(self.s, self.fig.first)

    @lazy
    def clause_first_tok(self) -> int:
        return _first_tok_from(self.s, self.clause[0])

    @lazy
    def indicator_word(self) -> tuple[str, int] | None:
        """(indicator, token index) of the indicator word nearest the figure, its own clause first."""
        s, fig = self.s, self.fig
        a, b = self.clause
        cues = s.cues
        candidates = []
        for c in cues.indicators:
            if c.indicator == "agreements" and not cues.signing:
                continue
            if c.indicator == "aid" and fig.unit in ("%", "x"):
                continue
            dist = fig.first - c.index if c.index < fig.first else (c.index - fig.last) + 0.5
            in_clause = a <= s.toks[c.index].start - s.start < b
            candidates.append((0 if in_clause else 1, 0 if c.index < fig.first else 1, dist, c.indicator, c.index))
        if not candidates:
            return None
        best = min(candidates)
        if best[1] == 0 and any(best[4] < f.first < fig.first for f in s.figures):
            # «товарооборот составил $68 млн, из них $22 млн — на экспорт»: the word before names the figure
            # it leads; a word right after this one, with no figure between, names it
            after = [c for c in candidates if c[1] == 1 and c[0] == best[0] and c[2] <= _OWN_WORD_AFTER
                     and not any(fig.last < f.first < c[4] for f in s.figures)
                     and not any(s.toks[k].text in ",;" for k in range(fig.last + 1, c[4]))]  # («…, импорт — …»)
            if after:
                best = min(after)
        return best[3], best[4]

    @lazy
    def kind_cue(self) -> tuple[str | None, int | None]:
        """The nearest growth / fall / level word before the figure in its clause; for a percent or a factor
        with no such word on either side, in the whole sentence (an elliptical clause: «В 2024 году оборот
        прибавил 13%, а в первой половине 2025 года — 14%»)."""
        cue = _kind_cue(self.s, self.fig, self.lex)
        if self.fig.unit in ("%", "x") and cue[0] is None and self.kind_cue_after is None:
            cue = _kind_cue(self.s, self.fig, self.lex, whole_sentence=True)
        return cue

    @lazy
    def kind_cue_after(self) -> str | None:
        return _kind_cue_after(self.s, self.fig, self.lex)

    @lazy
    def figure_preposition(self) -> str | None:
        """The first preposition before the figure that says what it is («на 5%», «до 10 млрд»)."""
        return next((low for i in _left_words(self.s, self.fig) if (low := self.s.toks[i].lower)
                     in self.fw.figure_prepositions), None)

    @lazy
    def modal_words(self) -> list[tuple[int, int, str]]:
        """(strength, token index, modality) of the words of plan or expectation between the start of the
        figure's clause and the figure; for an elliptical clause, those of the clause before, whose verb it
        shares («экспорт … составит 8,1 млрд, тогда как египетские поставки в Россию – около 700 млн»)."""
        s, fig = self.s, self.fig
        lo = self.clause_first_tok
        # a figure that is a verb says its own mood: «удвоить» (a plan), «утроится» (an outcome), «удвоился»
        end = fig.first + 1 if s.toks[fig.first].lower in self.lex.ratio_verb_forms else fig.first
        found = [(strength, i, m) for i, strength, m in s.cue_words.modal if lo <= i < end]
        if not found:
            # a figure that opens its clause takes the mood of the verb after it: «До $5 млрд довести оборот
            # предлагает Турция»; without one, an elliptical clause shares the clause before's
            hi = _first_tok_from(s, self.clause[1])
            after = [(strength, i, m) for i, strength, m in s.cue_words.modal if fig.last < i < hi]
            if (after or lo > 0) and not _has_verb(s, lo, fig.first):  # (the verb test only when it can matter)
                found = after or [(strength, i, m) for i, strength, m in s.cue_words.modal if i < lo]
        return found

    @lazy
    def strongest_modal(self) -> tuple[int, int, str] | None:
        """The nearest of the strongest modal words (words that say it outright outrank a future tense)."""
        found = self.modal_words
        if not found:
            return None
        strength = max(f[0] for f in found)
        return max((f for f in found if f[0] == strength), key=lambda f: f[1])

    # ------------------------------------------------------------------ the document so far

    @lazy
    def prev_same(self) -> Claim | None:
        """The previous figure of the same indicator, in this sentence or the two before."""
        for i, c in reversed(self.so_far.claims):
            if i < self.s.index - _SAME_SERIES_WITHIN:
                break
            if c.indicator == self.ind:
                return c
        return None

    @lazy
    def prev_period(self) -> str | None:
        """The period of the statistic this sentence continues, for an achieved figure in a sentence that
        does not state a level holding at no period («ежегодно», «сейчас»)."""
        if self.mod != "actual":
            return None
        found = _previous_period(self.so_far, self.s.index, self.ind)
        return None if found is None or timeless(self.s.text, self.lex) else found

    # ------------------------------------------------------------------ sides

    @lazy
    def named(self) -> list[Mention]:
        """The sides named in the sentence, before an attribution («…, уточнили в Минэкономразвития России»:
        who reports a figure is not its side)."""
        said = self.s.attribution_start
        return [m for m in self.s.mentions if m.code and (said is None or m.first < said)]

    @lazy
    def codes(self) -> list[str]:
        return list(dict.fromkeys(m.code for m in self.named))

    @lazy
    def generic(self) -> list[Mention]:
        return [m for m in self.s.mentions if not m.code]

    @lazy
    def decisive_time(self) -> TimeExpr | None:
        """The time expression that gives the period: in the figure's clause, nearest before the figure
        first, then after it, then elsewhere in the sentence; «годом ранее» and comparison bases are not."""
        for t in _times_in_order(self):
            if t.role in ("back", "same") or (t.role != "earlier" and t.period):
                return t
        return None

    @lazy
    def flow_mentions(self) -> tuple[list[Mention], bool]:
        """The sides named in the figure's clause, those since the previous figure when there are any («экспорт
        в Китай составил 18,8 млрд, импорт китайской продукции — 22,2»); and whether that previous figure
        named none (so the figure may be the opposite flow of the one before)."""
        s, fig = self.s, self.fig
        a, b = self.clause
        in_clause = [m for m in self.named if a <= s.toks[m.first].start - s.start < b]
        prev_end = max((f.last for f in s.figures if f.last < fig.first), default=-1)
        since_prev = [m for m in in_clause if prev_end < m.first < fig.first]
        return since_prev or in_clause, not since_prev and prev_end >= 0


def _times_in_order(q: Ask) -> list[TimeExpr]:
    s, fig = q.s, q.fig
    a, b = q.clause
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
        if t.role == "to" and q.mod == "actual":
            continue  # "прибавив к 2016 году 31,2%": a comparison base
        usable.append((t, _first_tok_from(s, t.start)))
    if q.mod in ("target", "forecast"):
        # A plan's period is its horizon ("к 2030 году", "в 2023 году он должен составить") or a time stated
        # after the planning word ("условились уже в 2018 году вывести"), not when the plan was made
        # ("В сентябре 2018 года президенты поручили довести"), and only in the figure's clause.
        usable = [(t, i) for t, i in usable if (t.role == "to" or (q.trigger is not None and i > q.trigger)
                                                or _not_past(t, q.doc.published)) and a <= t.start < b]
    in_clause = [t for t, _ in usable if a <= t.start < b]
    ordered = _around(in_clause, fig_rel) or _around([t for t, _ in usable if not a <= t.start < b], fig_rel)
    if len(ordered) > 1 and ordered[0].end <= fig_rel and _time_of_figure(s, ordered[0], q.lex) not in (None, fig):
        # «с 300 млн в 2013 году до 58 млн в 2020 году»: the time before is another figure's; its own follows it
        own = next((t for t in ordered if t.start >= fig_rel and _time_of_figure(s, t, q.lex) == fig), None)
        if own is not None:
            ordered.remove(own)
            ordered.insert(0, own)
    return ordered


def _time_of_figure(s: Sentence, t: TimeExpr, lex: Lexicon) -> Figure | None:
    """The figure a time directly follows («58 млн в 2020 году», «10 млрд к 2030 году»), if any: nothing
    but a preposition of time between them."""
    for f in s.figures:
        gap = s.text[f.end - s.start:t.start]
        if f.end - s.start <= t.start and len(gap) <= 4 \
                and all(w in lex.words.time_prepositions for w in gap.lower().split()):
            return f
    return None


def _around(times: list[TimeExpr], at: int) -> list[TimeExpr]:
    """The times that end before offset `at`, nearest first, then those that start after it, nearest first."""
    return sorted((t for t in times if t.end <= at), key=lambda t: -t.start) + \
        sorted((t for t in times if t.start >= at), key=lambda t: t.start)


# ====================================================================== indicator: (indicator, word index)


@rule("indicator.signed-count")
def _signed_count(q: Ask):
    if q.fig.unit != "count":
        return SKIP
    signed = q.s.cues.signing or any(p.cues.signing for p in q.prev[-1:])
    return ("agreements" if signed else None), None


@rule("indicator.aid-tonnes")
def _aid_tonnes(q: Ask):
    """Tonnes are claims only as aid: a product's tonnage is a subset, not a national figure."""
    if q.fig.unit != "t":
        return SKIP
    cues = q.s.cues
    near_aid = cues.aid or any(p.cues.aid for p in q.prev[-2:])
    # «администрация города Чэнду направила в Минск 5 тонн масок», in an article about aid
    sent_as_aid = bool(cues.sending) and q.doc.aid_doc
    return ("aid" if (near_aid and (cues.sending or cues.aid)) or sent_as_aid else None), None


@rule("indicator.part-of-trade")
def _part_of_trade(q: Ask):
    word = q.indicator_word
    if word is None or word[0] not in TRADE_INDICATORS:
        return SKIP
    return (None, None) if _subset(q.s, word[1], q.lex) or _part_of(q.s, q.fig, q.lex) else SKIP


@rule("indicator.word-near-figure")
def _word_near_figure(q: Ask):
    return SKIP if q.indicator_word is None else q.indicator_word


@rule("indicator.money-given")
def _money_given(q: Ask):
    """"Циндао выделил Бишкеку 600 тысяч юаней": money given, in a document about aid."""
    if q.fig.unit not in ("%", "x") and q.s.cues.sending and q.doc.aid_doc:
        return "aid", None
    return SKIP


@rule("indicator.pronoun-for-previous")
def _pronoun_for_previous(q: Ask):
    """«Товарооборот России и Монголии растёт. Он вырос на 17,8%»: «он» is the indicator just named."""
    back = _pronoun_for_indicator(q.s, q.fig, q.prev[-1]) if q.prev else None
    return SKIP if back is None else (back, None)


@rule("indicator.sentence-statistic")
def _sentence_statistic(q: Ask):
    """«По итогам 2024 года он составил 2 млрд долларов, однако в январе-мае сократился на 18,6%»: a figure
    whose clause names no statistic goes on with the one the sentence's previous figure measures."""
    claims, s, fig = q.so_far.claims, q.s, q.fig
    if claims and claims[-1][0] == s.index and not _names_what_it_is(s, fig) \
            and not _other_subject(s, fig, q.lex) and not _other_statistic(s, fig, q.lex):
        return claims[-1][1].indicator, None
    return SKIP


@rule("indicator.document-statistic")
def _document_statistic(q: Ask):
    """"К 2020 году стороны рассчитывают выйти на 5 млрд долларов": the sides and the document's statistic;
    "Это на 5,1% меньше, чем …", "Стоимость груза составляет …": the previous sentence's statistic."""
    s, fig = q.s, q.fig
    main = q.so_far.main_indicator
    if main and not _names_what_it_is(s, fig) and not _other_subject(s, fig, q.lex) \
            and not _other_statistic(s, fig, q.lex) and (s.mentions or _continues(s, q.so_far)):
        return main, None
    return SKIP


@rule("indicator.none")
def _no_indicator(q: Ask):
    return None, None


# ====================================================================== kind: (kind, sign) or None


@rule("kind.ratio-of-two")
def _ratio_of_two(q: Ask):
    return None if q.fig.unit == "x" and _compares_two_things(q.s, q.fig) else SKIP


@rule("kind.share-of-whole")
def _share_of_whole(q: Ask):
    """«занимает долю в 10,3%»: a share of a whole, not a change."""
    s = q.s
    if q.fig.unit == "%" and any(s.toks[i].kind == "word" and word_info(s.toks[i].lower).lemma in q.fw.share_lemmas
                                 for i in _left_words(s, q.fig, 3)):
        return None
    return SKIP


@rule("kind.change-subject")
def _change_subject_rule(q: Ask):
    """«Рост … составил 13,8%», «темпы роста составили 13%»: a change that is the subject of a verb of level."""
    cue, at = q.kind_cue
    if q.fig.unit in ("%", "x") and cue == "level" and at is not None:
        subject = _change_subject(q.s, at)
        if subject is not None:
            return "change", -1 if subject == "fall" else 1
    return SKIP


@rule("kind.change-word")
def _change_word(q: Ask):
    cue, at = q.kind_cue
    after = q.kind_cue_after
    if q.fig.unit in ("%", "x"):
        if after in ("growth", "fall") and cue != "fall":
            return "change", -1 if after == "fall" else 1
        if cue in ("growth", "fall"):
            return "change", -1 if cue == "fall" else 1
        return SKIP
    # an amount is a change only when it is led by the preposition of a change («вырос на 2 млрд»), or
    # added («прибавил 2 млрд», with no preposition at all)
    prep = q.figure_preposition
    by_change = prep in q.fw.change_preposition
    if cue in ("growth", "fall") and by_change:
        return "change", -1 if cue == "fall" else 1
    if cue == "growth" and at is not None and q.s.toks[at].info.lemma in q.fw.added_lemmas and prep is None:
        return "change", 1
    if after in ("growth", "fall") and by_change:
        return "change", -1 if after == "fall" else 1
    return SKIP


@rule("kind.factor")
def _factor(q: Ask):
    return ("change", 1) if q.fig.unit == "x" else SKIP


@rule("kind.signed-figure")
def _signed_figure(q: Ask):
    """«экспортировал на $52,9 млрд (+30,6%)»: a percentage written with its sign is a change, and any
    figure after the word «плюс» or «минус»."""
    s, k = q.s, q.fig.first
    if k == 0:
        return SKIP
    sign, first = s.toks[k - 1], s.toks[k]
    if sign.lower in q.fw.plus_words:  # «плюс 3,5 млрд долларов к товарообороту»
        return "change", 1
    if sign.lower in q.fw.minus_words:
        return "change", -1
    if q.fig.unit != "%":
        return SKIP
    glued = sign.end == first.start and (k < 2 or s.toks[k - 2].end < sign.start or s.toks[k - 2].text in q.fw.open_brackets)
    if glued and sign.text in q.fw.plus_signs:
        return "change", 1
    if glued and sign.text in q.fw.minus_signs:
        return "change", -1
    return SKIP


@rule("kind.percent-without-change")
def _percent_without_change(q: Ask):
    return None if q.fig.unit == "%" else SKIP


@rule("kind.level")
def _level(q: Ask):
    return "level", 1


# ====================================================================== modality: (modality, first modal word)


@rule("modality.start-of-planned-change")
def _start_of_planned_change(q: Ask):
    """"с прошлогодних 1,5 млрд до 2 млрд": the starting point of a planned change is what was achieved."""
    s, fig = q.s, q.fig
    if any(s.toks[i].lower in q.fw.range_from for i in _left_words(s, fig, 3)):
        nxt = fig.last + 1
        if nxt < len(s.toks) and s.toks[nxt].lower in q.fw.range_to:
            return "actual", None
    return SKIP


@rule("modality.comparison-base")
def _comparison_base(q: Ask):
    """«довести товарооборот до 20 млрд долларов против 14 млрд»: the level compared with is what was achieved."""
    s, fig = q.s, q.fig
    return ("actual", None) if fig.first > 0 and s.toks[fig.first - 1].lower in q.fw.comparison_base else SKIP


@rule("modality.stated-as-now")
def _stated_as_now_rule(q: Ask):
    nearest = q.strongest_modal
    if nearest is not None and _stated_as_now(q.s, nearest[1], q.fig, q.lex):
        return "actual", None
    return SKIP


@rule("modality.mood-word")
def _mood_word(q: Ask):
    nearest = q.strongest_modal
    return SKIP if nearest is None else (nearest[2], min(f[1] for f in q.modal_words))


@rule("modality.verb-after")
def _verb_after(q: Ask):
    """Future verbs of sending or outcome count to the right, only within the figure's own phrase: in «вырос
    на 9%, и мы рассчитываем, что … составит» the future verb after the comma is another statement's (an
    apposition goes on: «9,5 тыс. тонн зерна, или 122 вагона, Москва поставит»)."""
    s, fig = q.s, q.fig
    after = [(i, m) for i, m in s.cue_words.modal_after if i > fig.last]
    if not after:
        return SKIP
    hi = _first_tok_from(s, q.clause[1])
    comma = next((k for k in range(fig.last + 1, hi - 1)
                  if s.toks[k].text == "," and s.toks[k + 1].lower in q.fw.new_statement), hi)
    found = next(((m, i) for i, m in after if i < comma), None)
    if found is None or any(s.toks[k].kind == "word" and word_info(s.toks[k].lower).tense == "past"
                            for k in range(q.clause_first_tok, fig.first)):
        return SKIP  # (and «увеличился в 6 раз, в ближайшее время ожидается …»: the figure's own verb is past)
    return found


@rule("modality.achieved")
def _achieved(q: Ask):
    return "actual", None


# ====================================================================== comparator: (comparator, first token)


@rule("comparator.cue-word")
def _comparator_cue_word(q: Ask):
    s, fig, fw = q.s, q.fig, q.fw
    cues = q.lex.cues["comparator"]
    lemmas = cue_lemma.table(q.lex)
    if fig.first >= 2 and _approx_before(s.toks[fig.first - 2], s.toks[fig.first - 1], q.lex):
        return "approx", fig.first - 2
    for i in _left_words(s, fig):
        t = s.toks[i]
        low = t.lower
        lem = (lemmas.get(low) or cue_lemma(low, q.lex)) if t.kind == "word" else low
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
            return SKIP  # «больше на 4,8%»: the size of a change, not a bound (the kind rules read it)
        if kind:
            return kind, (i - 1 if negated else i)
        if low in fw.even_after_negation and i >= 2 and s.toks[i - 2].lower in fw.negation:
            continue  # «не достигал и 100 млн»: «и» is «even»
        if low not in fw.skip_before_figure and t.kind == "word" and word_info(low).pos not in ("ADJF", "PRTF"):
            return SKIP  # («превысил исторический рубеж в $2 млрд»: adjectives of the mark stand between)
    return SKIP


def _approx_before(a: Tok, b: Tok, lex: Lexicon) -> bool:
    """«в районе», «близкий к» (cues.toml approx_before, lemmas): the second word is tested first, for
    most figures the only test."""
    phrases = lex.cues["comparator"]["approx_before"]
    if b.kind != "word" or a.kind != "word" or word_info(b.lower).lemma not in _last_words(lex):
        return False
    return f"{word_info(a.lower).lemma} {word_info(b.lower).lemma}" in phrases


@per_lexicon
def _last_words(lex: Lexicon) -> frozenset[str]:
    return frozenset(p.split()[-1] for p in lex.cues["comparator"]["approx_before"])


@rule("comparator.bound-до")
def _bound(q: Ask):
    """"до 100 млн" is a bound unless a change or a verb of reaching leads to it ("довести до", "вырос ... до");
    a plan alone does not ("планирует направить помощь на сумму до 70 млн": at most 70 млн)."""
    s, fig = q.s, q.fig
    if not (fig.first > 0 and s.toks[fig.first - 1].lower in q.fw.upper_bound):
        return SKIP
    led = q.kind == "change" or (q.mod != "actual" and _reaching_verb_before(s, fig, q.lex)) \
        or _kind_cue(s, fig, q.lex)[0] is not None or _kind_cue(s, fig, q.lex, whole_sentence=True)[0] is not None
    return SKIP if led else ("lt", fig.first)


@rule("comparator.exact")
def _exact(q: Ask):
    return "eq", q.fig.first


# ====================================================================== countries: the pair, or None


@rule("countries.not-bilateral")
def _not_bilateral(q: Ask):
    """Region or whole-world totals make no bilateral claim: a region word between the indicator word and
    the figure ("торговлю Казахстана со странами региона на уровне $15 млрд") or right beside the indicator
    word ("внешнеторговый оборот")."""
    if q.cue_at is None:
        return SKIP
    s, fig = q.s, q.fig
    lo, hi = min(q.cue_at, fig.first), max(q.cue_at, fig.last)
    for i in s.cues.not_bilateral:
        if lo - 3 <= i <= hi and not (_foreign_only(s, i, q.lex) and _pair_named(s, min(i, lo), hi)):
            return None
    return SKIP


@rule("countries.subnational")
def _subnational_rule(q: Ask):
    """"Ленинградская область и Беларусь наторговали": a region's own trade."""
    a, b = q.clause
    return None if q.ind in TRADE_INDICATORS and _subnational(q.s, a, b, q.lex) else SKIP


@rule("countries.two-named")
def _two_named(q: Ask):
    return q.codes if len(q.codes) == 2 else SKIP


@rule("countries.list-partner")
def _list_partner(q: Ask):
    """A list ("с Азербайджаном — в 2,8 раза, с Молдовой — на 15%"): the partner is the side named nearest
    before the figure, the other side is the document's main one."""
    if len(q.codes) <= 2:
        return SKIP
    named, fig = q.named, q.fig
    before = [m for m in named if m.last < fig.first]
    partner = (before[-1] if before else min(named, key=lambda m: abs(m.first - fig.first))).code
    # a country before a bloc: «с остальными странами Содружества ... с Украиной»; and not another
    # member of the list: «с Италией оборот составил 14,4 млрд, с Нидерландами — 5,3 млрд»
    listed = {m.code for m in named if m.prep in q.fw.partner_prepositions}
    # whose trade the list is: a side named here, or just before, as the owner of trade, in the genitive
    # («товарооборота Таджикистана … с Украиной снизился на 57,5%, с Кыргызстаном – на 35,4%»)
    owners = [m.code for p in (*q.prev[-1:], q.s) for m in p.mentions
              if m.code and m.code != partner and m.code not in listed and m.prep is None and m.case == "gent"
              and m.code not in q.lex.bloc_members and m.kind == "name"]
    ranked = sorted(q.doc.sides, key=lambda c: c in q.lex.bloc_members)
    anchor = (owners[-1] if len(set(owners)) == 1 else None) \
        or next((c for c in ranked if c != partner and c not in listed), None) \
        or next((c for c in ranked if c != partner), None) \
        or next((c for c in q.codes if c != partner), None)
    return [partner, anchor] if anchor else None


@rule("countries.within-bloc")
def _within_bloc(q: Ask):
    """"взаимная торговля государств ЕАЭС": the bloc with itself."""
    if len(q.codes) == 1 and q.codes[0] in q.lex.bloc_members and not q.generic and _intra_bloc(q.s, q.named[0]):
        return None
    return SKIP


@rule("countries.same-as-previous-figure")
def _same_as_previous(q: Ask):
    prev = q.prev_same
    if prev is None:
        return SKIP
    if not q.codes or (len(q.codes) == 1 and q.codes[0] in prev.countries and not q.generic):
        return list(prev.countries)
    return SKIP


_PARTNER_REACH = 3  # sentences: the named side must be in that figure's pair, so a wider look is safe


@rule("countries.partner-in-previous-trade-figure")
def _partner_in_previous_trade(q: Ask):
    """«Товарооборот Узбекистана с Ираном составил $306 млн. Экспорт в Иран снизился на 35%»: one side named,
    its partner in a trade figure just before (up to _PARTNER_REACH sentences back), not the article's side."""
    if len(q.codes) != 1 or q.ind not in TRADE_INDICATORS:
        return SKIP
    for i, c in reversed(q.so_far.claims):
        if i < q.s.index - _PARTNER_REACH:
            break
        if c.indicator in TRADE_INDICATORS and q.codes[0] in c.countries:
            return list(c.countries)
    return SKIP


@rule("countries.one-named-and-main-side")
def _one_named(q: Ask):
    if len(q.codes) != 1:
        return SKIP
    only = q.codes[0]
    other = next((c for c in q.doc.sides if c != only and c not in q.lex.bloc_members), None)
    return [only, other] if other else None


@rule("countries.previous-statistic-pair")
def _previous_statistic_pair(q: Ask):
    """«Оборот ЕАЭС с Ираном составил $5 млрд. При этом экспорт вырос в 2,1 раза»: no side named, the pair of
    the trade figure just before (this sentence or the one before) rather than the article's."""
    if q.codes or q.ind not in TRADE_INDICATORS:
        return SKIP
    for i, c in reversed(q.so_far.claims):
        if i < q.s.index - 1:
            break
        if c.indicator in TRADE_INDICATORS:
            return list(c.countries)
    return SKIP


@rule("countries.article-pair")
def _article_pair(q: Ask):
    return q.doc.sides[:2] if not q.codes and len(q.doc.sides) >= 2 else SKIP


@rule("countries.none")
def _no_pair(q: Ask):
    return None


# ====================================================================== flow_from: the side a flow comes from


@rule("flow_from.not-a-flow")
def _not_a_flow(q: Ask):
    return None if q.ind not in FLOW_INDICATORS else SKIP


@rule("flow_from.unnamed-as-previous")
def _unnamed_as_previous(q: Ask):
    return q.prev_same.flow_from if not q.codes and q.prev_same is not None else SKIP


@rule("flow_from.opposite-unnamed")
def _opposite_unnamed(q: Ask):
    """«Китай экспортировал в Россию на $52,9 млрд. Импорт составил $62,8 млрд»: no side named, the flow
    opposite to the export (or import) just before, of the same sides."""
    if q.codes:
        return SKIP
    for i, c in reversed(q.so_far.claims):
        if i < q.s.index - 1:
            break
        if {c.indicator, q.ind} == {"export", "import"} and c.flow_from in q.pair and sorted(c.countries) == q.pair:
            return next(x for x in q.pair if x != c.flow_from)
    return SKIP


@rule("flow_from.opposite-of-previous")
def _opposite_of_previous(q: Ask):
    """«Экспорт нашей страны в Беларусь — 12,3 млн, импорт — 130,2 млн»: the opposite flow of the same sides."""
    _, after_figure = q.flow_mentions
    claims = q.so_far.claims
    if after_figure and claims and claims[-1][0] == q.s.index:
        last = claims[-1][1]
        if {last.indicator, q.ind} == {"export", "import"} and last.flow_from in q.pair \
                and sorted(last.countries) == q.pair:
            return next(c for c in q.pair if c != last.flow_from)
    return SKIP


@rule("flow_from.pronoun-source")
def _pronoun_source_rule(q: Ask):
    if q.flow_mentions[0]:
        return SKIP
    src = _pronoun_source(q.s, q.fig, q.named)
    return src if src in q.pair else SKIP


@rule("flow_from.prepositions")
def _prepositions(q: Ask):
    s = q.s
    window = q.flow_mentions[0] or q.named
    # «Рахмон отметил, что Китай вложил…»: a leader who speaks is not a side of the flow when the sides are named
    if any(m.kind != "leader" for m in window):
        window = [m for m in window if m.kind != "leader"]
    receiving = _receiving_verb(s, *q.clause)
    score = {c: 0 for c in q.pair}
    owner_at = None if q.cue_at is None else q.cue_at + 1  # «инвестиции Германии», «экспорт Казахстана»
    for m in window:
        if m.code in score:
            score[m.code] += _is_source(m, q.ind, q.fw, receiving, m.first == owner_at)
    src = [c for c in q.pair if score[c] > 0]
    dst = [c for c in q.pair if score[c] < 0]
    if len(src) == 1:
        return src[0]
    if len(dst) == 1:
        return next(c for c in q.pair if c != dst[0])
    return SKIP


@rule("flow_from.previous-figure")
def _previous_figure(q: Ask):
    prev = q.prev_same
    return prev.flow_from if prev and prev.flow_from in q.pair else SKIP


@rule("flow_from.owner-of-trade")
def _owner_of_trade(q: Ask):
    """«Оборот ЕАЭС с Ираном … При этом экспорт вырос»: the side named with «с» nearby is the partner, the
    other owns the trade: its exports come from it, its imports from the partner."""
    partners = {m.code for p in (*q.prev[-1:], q.s) for m in p.mentions
                if m.code in q.pair and m.prep in q.fw.partner_prepositions}
    if len(partners) != 1:
        return SKIP
    (partner,) = partners
    return partner if q.ind == "import" else next(c for c in q.pair if c != partner)


@rule("flow_from.title")
def _title(q: Ask):
    return q.doc.title_flow if q.doc.title_flow in q.pair else SKIP


@rule("flow_from.main-side")
def _main_side(q: Ask):
    ranked = [c for c in q.doc.sides if c in q.pair]
    return ranked[0] if ranked else q.pair[0]


# ====================================================================== period


@rule("period.years-back")
def _years_back(q: Ask):
    """«за последние 5 лет»: the five years up to the latest year the sentence names."""
    t = q.decisive_time
    if t is None or t.role != "back":
        return SKIP
    anchor = _latest_year(q.s)
    return f"{anchor - t.years_back + 1}/{anchor}" if t.years_back and anchor else None


@rule("period.same-period")
def _same_period(q: Ask):
    t = q.decisive_time
    return _last_actual_period(q.so_far) if t is not None and t.role == "same" else SKIP


@rule("period.from-to-years")
def _from_to_years(q: Ask):
    """«сократился в пять раз: с 300 млн в 2013 году до 58 млн в 2020 году»: a change whose start and end
    follow it, each with its year, is the change over those years."""
    if q.kind != "change" or q.mod != "actual":
        return SKIP
    t = q.decisive_time
    if t is not None and t.end <= q.fig.start - q.s.start:
        return SKIP  # a time stated before the change is its own
    s, fw = q.s, q.fw
    later = [f for f in s.figures if f.first > q.fig.last]
    years = {}
    for f in later[:2]:
        own = next((x for x in s.times if x.role == "point" and x.period and len(x.period) == 4
                    and _time_of_figure(s, x, q.lex) == f), None)
        lead = {s.toks[i].lower for i in _left_words(s, f, 2)}
        if own is not None and lead & fw.range_from:
            years["from"] = own.period
        elif own is not None and lead & fw.range_to:
            years["to"] = own.period
    if years.keys() == {"from", "to"} and years["from"] < years["to"]:
        return f"{years['from']}/{years['to']}"
    return SKIP


@rule("period.range-ends")
def _range_ends(q: Ask):
    """«за 1991–2014 годы товарооборот с $90 млн увеличился до $4 млрд»: of an achieved change over years,
    the figure after «с» is the first year's level, the one after «до» the last year's."""
    if q.kind != "level" or q.mod != "actual":
        return SKIP
    t = q.decisive_time  # (not a period continued from before: the claims after this one continue it)
    m = _YEARS.fullmatch(t.period or "") if t is not None else None
    end = _range_partner(q) if m else None
    return SKIP if end is None else (m.group(1) if end == "from" else m.group(2))


_YEARS = re.compile(r"(\d{4})/(\d{4})")


def _range_partner(q: Ask) -> str | None:
    """"from" for the X of «с X до Y», "to" for its Y, else None."""
    s, fig, fw = q.s, q.fig, q.fw
    k = next(i for i, f in enumerate(s.figures) if f.first == fig.first)  # (q.fig may carry its range's scale)
    if any(s.toks[i].lower in fw.range_from for i in _left_words(s, fig, 1)) and k + 1 < len(s.figures):
        nxt = s.figures[k + 1]
        if nxt.unit == fig.unit and any(s.toks[i].lower in fw.range_to for i in _left_words(s, nxt, 1)):
            return "from"
    if any(s.toks[i].lower in fw.range_to for i in _left_words(s, fig, 1)) and k > 0:
        prev = s.figures[k - 1]
        if prev.unit == fig.unit and any(s.toks[i].lower in fw.range_from for i in _left_words(s, prev, 1)):
            return "to"
    return None


@rule("period.horizon-of-plan")
def _horizon(q: Ask):
    t = q.decisive_time
    return t.period if t is not None and t.period and q.mod in ("target", "forecast") else SKIP


@rule("period.time-in-clause")
def _time_in_clause(q: Ask):
    t = q.decisive_time
    return t.period if t is not None and t.period else SKIP


@rule("period.since-year")
def _since_year(q: Ask):
    """«С 2020 года товарооборот увеличился в 5 раз»: a change since a year, up to the year it is told in."""
    if q.kind != "change" or q.mod != "actual" or q.doc.published is None:
        return SKIP
    a, b = q.clause
    since = next((t for t in q.s.times if t.role == "since" and t.period and len(t.period) == 4
                  and a <= t.start < b), None)
    if since is None or int(since.period) >= q.doc.published.year:
        return SKIP
    return f"{since.period}/{q.doc.published.year}"


@rule("period.event-date")
def _event_date(q: Ask):
    return _event_period(q.s, q.doc) if q.ind in ("aid", "agreements") else SKIP


@rule("period.continued-statistic")
def _continued(q: Ask):
    return q.prev_period if q.prev_period else SKIP


@rule("period.previous-sentence-time")
def _previous_sentence_time(q: Ask):
    """«По итогам 4 месяцев 2011 года Сербия заняла 43-е место по товарообороту. Объем товарооборота составил
    $44,7 млн»: an achieved figure with no time goes on with the period the sentence before states about the
    same statistic, when that sentence made no claim."""
    if q.mod != "actual" or not q.prev or timeless(q.s.text, q.lex):
        return SKIP
    before = q.prev[-1]
    if not any(c.indicator == q.ind or {c.indicator, q.ind} <= TRADE_INDICATORS for c in before.cues.indicators):
        return SKIP
    for i, _ in reversed(q.so_far.claims):  # (the claims of this sentence, then those of the one before)
        if i == before.index:
            return SKIP
        if i < before.index:
            break
    periods = [t.period for t in before.times if t.role == "point" and t.period and len(t.period) != 10]
    return periods[-1] if periods else SKIP


@rule("period.none")
def _no_period(q: Ask):
    return None


# ====================================================================== the claim


def decide_claim(s: Sentence, fig: Figure, prev: list[Sentence], doc: DocContext, so_far: SoFar, lex: Lexicon,
                 why: Trace) -> Claim | None:
    """The claim a figure states, with the trace of the rule that decided each field (`why`, which also
    says which rule turned a figure down); None when it is none of ours (no unit, no indicator, a share,
    no pair)."""
    unit = _unit_for(s, fig, so_far, lex)
    if unit is None:
        return None
    if unit != fig.unit:
        fig = fig._replace(unit=unit)
    fig = _range_scale(s, fig, lex)
    q = Ask(s, fig, lex, prev, doc, so_far)
    decide = BOOK.decide
    q.ind, q.cue_at = decide("indicator", q, why)
    if q.ind is None:
        return None
    kind_sign = decide("kind", q, why)
    if kind_sign is None:
        return None
    q.kind, sign = kind_sign
    q.mod, q.trigger = decide("modality", q, why)
    comp, first = decide("comparator", q, why)
    pair = decide("countries", q, why)
    if not pair or len(set(pair)) != 2:
        return None
    q.pair = countries = sorted(pair)
    flow = decide("flow_from", q, why)
    if fig.unit in lex.currency_by_side_units and any((fig.unit, c) in lex.currency_by_side for c in countries):
        fig = _side_currency(s, fig, countries, lex)
    per = decide("period", q, why)
    if per is not None and contract_period(per) is None:
        per = why.said("period.not-a-valid-period", None)
    value = fig.value
    value_max = fig.value_max
    if fig.unit == "x" and sign < 0:
        value = 1 / value  # "вдвое меньше" -> 0.5: the factor new/old
    elif sign < 0:
        value, value_max = -value, (-value_max if value_max else None)
    if fig.unit == "x" and first == fig.first and fig.first > 0 and s.toks[fig.first - 1].lower in lex.words.factor_preposition:
        first = fig.first - 1
    start = s.toks[first].start if first < fig.first else fig.start
    return Claim(
        doc_id=doc.doc_id,
        indicator=q.ind,
        countries=countries,
        flow_from=flow,
        value=float(value),
        value_max=float(value_max) if value_max is not None else None,
        unit=fig.unit,
        kind=q.kind,
        comparator=comp,
        modality=q.mod,
        period=per,
        text=s.text[start - s.start: fig.end - s.start],
        span=[start, fig.end],
        sentence=s.text,
        sentence_span=[s.start, s.end],
        trace=why.fields,
    )


# ====================================================================== what the rules read


def _title_flow(mentions, lex: Lexicon) -> str | None:
    src = {m.code for m in mentions if m.code and _is_source(m, "aid", lex.words) > 0}
    return src.pop() if len(src) == 1 else None


def _event_window(sents: Sentences, with_figures: tuple[int, ...]) -> list[int]:
    """The lead (a dateline) and the sentences around the figures: not the page's far chrome."""
    idx = set(range(min(LEAD_SENTENCES, len(sents))))
    for i in with_figures:
        idx.update(range(max(0, i - _EVENT_WINDOW), min(len(sents), i + _EVENT_WINDOW + 1)))
    return sorted(idx)


def _event_periods(s: Sentence) -> list[str]:
    """Dated events of a sentence (a day, a weekday, "сегодня", a month), for signings and shipments."""
    return [t.period for t in s.times_if_dated()
            if t.period and t.role == "point" and (t.event or len(t.period) >= 7) and "/" not in t.period]


def _pronoun_for_indicator(s: Sentence, fig: Figure, prev: Sentence) -> str | None:
    """The indicator the sentence before names, when the subject of the figure's clause points back to it:
    a personal pronoun («Он вырос на 17,8%») or a word for «the figure» («показатель вырос на 35%»)."""
    lo = _first_tok_from(s, _clause(s, fig.first)[0])
    # (a noun right after a preposition is its object, whatever case its form may read as: «на начало ноября»)
    subject = next((s.toks[k].info for k in range(lo, fig.first) if s.toks[k].kind == "word"
                    and s.toks[k].info.case == "nomn" and s.toks[k].info.pos in ("NPRO", "NOUN")
                    and not (k > lo and s.toks[k - 1].kind == "word" and s.toks[k - 1].info.pos == "PREP")), None)
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
                and word_cue(t.lower, lex) is None:
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
    if at > 0 and toks[at - 1].kind == "word" and word_info(toks[at - 1].lower).lemma in lex.words.share_lemmas:
        return True  # «доля импорта выросла в 4,2 раза»: a share of it, not the flow itself
    in_mention = s.mention_tokens
    verb = word_info(toks[at].lower).pos in ("VERB", "INFN", "PRTF", "PRTS", "GRND")
    k = at + 1
    while k < len(toks) and k <= at + 5 and toks[k].kind == "word":
        if toks[k].lower in lex.words.restriction_particles:
            return True  # «экспорт из Молдовы только алкогольной продукции»
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
        # «экспорт угля», and the object of a verb: «экспортировал в Китай природный газ»
        return info.pos == "NOUN" and (info.case == "gent" or (verb and info.case in ("accs", "nomn"))) \
            and not (info.lemmas & lex.whole_trade_nouns)
    return False


def _continues(s: Sentence, so_far: SoFar) -> bool:
    """The sentence goes on about the statistic of the sentences just before it, and names no other thing
    ("3,8 млрд сомов налогов — на 20% больше": the 20% is about taxes)."""
    if any(_names_what_it_is(s, f) for f in s.figures):
        return False
    return bool(so_far.claims) and so_far.claims[-1][0] >= s.index - 2


def _names_what_it_is(s: Sentence, fig: Figure) -> bool:
    """A noun right after a sum says what the money is ("3,8 млрд сомов налогов"): not our statistic; a noun
    that still means all of it or a time («13,5% год к году», «2 млрд товаров») names nothing else."""
    k = fig.last + 1
    if k >= len(s.toks) or s.toks[k].kind != "word":
        return False
    info = s.toks[k].info
    return info.pos == "NOUN" and not (info.lemmas & s.lex.whole_trade_nouns)


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
        lem = cue_lemma(t.lower, lex)
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


def _stated_as_now(s: Sentence, modal: int, fig: Figure, lex: Lexicon) -> bool:
    """A present-time phrase between the word of plan at `modal` and the figure («…, в настоящее время он
    составляет порядка $1 млрд»): the figure is what is, not what is planned."""
    between = s.text[s.toks[modal].end - s.start:s.toks[fig.first].start - s.start].lower()
    return any(f" {m} " in f" {between} " or between.startswith(m + " ") for m in lex.words.present_markers)


def _has_verb(s: Sentence, a: int, b: int) -> bool:
    return any(s.toks[k].kind == "word" and word_info(s.toks[k].lower).pos in ("VERB", "INFN", "PRTS", "GRND")
               for k in range(a, b))


def _time_tok_index(s: Sentence, t: TimeExpr) -> int:
    return _first_tok_from(s, t.start)


def _not_past(t: TimeExpr, published: date | None) -> bool:
    """A time that may be a plan's horizon: not before the year of telling; with that year unknown, a whole
    year («по итогам 2022 года может превысить»), while a month or a day more likely dates the planning."""
    if not t.period:
        return False
    if published is None:
        return len(t.period) == 4
    return int(t.period.split("/")[-1][:4]) >= published.year


def _last_actual_period(so_far: SoFar) -> str | None:
    """«за тот же период», «за этот период»: the period of the statistic last stated."""
    for _, c in reversed(so_far.claims):
        if c.modality == "actual" and c.period:
            return c.period
    return None


def _latest_year(s: Sentence) -> int | None:
    years = [int(t.period[:4]) for t in s.times if t.period and t.role == "point" and len(t.period) == 4]
    return max(years) if years else None


def _event_period(s: Sentence, doc: DocContext) -> str | None:
    """When something was signed or sent: the nearest dated event before (else after) the sentence."""
    window = doc.event_window
    k = bisect_right(window, s.index)
    for j in range(k - 1, -1, -1):  # the latest dated sentence up to this one, its latest date
        events = doc.events_in(window[j])
        if events:
            return max(events)
    for i in window[k:]:  # else the first dated sentence just after, its earliest date
        if i > s.index + _EVENT_LOOKAHEAD:
            break
        events = doc.events_in(i)
        if events:
            return min(events)
    return None


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


def _is_source(m: Mention, ind: str, fw: FunctionWords, receiving: bool = False, owner: bool = False) -> int:
    """+1: this side is where the flow comes from; -1: where it goes; 0: unknown. `receiving`: the clause's
    verb is one of receiving («Киргизия получит от Китая»), whose subject is where the flow goes. `owner`:
    the side stands right after the indicator word, whose genitive says whose flow it is («инвестиции
    Германии», «экспорт Казахстана» come from it; «импорт Казахстана» goes to it)."""
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
    if case == "gent" and prep is None and owner:
        return -1 if ind == "import" else 1
    return 0


def _foreign_only(s: Sentence, i: int, lex: Lexicon) -> bool:
    return s.toks[i].kind == "word" and word_info(s.toks[i].lower).lemma in lex.foreign_only_lemmas


def _pair_named(s: Sentence, a: int, b: int) -> bool:
    """Tokens a..b (the indicator phrase and the figure) name a pair: two sides («Грузии с ЕС»), or
    «между странами», «двусторонний» (a generic mention)."""
    inside = [m for m in s.mentions if a <= m.first <= b]
    return len({m.code for m in inside if m.code}) >= 2 or any(m.kind == "generic" for m in inside)


def _subnational(s: Sentence, a: int, b: int, lex: Lexicon) -> bool:
    """A capitalised name of a province or region («Ленинградская область», «Синьцзян-Уйгурский район»)."""
    return any(a <= s.toks[i].start - s.start < b for i in s.cue_words.regions)


def _intra_bloc(s: Sentence, m: Mention) -> bool:
    i = m.first - 1
    while i >= 0 and s.toks[i].kind == "word" and s.toks[i].info.pos in ("ADJF", "PRTF"):
        i -= 1
    return i >= 0 and s.toks[i].info.lemma in s.lex.words.member_lemmas and m.prep is None


def _reaching_verb_before(s: Sentence, fig: Figure, lex: Lexicon) -> bool:
    """A verb that brings an amount to a level («довести», «вывести», «увеличить») before the figure, or
    right after the figure that opens the sentence with «до» («До $5 млрд довести оборот предлагает …»)."""
    verbs = lex.cues["modality"]["target_infinitive"] | lex.cues["modality"]["reaching_nouns"]
    after = range(fig.last + 1, min(len(s.toks), fig.last + 3)) if fig.first <= 1 else range(0)
    return any(s.toks[k].kind == "word" and word_info(s.toks[k].lower).lemma in verbs for k in [*range(fig.first), *after])


def _previous_period(so_far: SoFar, index: int, ind: str) -> str | None:
    """The period of the statistic this sentence continues: the last actual figure of the same kind of
    statistic (trade, investment, aid, agreements) in this sentence or the few before. An investment stock
    does not take the year of a trade figure before it."""
    family = TRADE_INDICATORS if ind in TRADE_INDICATORS else {ind}
    for i, c in reversed(so_far.claims):
        if i < index - _CONTINUES_WITHIN:
            break
        if c.modality == "actual" and c.period and c.indicator in family:
            return c.period
    return None


def _unit_for(s: Sentence, fig: Figure, so_far: SoFar, lex: Lexicon) -> str | None:
    """A figure without its unit shares the unit of its list ("с 1,5 млрд до 2 млрд долларов"),
    else the currency just stated ("достиг 3,9 млрд долларов ... отметки в 5 миллиардов")."""
    if fig.unit:
        return fig.unit
    k = s.figures.index(fig)
    for nxt in s.figures[k + 1:]:
        if nxt.first - fig.last <= 3 and nxt.unit not in (None, "%", "x", "count", "t"):
            return nxt.unit
        break
    for prev in reversed(s.figures[:k]):
        if prev.unit not in (None, "%", "x", "count", "t"):
            return prev.unit
    # «В российских рублях объем взаимной торговли превысил 4,4 трлн»: the currency the sentence names
    return _currency_named(s, lex) or so_far.currency


def _range_scale(s: Sentence, fig: Figure, lex: Lexicon) -> Figure:
    """«с $1,5 до $4,5 миллиона»: the start of a range without a scale word shares the end's."""
    if fig.scaled or fig.unit in ("%", "x", "count", "t"):
        return fig
    k = s.figures.index(fig)
    nxt = s.figures[k + 1] if k + 1 < len(s.figures) else None
    if nxt is None or not nxt.scaled or nxt.unit != fig.unit or nxt.first - fig.last > 3 \
            or not any(s.toks[i].lower in lex.words.range_to for i in range(fig.last + 1, nxt.first)):
        return fig
    scale = next((lex.scale_forms[t.lower] for t in s.toks[nxt.first:nxt.last + 1] if t.lower in lex.scale_forms), None)
    if scale is None:
        return fig
    return fig._replace(value=fig.value * scale, value_max=None if fig.value_max is None else fig.value_max * scale,
                        scaled=True)


def _currency_named(s: Sentence, lex: Lexicon) -> str | None:
    """A currency the sentence names outside its figures («в рублях», «в российских рублях»)."""
    inside = {k for f in s.figures for k in range(f.first, f.last + 1)}
    for k, t in enumerate(s.toks):
        code = lex.currency_word_forms.get(t.lower) if t.kind == "word" and k not in inside else None
        if code and k > 0 and s.toks[k - 1].lower in lex.words.currency_preposition:
            return code
        if code and k > 1 and s.toks[k - 2].lower in lex.words.currency_preposition and s.toks[k - 1].kind == "word":
            return lex.currency_qualifiers.get(word_info(s.toks[k - 1].lower).lemma, code)
    return None


def _side_currency(s: Sentence, fig: Figure, countries: list[str], lex: Lexicon) -> Figure:
    """«около 25 млн манатов» sent by Azerbaijan: a bare word several currencies share is the side's own
    (currency_by_side.csv); «туркменских манатов» stays what its adjective says."""
    qualified = any(word_info(s.toks[k].lower).lemma in lex.currency_qualifiers
                    for k in range(fig.first, fig.last + 1) if s.toks[k].kind == "word")
    own = {lex.currency_by_side[(fig.unit, c)] for c in countries if (fig.unit, c) in lex.currency_by_side}
    return fig if qualified or len(own) != 1 else fig._replace(unit=own.pop())


