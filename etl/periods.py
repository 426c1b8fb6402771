"""Periods: the contract's period strings, their calendar bounds, and their resolution from Russian text."""
from __future__ import annotations

import calendar
import re
from datetime import date

_P1 = r"\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
PERIOD_RE = re.compile(rf"^{_P1}(?:/{_P1})?$")


def _bounds_one(p: str) -> tuple[date, date]:
    y = int(p[:4])
    if len(p) == 4:
        return date(y, 1, 1), date(y, 12, 31)
    if p[5] == "Q":
        q = int(p[6])
        m0, m1 = 3 * q - 2, 3 * q
        return date(y, m0, 1), date(y, m1, calendar.monthrange(y, m1)[1])
    m = int(p[5:7])
    if len(p) == 7:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    d = date(y, m, int(p[8:10]))
    return d, d


def period_bounds(period: str | None) -> tuple[date | None, date | None]:
    """First and last day a contract period covers; (None, None) for null or malformed periods."""
    if not period or not PERIOD_RE.match(period):
        return None, None
    try:
        if "/" in period:
            a, b = period.split("/")
            return _bounds_one(a)[0], _bounds_one(b)[1]
        return _bounds_one(period)
    except ValueError:  # e.g. 2023-02-30
        return None, None


# ---------------------------------------------------------------------------------------------
# Time expressions in Russian text, resolved against the published date.

from dataclasses import dataclass  # noqa: E402
from datetime import timedelta  # noqa: E402
from typing import TYPE_CHECKING, Iterable, NamedTuple  # noqa: E402

from etl.lazy import lazy, per_lexicon  # noqa: E402

if TYPE_CHECKING:
    from etl.lexicon import Lexicon


class TimeExpr(NamedTuple):  # a tuple: cheaper to build than a frozen dataclass
    start: int  # offsets relative to the searched text
    end: int
    period: str | None  # resolved period, or None when it needs an anchor that is missing
    role: str  # point | base (a comparison base) | to ("к 2030 году") | since | back (n years back)
    event: bool = False  # a day or a weekday: when something happened (signing, shipment)
    years_back: int | None = None


_new_time = tuple.__new__  # builds a TimeExpr without the Python-level __new__ of a NamedTuple


@dataclass(frozen=True)
class _Calendar:
    """The lexicon's calendar words and patterns (etl/lexicon/calendar.toml), compiled: once per lexicon."""

    gate_words: tuple[str, ...]  # the words some pattern needs; a sentence without one has no time expression
    date_gate_words: tuple[str, ...]  # the same for the patterns of DATED_KINDS
    sources: tuple[tuple[str, str, frozenset[str]], ...]  # (kind, pattern, the words it needs), in lower case
    # (kind, pattern, the words it needs, at_word_start), compiled for lower-cased text. For the kinds in
    # _SCANNED the pattern is without its leading word-start test (at_word_start): find_times makes that
    # test itself, so that a pattern starting with a fixed word is found by the engine's fast scan for it.
    lower_patterns: tuple[tuple[str, re.Pattern, frozenset[str], bool], ...]
    months: tuple[re.Pattern, ...]
    weekdays: tuple[re.Pattern, ...]
    ordinals: tuple[re.Pattern, ...]
    cardinals: tuple[re.Pattern, ...]
    relative: tuple[tuple[str, int], ...]
    second_half: str  # the stem of «второй» in «во второй половине»
    day_offsets: dict[str, int]  # «вчера» -> 1
    timeless: re.Pattern  # words of a level that holds at no period («ежегодно», «сейчас»)
    comparison_base: re.Pattern  # «аналогичным периодом 2023 года»: group y, the year compared with
    # The words before a time that make it a comparison base, a horizon, a start: (base, to, since),
    # for any text and, case-sensitive and faster, for text lower-cased as find_times reads it.
    role_before: tuple[re.Pattern, re.Pattern, re.Pattern]
    role_before_lower: tuple[re.Pattern, re.Pattern, re.Pattern]
    than_before: re.Pattern  # «годом ранее, чем»: case-sensitive

    @lazy
    def patterns(self) -> tuple[tuple[str, re.Pattern, frozenset[str], bool], ...]:
        """The whole patterns with re.I, for text that lower-casing would not keep as it is: compiled when
        such text comes."""
        return tuple((k, re.compile(p, re.I), needs, False) for k, p, needs in self.sources)


@per_lexicon
def _calendar(lex: Lexicon) -> _Calendar:
    """The calendar of `lex` (of the process's lexicon when called without one), compiled once per lexicon."""
    from etl.lexicon import WORD_START

    cal = lex.calendar
    pats = cal.patterns
    needs = cal.needs
    if any(k in _SCANNED and not p.startswith(WORD_START) for k, p in pats):
        raise ValueError("a pattern of _SCANNED must start with the word-start test")
    gate_words = sorted({w for ws in needs.values() for w in ws}, key=len, reverse=True)
    date_gate_words = sorted({w for k in DATED_KINDS for w in needs[k]}, key=len, reverse=True)
    roles = (cal.base_before, cal.to_before, cal.since_before)
    return _Calendar(
        gate_words=tuple(gate_words),
        date_gate_words=tuple(date_gate_words),
        sources=tuple((k, p, frozenset(needs[k])) for k, p in pats),
        lower_patterns=tuple((k, re.compile(p.removeprefix(WORD_START) if k in _SCANNED else p),
                              frozenset(needs[k]), k in _SCANNED) for k, p in pats),
        months=tuple(re.compile(m, re.I) for m in cal.months),
        weekdays=tuple(re.compile(w, re.I) for w in cal.weekdays),
        ordinals=tuple(re.compile(o, re.I) for o in cal.ordinals),
        cardinals=tuple(re.compile(c, re.I) for c in cal.cardinals),
        relative=tuple(sorted(cal.relative_years.items(), key=lambda kv: -len(kv[0]))),
        second_half=cal.halves[1],
        day_offsets=cal.day_offsets,
        timeless=re.compile("|".join(cal.timeless)),  # on lower-cased text; word starts tested after
        comparison_base=re.compile(cal.comparison_base, re.I),
        role_before=tuple(re.compile(p, re.I) for p in roles),
        role_before_lower=tuple(re.compile(p) for p in roles),
        than_before=re.compile(cal.than_before),
    )


# Text in these characters reads the same to a pattern with re.I and, lower-cased, to the pattern without it:
# each lower-cases to one character, and none has a case variant that re.I alone equates (µ, ı, ſ, ᲀ...).
_CASE_SIMPLE = re.compile(r"[\x00-\xb4\xb6-\xff\u0400-\u04ff\u2000-\u206f\u20a0-\u20cf\u2116]*")


def _index(stems: tuple[re.Pattern, ...], word: str) -> int | None:
    for i, p in enumerate(stems):
        if p.match(word):
            return i + 1
    return None


def _number(word: str | None, cal: _Calendar) -> int | None:
    if not word:
        return None
    if word.isdigit():
        return int(word)
    return _index(cal.ordinals, word) or _index(cal.cardinals, word)


def _roman(s: str) -> int | None:
    return {"I": 1, "II": 2, "III": 3, "IV": 4}.get(s.upper())


def _year_of(g: dict[str, str | None], cal: _Calendar, pub_year: int | None) -> int | None:
    """The year of a match, from its groups (Match.groupdict())."""
    if g.get("y"):
        return int(g["y"])
    if g.get("rel"):
        if pub_year is None:
            return None
        rel = g["rel"].lower()
        for stem, delta in cal.relative:
            if rel.startswith(stem):
                return pub_year + delta
        return None
    return pub_year  # "за первые четыре месяца года", "в феврале": the published year


def _resolve(kind: str, m: re.Match, cal: _Calendar, published: date | None) -> tuple[str | None, bool, int | None]:
    g = m.groupdict()
    pub_year = published.year if published else None
    year = _year_of(g, cal, pub_year)
    if kind == "month_range":
        m1, m2 = _index(cal.months, g["m1"]), _index(cal.months, g["m2"])
        return (f"{year}-{m1:02d}/{year}-{m2:02d}" if year and m1 and m2 else None), False, None
    if kind == "quarter":
        q = _roman(g["q"]) or _number(g["q"][:1] if g["q"][0].isdigit() else g["q"], cal)
        return (f"{year}-Q{q}" if year and q and 1 <= q <= 4 else None), False, None
    if kind == "half":
        second = (g.get("h") or "").lower().startswith(cal.second_half)
        return (f"{year}-{'07' if second else '01'}/{year}-{'12' if second else '06'}" if year else None), False, None
    if kind == "n_months":
        n = _number(g["n"], cal)
        return (f"{year}-01/{year}-{n:02d}" if year and n and 1 <= n <= 12 else None), False, None
    if kind == "span_back":
        n = _number(g.get("n1") or g.get("n2"), cal)
        return None, False, n
    if kind == "day":
        mo = _index(cal.months, g["m"])
        if not year or not mo:
            return None, True, None
        if g.get("d2"):
            return f"{year}-{mo:02d}", True, None
        try:
            return date(year, mo, int(g["d"])).isoformat(), True, None
        except ValueError:
            return None, True, None
    if kind in ("month_year", "month"):
        mo = _index(cal.months, g["m"])
        return (f"{year}-{mo:02d}" if year and mo else None), False, None
    if kind == "year_range":
        return f"{g['y1']}/{g['y2']}", False, None
    if kind in ("year", "rel_year", "ytd"):
        return (str(year) if year else None), False, None
    if kind == "rel_month":
        if not published:
            return None, True, None
        rel = g["relm"].lower()
        delta = next((d for stem, d in cal.relative if rel.startswith(stem)), 0)
        y, mo = divmod(published.year * 12 + published.month - 1 + delta, 12)
        return f"{y}-{mo + 1:02d}", True, None
    if kind == "today":
        if not published:
            return None, True, None
        d = published - timedelta(days=cal.day_offsets[g["w"].lower()])
        return d.isoformat(), True, None
    if kind == "weekday":
        wd = _index(cal.weekdays, g["wd"])
        if not published or not wd:
            return None, True, None
        back = (published.weekday() - (wd - 1)) % 7
        return (published - timedelta(days=back)).isoformat(), True, None
    return None, False, None


# The kinds of time expression whose period is a day, a month or a quarter (or that date an event:
# "сегодня", "во вторник"); the others are years or spans ("2023", "2023-01/2023-06") or unresolved.
DATED_KINDS = ("day", "month_year", "month", "rel_month", "today", "weekday", "quarter")


def may_name_date(text: str, lex: Lexicon | None = None) -> bool:
    """False when `text` has no word that a day, month, weekday or quarter expression needs: then
    find_times finds none there, and is not worth running for dates alone."""
    low = text.lower()
    cal = _calendar.for_process() if lex is None else _calendar(lex)  # (per sentence: no Python call)
    return any(map(low.__contains__, cal.date_gate_words))


# The kinds whose patterns start with a fixed word or a digit («в», «с», «по итогам», «19»/«20», «сегодня»).
_SCANNED = frozenset({"half", "month", "year_range", "year", "ytd", "same_period", "rel_year", "today",
                      "rel_month", "weekday", "year_earlier", "day"})


def _matches(pat: re.Pattern, at_word_start: bool, text: str) -> Iterable[re.Match]:
    return _at_word_starts(pat, text) if at_word_start else pat.finditer(text)


def _at_word_starts(body: re.Pattern, text: str) -> list[re.Match]:
    r"""The matches of «(?<![\w-])» + body.pattern, as finditer gives them: body's, where no word
    character or hyphen stands before."""
    out = []
    pos = 0
    search = body.search
    while (m := search(text, pos)) is not None:
        p = m.start()
        if p and ((c := text[p - 1]).isalnum() or c == "_" or c == "-"):
            pos = p + 1
            continue
        out.append(m)
        pos = m.end()
    return out


def find_times(text: str, published: date | None, lex: Lexicon | None = None) -> list[TimeExpr]:
    """Time expressions in `text`, longest first where they overlap, in text order (by the calendar of
    `lex`, or of the process's lexicon)."""
    cal = _calendar.for_process() if lex is None else _calendar(lex)
    found: list[tuple[int, int, str, re.Match]] = []
    low = text.lower()
    present = set(filter(low.__contains__, cal.gate_words))  # the gate words in the text (a loop in C)
    if not present:
        return []
    # Case-sensitive patterns on the lower-cased text are much faster than re.I on the text.
    simple = _CASE_SIMPLE.fullmatch(text) is not None
    patterns, subject = (cal.lower_patterns, low) if simple else (cal.patterns, text)
    base_before, to_before, since_before = cal.role_before_lower if simple else cal.role_before
    for kind, pat, needs, at_word_start in patterns:
        if present.isdisjoint(needs):
            continue
        for m in _matches(pat, at_word_start, subject):
            found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[TimeExpr] = []
    last_end = -1
    for a, b, kind, m in found:
        if a < last_end:
            continue
        last_end = b
        period, event, back = _resolve(kind, m, cal, published)
        before = subject[max(0, a - 40):a]
        if kind == "same_period":
            role = "same"
        elif kind == "year_earlier":
            role = "base" if cal.than_before.search(text, max(0, a - 40), a) else "earlier"
        elif kind == "span_back":
            role = "back"
        elif base_before.search(before):
            role = "base"
        elif to_before.search(before):
            role = "to"
        elif since_before.search(before) and kind not in ("ytd", "rel_year"):
            role = "since"
        else:
            role = "point"
        out.append(_new_time(TimeExpr, (a, b, period, role, event, back)))
    return out


# Relative times («в следующем году», «позавчера») are resolved against the published date; outside
# these years a result would not be a four-digit contract period (0001-01-01 gave the period "2").
REFERENCE_YEARS = (1000, 9998)


def reference_date(d: date | None) -> date | None:
    """`d` if relative times can be resolved against it, else None (the date is treated as unknown)."""
    return d if d is not None and REFERENCE_YEARS[0] <= d.year <= REFERENCE_YEARS[1] else None


def contract_period(period: str | None) -> str | None:
    """`period` if it is a valid contract period (four-digit years, months 01–12, real days), else None."""
    if period is None or PERIOD_RE.match(period) and (len(period) != 10 or period_bounds(period)[0]):
        return period
    return None


def parse_iso_date(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# The published date, when the document does not give it.

# «(?<!\d)(?P<d>[0-3]?\d)» written to lead with a digit, which the regex engine scans for fast
_NUMERIC_DATE = re.compile(r"(?P<d>\d(?<!\d\d)(?:(?<=[0-3])\d)?)\.(?P<m>[01]\d)\.(?P<y>(?:19|20)?\d\d)(?![\d])")
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-/]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?!\d)"
    r"|/(?P<y2>(?:19|20)\d\d)/(?P<m2>[01]\d)/"
)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_UNDATED_SCAN_CHARS = 20_000  # how much of an undated article is read for the year it speaks from


def undated_reference(text: str, lex: Lexicon | None = None) -> date | None:
    """For an article whose date is unknown, the day against which its relative times resolve: the end
    of the latest part of a year it names with its year («за январь–май 2023 года», «за десять месяцев
    2021 года»: a part of a year is the year the article speaks in), else `comparison_reference`. Never
    stored as the article's date."""
    latest: tuple[int, int] | None = None
    for t in find_times(text[:_UNDATED_SCAN_CHARS], None, lex):
        p = t.period
        if not p or t.role != "point" or len(p) == 4 or "/" in p and len(p) == 9:
            continue  # no period, a comparison base, a whole year, or a span of whole years
        end = p.split("/")[-1]
        if len(end) < 7:
            continue
        month = int(end[6]) * 3 if end[5] == "Q" else int(end[5:7])
        latest = max(latest or (0, 0), (int(end[:4]), month))
    if latest:
        y, m = latest
        return date(y, m, calendar.monthrange(y, m)[1])
    return comparison_reference(text, lex)


def comparison_reference(text: str, lex: Lexicon | None = None) -> date | None:
    """For an article whose date is unknown: the end of the year after the latest «аналогичный период
    YYYY года» it compares with (calendar.toml, comparison_base), against which «текущего года» and
    «прошлого года» resolve; None without such a comparison. Never stored as the article's date."""
    years = [int(m["y"]) for m in _calendar(lex).comparison_base.finditer(text)]
    return date(max(years) + 1, 12, 31) if years else None


def infer_published(text: str, url: str | None = None, head_chars: int = 2000, lex: Lexicon | None = None) -> str | None:
    """A date stated at the top of the article ("09.03.2021 10:30", "среда, 02 июля 2025",
    "МОСКВА, 15 ноября 2022. /ТАСС/.", "Бишкек, 18.09.24."), else a date in the URL."""
    head = text[:head_chars]
    cal = _calendar(lex)
    candidates: list[tuple[int, date]] = []
    for m in _NUMERIC_DATE.finditer(head):
        y = int(m["y"])
        y = y + 2000 if y < 100 else y
        d = _valid(y, int(m["m"]), int(m["d"]))
        if d:
            candidates.append((m.start(), d))
    # as in find_times: the lower-case pattern on lower-cased text when that reads the same
    simple = _CASE_SIMPLE.fullmatch(head) is not None
    _, day_pat, _, at_word_start = next(x for x in (cal.lower_patterns if simple else cal.patterns) if x[0] == "day")
    for m in _matches(day_pat, at_word_start, head.lower() if simple else head):
        if m["y"]:
            mo = _index(cal.months, m["m"])
            d = _valid(int(m["y"]), mo, int(m["d"])) if mo else None
            if d:
                candidates.append((m.start(), d))
    if candidates:
        return min(candidates)[1].isoformat()
    if url:
        for m in _URL_DATE.finditer(url):
            if m["y"]:
                d = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
            else:
                d = _valid(int(m["y2"]), int(m["m2"]), 1)
            if d:
                return d.isoformat() if m["y"] else d.isoformat()[:7] + "-01"
    return None


def timeless(sentence: str, lex: Lexicon | None = None) -> bool:
    """The sentence states a level that holds at no period («ежегодно поставляет», «в год», «сейчас»): the
    contract leaves its period null, and it does not take the period of the figures before it."""
    low = sentence.lower()
    cal = _calendar.for_process() if lex is None else _calendar(lex)
    return any(m.start() == 0 or not (low[m.start() - 1].isalnum() or low[m.start() - 1] == "-")
               for m in cal.timeless.finditer(low))
