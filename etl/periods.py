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
