"""SIGTERM stops a command as Ctrl-C does: raised where the command is, so it publishes, summarises and
exits with 128 + the signal's number, never with a traceback or a half-written file."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM, as an exception; a KeyboardInterrupt, so no `except Exception` swallows it."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def stop_on_sigterm() -> None:
    signal.signal(signal.SIGTERM, _raise_terminated)


def exit_status(e: KeyboardInterrupt) -> int:
    return 128 + (signal.SIGTERM if isinstance(e, Terminated) else signal.SIGINT)


@contextmanager
def deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block ends (a commit and its count in the report, a publish).

    Arriving inside DuckDB they would become `RuntimeError: Query interrupted` in the middle of a COMMIT,
    leaving unknown whether the documents were stored; here they are raised right after the block.
    Only the main thread can set handlers: elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    old = {s: signal.signal(s, lambda signum, frame: got.append(signum)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    if got:
        raise Terminated() if got[0] == signal.SIGTERM else KeyboardInterrupt()
