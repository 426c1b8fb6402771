"""Figures in a sentence: a number with its scale and unit, as written.

"1,5 млрд", "$2 млрд 842 млн", "полтора миллиарда долларов", "2 тыс. тонн", "6%",
"в 1,8 раза", "вдвое", "7 соглашений", "от 1 до 2 млрд долларов".
Which indicator, sides, period a figure belongs to is decided later (etl/claim_rules.py)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from etl.lexicon import FigureWords, Lexicon, per_lexicon
from etl.morph import WordInfo, word_info

_SPACES = " \u00a0\u2009\u202f"
# A token with the white space before it, so that consecutive matches tile the sentence and
# offsets follow from lengths: findall's tuples are much cheaper than match objects.
# A word starts with a letter; a number with a digit: thousands grouped by (no-break, thin)
# spaces, a decimal comma or point; a hyphenated suffix makes it an ordinal or a year form
# ("10-е", "2017-м"), not an amount. Anything else that is not white space is punctuation.
# (Possessive «*+»: nothing after them could ever take back what they match, and the engine skips
# keeping the places to go back to.)
_TOKEN = re.compile(
    r"(\s*+)(?:(?P<word>[^\W\d]\w*+(?:[-‑]\w++)*+)"
    rf"|(?P<num>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?![\d])(?:[.,]\d+(?![.,]\d))?|\d+(?:[.,]\d+(?![.,]\d))?)(?P<suffix>[-‑][а-яёa-z]+)?"
    r"|(?P<punct>[^\w\s]))"
)
_RANGE_DASH = frozenset("–—-‑−")  # (U+2212, the minus sign, some outlets print for a dash)


class Tok(NamedTuple):
    text: str
    start: int  # absolute offsets into the document
    end: int
    kind: str  # num | word | punct | ordinal
    number: float | None
    lower: str

    @property
    def info(self) -> WordInfo:
        """Morphology, parsed when a rule first asks: most words of a page are never asked about.
        (Hot loops call word_info(t.lower) directly: the same, without a Python-level property call.)"""
        return word_info(self.lower)


_new_tok = tuple.__new__  # builds a Tok (or a Figure) without the Python-level __new__ of a NamedTuple
# One lower-case string per word form: the rules look every word up in sets and caches, and a string
# seen before has its hash already.
_lower = lru_cache(maxsize=200_000)(str.lower)


def tokenize(sentence: str, offset: int) -> list[Tok]:
    out = []
    append = out.append
    lower = _lower
    pos = offset
    for space, word, num, suffix, punct in _TOKEN.findall(sentence):
        pos += len(space)
        if word:
            end = pos + len(word)
            append(_new_tok(Tok, (word, pos, end, "word", None, lower(word))))
        elif punct:
            end = pos + 1
            append(_new_tok(Tok, (punct, pos, end, "punct", None, punct)))
        else:
            g = num + suffix
            end = pos + len(g)
            append(_new_tok(Tok, (g, pos, end, "ordinal" if suffix else "num", _to_float(num), g)))
        pos = end
    return out


_NUMBER_CHARS = str.maketrans({**dict.fromkeys(_SPACES), ",": "."})  # group spaces out, a decimal comma to a point


def _to_float(s: str) -> float:
    return float(s) if s.isdigit() else float(s.translate(_NUMBER_CHARS))


class Figure(NamedTuple):  # a tuple: cheaper to build than a frozen dataclass, and one is built per figure
    value: float
    value_max: float | None
    unit: str | None  # currency code, "t", "%", "x", "count", or None for a scaled amount without a unit
    start: int  # span of the figure as written: number, scale and unit words
    end: int
    first: int  # index of the first token of the figure in the sentence's token list
    last: int  # index of the last token
    scaled: bool  # had a scale word (тыс., млн, млрд)
    counted: str | None = None  # lemma of the noun counted, for unit "count"


def _scale(t: Tok, lex: Lexicon) -> float | None:
    return lex.scale_forms.get(t.lower) if t.kind == "word" else None


def _number_word(t: Tok, lex: Lexicon) -> float | None:
    return lex.number_forms.get(t.lower) if t.kind == "word" else None


def _currency(toks: list[Tok], i: int, lex: Lexicon) -> tuple[str, int] | None:
    """Currency named at toks[i]: returns (code, index of its last token)."""
    t = toks[i]
    if t.kind == "punct":
        return (lex.currency_symbols[t.text], i) if t.text in lex.currency_symbols else None
    if t.kind != "word":
        return None
    low = t.lower
    code = lex.currency_word_forms.get(low)
    if code is None:
        return None
    j = i
    if j + 1 < len(toks) and toks[j + 1].text == "." and low in lex.unit_words["dotted_currencies"]:
        j += 1
    if j + 1 < len(toks) and toks[j + 1].text in lex.figures.currency_country:
        j += 1
    return code, j


def _core(toks: list[Tok], i: int, lex: Lexicon) -> tuple[float, int] | None:
    """A number at toks[i]: digits, or number words ("двадцать пять", "полтора")."""
    t = toks[i]
    if t.kind == "num":
        return t.number, i
    v = _number_word(t, lex)
    if v is None:
        return None
    j = i
    while j + 1 < len(toks):
        w = _number_word(toks[j + 1], lex)
        if w is None or w >= v:
            break
        v += w
        j += 1
    half = lex.figures.and_a_half
    if j + 2 < len(toks) and toks[j + 1].lower == half[0] and toks[j + 2].lower == half[1]:
        v, j = v + 0.5, j + 2  # «два с половиной миллиарда»
    return v, j


def _amount(toks: list[Tok], i: int, lex: Lexicon) -> tuple[float, int, bool] | None:
    """Number with scale words, compound ("2 млрд 300 млн") and group nouns ("двух десятков")."""
    core = _core(toks, i, lex)
    if core is None:
        return None
    value, j = core
    total, scaled = 0.0, False
    last_scale = float("inf")
    while True:
        k = j + 1
        if k < len(toks) and toks[k].kind == "word" and toks[k].lower in lex.group_forms:
            value *= lex.group_forms[toks[k].lower]
            j = k
            k += 1
        if k < len(toks):
            s = _scale(toks[k], lex)
            if s is not None and s < last_scale:
                # the abbreviation's dot ("тыс. тонн"), unless it ends the sentence ("842 млн.")
                j = k + (1 if k + 2 < len(toks) and toks[k + 1].text == "." else 0)
                total += value * s
                scaled, last_scale = True, s
                # a smaller amount may follow: "2 млрд 842 млн"
                if j + 1 < len(toks) and toks[j + 1].kind == "num":
                    nxt = j + 1
                    if nxt + 1 < len(toks):
                        s2 = _scale(toks[nxt + 1], lex)
                        if s2 is not None and s2 < s:
                            value, j = toks[nxt].number, nxt
                            continue
                return (total if not total % 1.0 else _exact(total)), j, scaled
        total += value
        return (total if not total % 1.0 else _exact(total)), j, scaled


def _exact(x: float) -> float:
    """4,1 млрд is 4100000000.0, not the 4099999999.9999995 that 4.1 * 1e9 gives in binary floating point
    (a scaled amount is at least a thousand: four decimals are more than any text states)."""
    return round(x, 4)


_AGREEMENT_NOUN_GAP = 2  # adjectives allowed between a count and its noun: "7 межправительственных соглашений"


def _unit_after(toks: list[Tok], j: int, lex: Lexicon, scaled: bool) -> tuple[str | None, int, str | None] | None:
    """Unit following an amount ending at toks[j]. None when the amount counts something else."""
    k = j + 1
    if k >= len(toks):
        return None, j, None
    t = toks[k]
    if t.text == "%":
        return "%", k, None
    cur = _currency(toks, k, lex)
    if cur:
        return cur[0], cur[1], None
    if t.kind != "word":
        return None, j, None
    info = word_info(t.lower)
    if k + 1 < len(toks) and info.pos == "ADJF":
        # "310 млн азербайджанских манатов", "3,1 трлн российских рублей": the adjective may name the currency
        cur = _currency(toks, k + 1, lex)
        if cur:
            return lex.currency_qualifiers.get(info.lemma, cur[0]), cur[1], None
    lem = info.lemma
    uw = lex.unit_words
    if lem in uw["percent"] or t.lower in uw["percent_abbreviations"]:
        dot = k + 1 < len(toks) and toks[k + 1].text == "." and t.lower in uw["percent_abbreviations"]
        return "%", k + dot, None
    abbreviated = scaled and t.lower in uw["tonne_abbreviations"]
    if lem in uw["tonne"] or abbreviated:
        return "t", k + (1 if abbreviated and k + 1 < len(toks) and toks[k + 1].text == "." else 0), None
    if lem in uw["factor"]:
        return "x", k, None
    # "7 соглашений", "15 межправительственных документов", "10 межправительственных и межведомственных документов"
    adjectives = 0
    for g in range(k, min(k + 2 * _AGREEMENT_NOUN_GAP + 1, len(toks))):
        tg = toks[g]
        if adjectives and tg.lower in lex.figures.adjective_joiners and g + 1 < len(toks) and toks[g + 1].kind == "word":
            continue  # adjectives joined by «и» or a comma
        if tg.kind != "word":
            break
        if tg.lower in lex.count_noun_forms:
            return "count", g, lex.count_noun_forms[tg.lower]
        if word_info(tg.lower).pos not in ("ADJF", "PRTF") or adjectives == _AGREEMENT_NOUN_GAP:
            break
        adjectives += 1
    if t.lower.startswith(lex.calendar.day_months):
        return None  # a date: "15 сентября"
    if info.pos in ("NOUN", "ADJF", "PRTF", "NUMR") and not (info.lemma in lex.scales):
        return None  # "117 тысяч человек", "2,5 тысячи одеял": counts of other things
    return None, j, None


@per_lexicon
def _figure_starts(lex: Lexicon) -> frozenset[str]:
    """Number words, ratio adverbs (word tokens) and currency signs (punctuation tokens): with digits,
    the tokens a figure can start with."""
    return frozenset(lex.number_forms) | frozenset(lex.ratio_adverbs) | frozenset(lex.currency_symbols) \
        | frozenset(lex.ratio_verb_forms) | frozenset(lex.fraction_forms) | frozenset(lex.bare_scale_forms)


@per_lexicon
def _comparator_words(lex: Lexicon) -> frozenset[str]:
    """Words that may stand between a change verb and its amount: «прибавил около трети», «более чем на четверть»."""
    return frozenset(w for words in lex.cues["comparator"].values() for w in words) | lex.figures.before_fraction


def _fraction(toks: list[Tok], i: int, lex: Lexicon) -> Figure | None:
    """A change stated as a fraction, in percent: «на треть», «прибавил около трети», «на две трети»,
    «наполовину». Elsewhere a fraction is a share («треть товарооборота») or a time («первой половине»)."""
    t = toks[i]
    value = lex.fraction_forms[t.lower]
    first = i
    if i > 0 and toks[i - 1].kind == "word" and toks[i - 1].lower in lex.number_forms \
            and lex.number_forms[toks[i - 1].lower] in (2, 3):
        first = i - 1  # «две трети», «три четверти»
        value = round(value * lex.number_forms[toks[i - 1].lower], 2)
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.kind == "word":
        info = word_info(nxt.lower)
        if info.pos == "NOUN" and info.case == "gent":
            return None  # «трети товарооборота»: a share of something
    if t.lower not in lex.figures.change_fractions:
        skip = _comparator_words(lex)
        k = first - 1
        while k >= 0 and toks[k].kind == "word" and (toks[k].lower in skip or word_info(toks[k].lower).lemma in skip):
            k -= 1
        if k < 0 or toks[k].kind != "word":
            return None
        if toks[k].lower not in lex.figures.fraction_prepositions \
                and word_info(toks[k].lower).pos not in ("VERB", "INFN", "GRND"):
            return None
    return Figure(value, None, "%", toks[first].start, t.end, first, i, False)


def _list_opener(toks: list[Tok], start_i: int, fw: FigureWords) -> str:
    """The word that opens a list or range before a number, across one adjective:
    «с прошлогодних 7,5 до 15 млрд» -> «с»."""
    k = start_i - 1
    if k > 0 and toks[k].kind == "word" and toks[k].lower not in fw.change_start and toks[k].lower not in fw.range_start \
            and word_info(toks[k].lower).pos == "ADJF":
        k -= 1
    return toks[k].lower if k >= 0 else ""


def find_figures(toks: list[Tok], lex: Lexicon) -> list[Figure]:
    figures: list[Figure] = []
    n = len(toks)
    resume = 0  # the token after the last figure read: its own tokens start none
    starts = _figure_starts(lex)
    fw = lex.figures
    # Only the tokens a figure can start with are read: the others are passed over as the rules below would.
    for i in [i for i, t in enumerate(toks) if t.kind == "num" or t.lower in starts]:
        if i < resume:
            continue
        t = toks[i]
        # ratio adverbs and verbs: "вдвое", "втрое", "удвоить", "утроение"
        if t.kind == "word" and (t.lower in lex.ratio_adverbs or t.lower in lex.ratio_verb_forms):
            factor = lex.ratio_adverbs.get(t.lower) or lex.ratio_verb_forms[t.lower]
            figures.append(Figure(factor, None, "x", t.start, t.end, i, i, False))
            resume = i + 1
            continue
        if t.kind == "word" and t.lower in lex.bare_scale_forms:
            # «превысил миллиард долларов»: a scale word with no number before it is one of it, before a currency
            before = toks[i - 1] if i > 0 else None
            unit_info = _unit_after(toks, i, lex, True)
            if (before is None or (before.kind != "num" and before.lower not in lex.number_forms
                                   and before.lower not in lex.fraction_forms)) \
                    and unit_info is not None and unit_info[0] not in (None, "%", "x", "t", "count"):
                figures.append(Figure(lex.bare_scale_forms[t.lower], None, unit_info[0], t.start,
                                      toks[unit_info[1]].end, i, unit_info[1], True))
                resume = unit_info[1] + 1
                continue
            resume = i + 1
            continue
        if t.kind == "word" and t.lower in lex.fraction_forms:
            fig = _fraction(toks, i, lex)
            if fig is not None:
                if figures and figures[-1].last >= fig.first:
                    figures.pop()  # «две» was read as a number on its own
                figures.append(fig)
            resume = i + 1
            continue
        prefix_cur = None
        start_i = i
        if t.kind == "punct" and t.text in lex.currency_symbols and i + 1 < n and toks[i + 1].kind == "num":
            prefix_cur = lex.currency_symbols[t.text]
            i += 1
        amt = _amount(toks, i, lex)
        if amt is None:
            resume = start_i + 1
            continue
        value, j, scaled = amt
        # a range sharing scale and unit: "от 1 до 2 млрд", "1–2 млрд долларов"; the word that opens it
        # is read only before a dash or «до» (it may take a parse)
        value_max = None
        nxt = toks[j + 1] if j + 2 < n else None
        ranged = nxt is not None and (nxt.text in _RANGE_DASH or nxt.lower in fw.range_end)
        before = _list_opener(toks, start_i, fw) if ranged else ""
        if not scaled and ranged and (nxt.text in _RANGE_DASH or before in fw.range_start or before in fw.change_start):
            amt2 = _amount(toks, j + 2, lex)
            if amt2 is not None and toks[j + 2].kind == "num" and toks[j + 2].number:
                factor = amt2[0] / toks[j + 2].number
                shared = _unit_after(toks, amt2[1], lex, amt2[2])
                if before in fw.change_start and shared is not None and (amt2[2] or shared[0]):
                    # "с прошлогодних 7,5 до 15 млрд долларов": a starting point and a new level
                    unit = shared[0]
                    figures.append(Figure(value * factor, None, unit, toks[start_i].start, toks[j].end,
                                          start_i, j, amt2[2] or scaled))
                    resume = j + 1
                    continue
                if amt2[2]:
                    value, value_max = value * factor, amt2[0]
                    j, scaled = amt2[1], True
                elif shared is not None and shared[0] == "%" and before not in fw.change_start and amt2[0] > value:
                    value_max, j = amt2[0], amt2[1]  # «на 20–25%», «от 5 до 7%»
        elif scaled and ranged and (nxt.text in _RANGE_DASH or before in fw.range_start):
            # both ends scaled: «от 500 млн до 1 млрд долларов», «1,5 млрд – 2 млрд»
            amt2 = _amount(toks, j + 2, lex)
            if amt2 is not None and amt2[2] and amt2[0] > value:
                value_max, j = amt2[0], amt2[1]
        unit_info = _unit_after(toks, j, lex, scaled)
        if unit_info is None:
            resume = j + 1
            continue
        unit, last, counted = unit_info
        if prefix_cur:
            unit = prefix_cur if unit is None else unit
        if unit is None and not scaled:
            resume = j + 1
            continue  # a bare number: a date, a count of people, a page number
        if unit == "x" and not (start_i > 0 and toks[start_i - 1].lower in fw.factor_prepositions):
            resume = last + 1
            continue
        if unit == "t" and not scaled and value < 1:
            resume = last + 1
            continue
        figures.append(_new_tok(Figure, (value, value_max if value_max and value_max > value else None, unit,
                                         toks[start_i].start, toks[last].end, start_i, last, scaled, counted)))
        resume = last + 1
    return figures
