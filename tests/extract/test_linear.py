"""Extraction is linear in a document's length, measured in operations (lines of etl/ run), not seconds.

The headline pass once compared every figure without a period with every later figure: a page four
times longer cost sixteen times more there (16 MB: 99.7 s, against 20.5 s for the same text split
into articles). The document here is made of exactly such figures, which is where it showed."""
from __future__ import annotations

import sys
from pathlib import Path

from etl.extract import extract_document
from etl.model import Document

ETL = str(Path(__file__).resolve().parents[2] / "etl")


def document(n: int) -> Document:
    return Document(id="long", text="\n".join(
        f"Товарооборот между Казахстаном и Китаем составил {i + 1},{i % 10} млрд долларов." for i in range(n)))


def operations(doc: Document) -> tuple[int, int]:
    """Lines of the extractor's own code run on `doc` (deterministic, unlike time), and its claims."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(ETL) else None

    extract_document(document(10))  # lazily built tables out of the way
    sys.settrace(calls)
    try:
        claims = extract_document(doc)
    finally:
        sys.settrace(None)
    return count, len(claims)


def test_four_times_the_text_costs_four_times_the_operations():
    small, n_small = operations(document(300))
    large, n_large = operations(document(1200))
    assert (n_small, n_large) == (300, 1200)
    assert large / small <= 4 * 1.1, f"{large:,} operations for 4x the text of {small:,}: not linear"
