"""A per-instance cached attribute for the extractor's hot objects, and a per-lexicon cached table."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class lazy(Generic[T]):  # noqa: N801  (used like a decorator, as functools.cached_property)
    """Computed on first read, then a plain instance attribute.

    functools.cached_property does the same, but on Python 3.11 it takes a lock on every first
    read; the extractor makes several such reads per sentence and is single-threaded per document."""

    def __init__(self, fn: Callable[[Any], T]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = self.fn(obj)
        obj.__dict__[self.name] = value  # a non-data descriptor: the instance attribute now wins
        return value


K = TypeVar("K")


def per_lexicon(build: Callable[[K], T]) -> Callable[[K], T]:
    """Memoise a table derived from a lexicon (a Lexicon holds dicts, so it cannot key a dict): the one
    for the last lexicon asked about, which is the one lexicon a process loads. Here, not in etl/lexicon.py,
    so that modules that import no lexicon until asked (etl/periods.py, etl/text.py) can use it."""
    last: list = [None, None]  # [lexicon, table]

    @wraps(build)
    def get(lex: K) -> T:
        if last[0] is not lex:
            last[:] = [lex, build(lex)]
        return last[1]

    return get


def process_lexicon():  # -> etl.lexicon.Lexicon
    """The process's lexicon (etl.lexicon.load()), for a caller that was given none. Imported when first
    asked, not at import: etl/store.py and etl/readers.py import modules that use this (etl/periods.py,
    etl/text.py) without needing the lexicon or pymorphy3."""
    from etl.lexicon import load

    return load()
