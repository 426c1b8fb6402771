"""Extraction speed: characters of article text per second on one core.

The bundled sample documents (the five scraped seed pages and the development documents)
are repeated with distinct ids until the corpus holds at least --mb megabytes of text, then
extracted in this one process. Prints the figure quoted in the README."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tree this script is in is the one measured

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
    args = ap.parse_args()
    # The lexicon and the extractor's tables built from it are read once per process, as in ingest;
    # not part of the per-document cost.
    warm_up()
    docs = corpus(int(args.mb * 1_000_000))
    chars = sum(len(d.text) for d in docs)
    nbytes = sum(len(d.text.encode("utf-8")) for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    n_claims = sum(len(extract_document(d)) for d in docs)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time is what one core spends; wall time also counts waiting for a busy machine.
    print(f"extract: {len(docs)} documents, {nbytes / 1e6:.1f} MB ({chars:,} characters), {n_claims} claims; "
          f"one core: {chars / cpu:,.0f} characters/s of CPU time ({cpu:.2f} s), "
          f"{chars / dt:,.0f} characters/s of wall time ({dt:.2f} s); bar: 1,000,000")


if __name__ == "__main__":
    main()
