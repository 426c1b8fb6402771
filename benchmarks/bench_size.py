"""Extraction time against one document's size: is it linear?

One dense document is made by joining the development documents until it holds --sizes megabytes of
UTF-8 text (1, 4, 16, 64 by default), and extracted in this process on one core after a warm-up, the best of
up to five runs per size. Each size's characters per CPU-second are printed with their ratio to the
smallest size's; the bar
(issue "Hardening") is that every ratio stays within 20 % of 1. A long page must cost what its
length costs: a 16 MB one took 99.7 s before the headline pass was made linear, 20.5 s split up."""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tree this script is in is the one measured

from etl.extract import extract_document  # noqa: E402
from etl.model import Document  # noqa: E402
from scale import scaled, warm_up  # noqa: E402

BAR = 0.20


def dense_document(megabytes: float) -> Document:
    docs = [json.loads(x) for x in (ROOT / "data/samples/dev_docs.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    unit = "\n\n".join(d["text"] for d in docs)
    copies = max(1, round(megabytes * 1e6 / len(unit.encode("utf-8"))))
    return Document(id=f"dense-{megabytes}", text="\n\n".join([unit] * copies), published="2024-06-01")


def cpu_seconds(doc: Document) -> tuple[float, int]:
    t0 = time.process_time()
    n = len(extract_document(doc))
    return time.process_time() - t0, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = [scaled(s, minimum=0.05) for s in (1, 4, 16, 64)]
    ap.add_argument("--sizes", type=float, nargs="+", default=default, help="document sizes in MB")
    args = ap.parse_args()
    warm_up()
    for _ in range(3):  # warm-up: word-form caches, lazily built tables, the processor's clock
        cpu_seconds(dense_document(min(args.sizes)))
    base = None
    worst = 0.0
    for mb in sorted(args.sizes):
        doc = dense_document(mb)
        # the best of a few runs (the host's speed wanders by a third): as many as fit in ~64 MB of text
        runs = [cpu_seconds(doc) for _ in range(max(1, min(5, round(64 / mb))))]
        seconds, claims = min(runs)
        rate = len(doc.text) / seconds
        base = base or rate
        worst = max(worst, abs(rate / base - 1))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{mb:>6.2f} MB: {len(doc.text):>12,} chars, {claims:>7,} claims, {seconds:7.2f} s CPU, "
              f"{rate:>11,.0f} chars/s ({rate / base:.2f} of the first), peak RSS {rss:,.0f} MB", flush=True)
        del doc
    verdict = "ok" if worst <= BAR else "OVER THE BAR"
    print(f"bench_size: largest deviation from linear {worst:.0%} (bar {BAR:.0%}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
