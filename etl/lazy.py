"""A per-instance cached attribute for the extractor's hot objects."""
from __future__ import annotations

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
