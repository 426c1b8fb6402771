"""A tiny deterministic extractor for store tests: one claim per "<digits> млрд" in the text, one
visit per "визит" (fake_events).

The store must behave the same whatever the extractor finds; with this one, every test knows
exactly how many claims each document must have (count "млрд" in its text), so a half-loaded
document is visible. Importable by the tests and by subprocess drivers (see store_driver.py)."""
from __future__ import annotations

import os
import re
import signal

from etl.model import Claim, Document

FIGURE = re.compile(r"(\d+) млрд")
VERSION = "fake-1"
_MAIN_PID = os.getpid()  # a forked worker has another: only workers are killed


def fake_extract(doc: Document) -> list[Claim]:
    if "RAISE-IN-EXTRACTOR" in doc.text:
        raise RuntimeError("boom")
    if "KILL-WORKER" in doc.text and os.getpid() != _MAIN_PID:
        os.kill(os.getpid(), signal.SIGKILL)  # a worker killed as the kernel's OOM killer does
    claims = []
    for m in FIGURE.finditer(doc.text):
        line_start = doc.text.rfind("\n", 0, m.start()) + 1
        line_end = doc.text.find("\n", m.end())
        line_end = len(doc.text) if line_end == -1 else line_end
        claims.append(
            Claim(
                doc_id=doc.id,
                indicator="trade_turnover",
                countries=["RUS", "KGZ"],  # unsorted on purpose: the store sorts the pair
                flow_from=None,
                value=float(m.group(1)) * 1e9,
                value_max=None,
                unit="USD",
                kind="level",
                comparator="eq",
                modality="actual",
                period="2023-Q2",
                text=m.group(0),
                span=[m.start(), m.end()],
                sentence=doc.text[line_start:line_end],
                sentence_span=[line_start, line_end],
            )
        )
    return claims


def expected_claims(text: str) -> int:
    return len(FIGURE.findall(text))


VISIT = re.compile(r"визит")


def fake_events(doc: Document) -> list:
    """One visit of Kyrgyzstan to Russia per "визит" in the text, dated by the line's first 4-digit year."""
    from etl.events import Event

    if "RAISE-IN-EVENTS" in doc.text:
        raise RuntimeError("events boom")
    events = []
    for m in VISIT.finditer(doc.text):
        line_start = doc.text.rfind("\n", 0, m.start()) + 1
        line_end = doc.text.find("\n", m.end())
        line_end = len(doc.text) if line_end == -1 else line_end
        year = re.search(r"\b(\d{4})\b", doc.text[line_start:line_end])
        events.append(Event(doc_id=doc.id, type="visit", countries=["KGZ", "RUS"], host="RUS", level="head_of_state",
                            date=year.group(1) if year else None, modality="actual", count=None, text=m.group(0),
                            span=[m.start(), m.end()], sentence=doc.text[line_start:line_end],
                            sentence_span=[line_start, line_end], trace={"type": "fake"}))
    return events


def expected_events(text: str) -> int:
    return len(VISIT.findall(text))


def install(version: str | None = None) -> None:
    """Make etl.extract and etl.events these fakes (in this process and in workers forked from it)."""
    import etl.events
    import etl.extract

    etl.extract.extract_document = fake_extract
    etl.events.extract_events = fake_events
    etl.extract.EXTRACTOR_VERSION = version or os.environ.get("FAKE_EXTRACTOR_VERSION", VERSION)
