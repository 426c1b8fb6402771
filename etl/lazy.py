"""A per-instance cached attribute for the extractor's hot objects, and a per-lexicon cached table."""
from __future__ import annotations

from functools import cache, wraps
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


def per_lexicon(build: Callable[[K], T]) -> Callable[..., T]:
    """Memoise a table derived from a lexicon (a Lexicon holds dicts, so it cannot key a dict): the one
    for the last lexicon asked about, which is the one lexicon a process loads. Called without a lexicon,
    the table of the process's (process_lexicon), which `.for_process()` also gives at the cost of a C call,
    for callers that run per sentence. Here, not in etl/lexicon.py, so that modules that import no lexicon
    until asked (etl/periods.py, etl/text.py) can use it."""
    last_lex: K | None = None
    last_table: T | None = None

    @wraps(build)
    def get(lex: K | None = None) -> T:
        nonlocal last_lex, last_table
        if lex is None:
            return for_process()
        if lex is not last_lex:
            last_table = build(lex)
            last_lex = lex
        return last_table  # type: ignore[return-value]

    # the process's lexicon is loaded once (etl.lexicon.load is memoised), so its table can be kept for good
    for_process = cache(lambda: get(process_lexicon()))
    get.for_process = for_process  # type: ignore[attr-defined]
    return get


@cache
def process_lexicon():  # -> etl.lexicon.Lexicon
    """The process's lexicon (etl.lexicon.load(), memoised for the process as that is), for a caller that
    was given none. Imported when first asked, not at import: etl/store.py and etl/readers.py import
    modules that use this (etl/periods.py, etl/text.py) without needing the lexicon or pymorphy3."""
    from etl.lexicon import load

    return load()
