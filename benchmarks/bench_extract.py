"""Extraction speed: characters of article text per second on one core.

The bundled sample documents (the five scraped seed pages and the development documents)
are repeated with distinct ids until the corpus holds at least --mb megabytes of text, then
extracted in this one process: the claims (etl/extract.py, bar 1,000,000), the diplomacy events
(etl/events.py), and both as ingest extracts them, every document through the two extractors
(issue 11's bar: 800,000). Prints the figures quoted in the README."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tree this script is in is the one measured

from etl.events import extract_events  # noqa: E402
from etl.extract import extract_document  # noqa: E402
from etl.model import Document  # noqa: E402
from scale import scaled, warm_up  # noqa: E402

SAMPLES = [ROOT / "data/samples/seeds.jsonl", ROOT / "data/samples/dev_docs.jsonl"]


def corpus(min_bytes: int) -> list[Document]:
    base = [json.loads(line) for p in SAMPLES for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs, size, k = [], 0, 0
    while size < min_bytes:
        for d in base:
            docs.append(Document.from_dict({**d, "id": f"{d['id']}#{k}"}))
            size += len(d["text"].encode("utf-8"))
        k += 1
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=scaled(20.0, minimum=0.05), help="corpus size in MB of UTF-8 text (default 20)")
    ap.add_argument("--what", choices=("claims", "events", "both"), default="both",
                    help="claims alone, events alone, or both (the claims, the events, then the two per document)")
    args = ap.parse_args()
    # The lexicon and the extractor's tables built from it are read once per process, as in ingest;
    # not part of the per-document cost.
    warm_up()
    extract_events(Document(id="warm-up", text="Президенты провели телефонный разговор.", published="2025-03-01"))
    docs = corpus(int(args.mb * 1_000_000))
    chars = sum(len(d.text) for d in docs)
    nbytes = sum(len(d.text.encode("utf-8")) for d in docs)
    print(f"corpus: {len(docs)} documents, {nbytes / 1e6:.1f} MB ({chars:,} characters)")

    def both(d: Document) -> int:
        return len(extract_document(d)) + len(extract_events(d))

    runs = {"claims": [("claims", extract_document, "1,000,000")], "events": [("events", extract_events, "none")],
            "both": [("claims", extract_document, "1,000,000"), ("events", extract_events, "none"),
                     ("claims+events", both, "800,000")]}[args.what]
    for name, extract, bar in runs:
        t0, c0 = time.perf_counter(), time.process_time()
        found = sum(extract(d) if extract is both else len(extract(d)) for d in docs)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        # CPU time is what one core spends; wall time also counts waiting for a busy machine.
        print(f"extract {name}: {found} records; one core: {chars / cpu:,.0f} characters/s of CPU time ({cpu:.2f} s), "
              f"{chars / dt:,.0f} characters/s of wall time ({dt:.2f} s); bar: {bar}")


if __name__ == "__main__":
    main()
