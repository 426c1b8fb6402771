"""Fetch throughput, end to end: `python -m etl fetch SITEMAP --delay 0 --workers N` against a local site.

A site on 127.0.0.1 (the standard library's threaded server, in this process) serves robots.txt, a
sitemap and --pages article pages made from the bundled documents (data/samples/, each page a document
under its own URL and id); the command fetches every page (one request at a time: one host), saves
each snapshot with its manifest line, and ingests it (trafilatura, the extractor, DuckDB) into a fresh
store. The time is the wall clock of the whole command, interpreter start to published store, and the CPU seconds of
all its processes (on a shared machine the wall clock depends on the other jobs; the CPU does not).

    python benchmarks/bench_fetch.py [--pages 500] [--workers 1 2]

Bar (issue "A living corpus"): >= 50 pages/s fetched and ingested on 2 cores with no delay.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scale import scaled  # noqa: E402

BAR_PAGES_PER_S = 50


def pages(n: int) -> dict[str, bytes]:
    docs = []
    for name in ("dev_docs.jsonl", "seeds.jsonl"):
        with open(ROOT / "data" / "samples" / name, encoding="utf-8") as f:
            docs += [json.loads(line) for line in f if line.strip()]
    out = {}
    for i in range(n):
        d = docs[i % len(docs)]
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in d["text"].split("\n") if p.strip())
        title = html.escape(d.get("title") or d["text"].split("\n", 1)[0][:120])
        out[f"/news/{i:06d}.html"] = (
            f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{paras}<p>Страница {i} из архива агентства.</p></article>"
            f"</body></html>").encode()
    return out


def serve(site: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body in separate writes: no 40 ms delayed ACK

        def log_message(self, *a):
            pass

        def do_GET(self):
            body = site.get(self.path)
            ctype = "application/xml" if self.path.endswith(".xml") else "text/plain" if self.path.endswith(".txt") \
                else "text/html; charset=utf-8"
            if body is None:
                body, status = b"not found", 404
            else:
                status = 200
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=int(scaled(500, 5)))
    ap.add_argument("--workers", type=int, nargs="+", default=[2])
    args = ap.parse_args()
    site = pages(args.pages)
    srv, base = serve(site)
    site["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    site["/sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                            'sitemap/0.9">' + "".join(f"<url><loc>{base}{p}</loc></url>" for p in site
                                                      if p.startswith("/news/")) + "</urlset>").encode()
    chars = sum(len(b) for p, b in site.items() if p.startswith("/news/"))
    print(f"fetch: {args.pages} pages ({chars:,} bytes of HTML) from {base}")
    ok = True
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "BILATERAL_ETL_CACHE_DIR": os.path.join(tmp, "cache")}
            # a first run fills the lexicon cache (a machine's first run only)
            subprocess.run([sys.executable, "-m", "etl", "extract", "--input", str(ROOT / "data/samples/seeds.jsonl"),
                            "--output", os.path.join(tmp, "warm.jsonl")], env=env, check=True, cwd=ROOT,
                           capture_output=True)
            cmd = [sys.executable, "-m", "etl", "fetch", f"{base}/sitemap.xml", "--delay", "0", "--quiet",
                   "--workers", str(workers), "--db", os.path.join(tmp, "store.duckdb"),
                   "--snapshots", os.path.join(tmp, "snapshots")]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
            wall = time.monotonic() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            last = proc.stderr.strip().splitlines()
            summary = next((ln for ln in last if ln.startswith("fetch ->")), last[-1] if last else "")
            if proc.returncode != 0:
                print(proc.stderr[-2000:])
                return 1
            rate = args.pages / wall
            bar = f"bar >= {BAR_PAGES_PER_S}: {'met' if rate >= BAR_PAGES_PER_S else 'NOT met'}" if workers == 2 else ""
            print(f"--workers {workers}: {wall:.2f} s, {rate:.1f} pages/s fetched and ingested  {bar}")
            print(f"  CPU of the command (all its processes): {cpu:.2f} s, {1000 * cpu / args.pages:.1f} ms per page;"
                  f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            print(f"  {summary}")
            ok = ok and (workers != 2 or rate >= BAR_PAGES_PER_S or args.pages < 100)
    srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
