"""`python -m etl fetch` against a local site: discovery, politeness, failures, snapshots, incremental runs."""
from __future__ import annotations

import json
from pathlib import Path

from fetch_helpers import run_fetch
from etl.store import connect_readonly


def manifest(snap: Path) -> list[dict]:
    return [json.loads(line) for m in sorted(snap.glob("*/manifest.jsonl")) for line in m.open(encoding="utf-8")]


def documents(db: Path) -> dict[str, dict]:
    con = connect_readonly(db)
    try:
        cur = con.execute("SELECT doc_id, url, outlet_country, source, title, published FROM documents")
        cols = [d[0] for d in cur.description]
        return {r[0]: dict(zip(cols, r)) for r in cur.fetchall()}
    finally:
        con.close()


def claims(db: Path) -> int:
    con = connect_readonly(db)
    try:
        return con.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        con.close()


def test_first_run_then_nothing_new(tmp_path, site, sources, capsys):
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    code, err = run_fetch(capsys, str(sources), "--db", str(db), "--snapshots", str(snap))
    assert code == 0, err
    docs = documents(db)
    b = site.base
    want = {f"{b}/news/kaz-uzb-trade.html", f"{b}/news/kgz-rus-trade.html", f"{b}/news/tjk-chn-trade.html",
            f"{b}/news/flaky-429.html", f"{b}/news/flaky-500.html", f"{b}/news/sitemap-only.html",
            f"{b}/news/old-2020.html", f"{b}/news/cp1251-meta.html", f"{b}/news/cp1251-wrong-header.html"}
    assert set(docs) == want, err
    for d in docs.values():
        assert d["url"] == d["doc_id"]
        assert d["outlet_country"] == "KAZ"
        assert d["source"].startswith("snapshot:")
    # the tracking parameters and the AMP copy are one document
    assert not any("utm_" in u or "amp" in u for u in docs)
    # Windows-1251, declared in a meta tag only, and under a header that says UTF-8, read right
    assert docs[f"{b}/news/cp1251-meta.html"]["title"] == "Узбекистан и Россия: торговля"
    assert docs[f"{b}/news/cp1251-wrong-header.html"]["title"] == "Казахстан и Китай: торговля"
    assert claims(db) >= 8
    # robots.txt obeyed, the User-Agent names the project
    assert site.hits["/private/secret.html"] == 0
    assert all("bilateral-indicators" in a for a in site.agents), site.agents
    # the summary
    assert "disallowed by robots.txt" in err
    assert "/news/missing.html: HTTP 404" in err
    assert "redirect loop" in err
    assert "timeout" in err
    assert "over the size limit" in err and "big-stream.html" in err
    assert "not HTML: application/pdf" in err
    assert "truncated" in err
    assert "9 new" in err
    # retried after 429 (Retry-After) and 500
    assert site.hits["/news/flaky-429.html"] == 2 and site.hits["/news/flaky-500.html"] == 2
    # the manifest lists every fetch
    lines = manifest(snap)
    fetched = [e for e in lines if e["kind"] != "document"]
    refused = [e for e in fetched if e["status"] is None and "robots.txt" in (e.get("note") or "")]
    assert [e["url"] for e in refused] == [f"{b}/private/secret.html"]  # listed, never requested
    assert sum(site.hits.values()) == len(fetched) - len(refused)
    for e in fetched:
        assert {"url", "final_url", "fetched_at", "status", "content_type", "sha256", "source"} <= set(e)
        if e["file"]:
            body = (snap / e["file"]).read_bytes()
            import hashlib
            assert hashlib.sha256(body).hexdigest() == e["sha256"]
    assert {e["status"] for e in fetched} >= {200, 404, 429, 500, 302}

    # second run: the feed answers 304, every known page is skipped, nothing is added
    before = dict(site.hits)
    code, err2 = run_fetch(capsys, str(sources), "--db", str(db), "--snapshots", str(snap))
    assert code == 0, err2
    assert "/feed.xml" in site.conditional
    assert documents(db).keys() == docs.keys()
    assert "0 new, 0 replaced" in err2 or "0 documents read" in err2
    new_hits = {p: n - before.get(p, 0) for p, n in site.hits.items() if n != before.get(p, 0)}
    known = {"/news/kaz-uzb-trade.html", "/news/kgz-rus-trade.html", "/news/tjk-chn-trade.html",
             "/news/sitemap-only.html"}
    assert not known & set(new_hits), new_hits


def test_since_bounds_discovery(tmp_path, site, sources, capsys):
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    code, err = run_fetch(capsys, f"{site.base}/sitemap.xml", "--db", str(db), "--snapshots", str(snap),
                          "--since", "2025-01-01")
    assert code == 0, err
    assert site.hits["/news/old-2020.html"] == 0
    assert f"{site.base}/news/sitemap-only.html" in documents(db)


def test_home_page_discovers_feed_and_sitemap(tmp_path, site, capsys):
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    code, err = run_fetch(capsys, f"{site.base}/", "--db", str(db), "--snapshots", str(snap), "--max-pages", "3")
    assert code == 0, err
    assert site.hits["/feed.xml"] == 1 and site.hits["/sitemap.xml"] == 1
    assert len(documents(db)) <= 3


def test_a_page_url_then_not_modified(tmp_path, site, capsys):
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    url = f"{site.base}/news/kgz-rus-trade.html"
    code, err = run_fetch(capsys, url, "--db", str(db), "--snapshots", str(snap))
    assert code == 0, err
    assert documents(db)[url]["outlet_country"] is None  # no sources file names this host
    code, err = run_fetch(capsys, url, "--db", str(db), "--snapshots", str(snap))
    assert code == 0, err
    assert "/news/kgz-rus-trade.html" in site.conditional


def test_no_ingest_then_from_snapshots(tmp_path, site, capsys):
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    only_sitemap = tmp_path / "sitemap-only.toml"
    only_sitemap.write_text(f'[[outlet]]\nname = "Test"\ncountry = "KAZ"\nsitemaps = ["{site.base}/sitemap.xml"]\n')
    code, err = run_fetch(capsys, str(only_sitemap), "--db", str(db), "--snapshots", str(snap), "--no-ingest")
    assert code == 0, err
    assert not db.exists()
    site.stop()  # no network from here on
    from etl.cli import main

    code = main(["fetch", "--from-snapshots", str(snap), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err
    assert code == 0, err
    docs = documents(db)
    assert f"{site.base}/news/sitemap-only.html" in docs
    assert all(d["outlet_country"] == "KAZ" for d in docs.values())


def test_an_interrupted_run_resumes(tmp_path, site, sources, capsys):
    """A run that fetched pages but stopped before ingesting them ingests them next time, from snapshots;
    URLs discovered and not fetched are fetched next time."""
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    code, err = run_fetch(capsys, f"{site.base}/sitemap.xml", "--db", str(db), "--snapshots", str(snap),
                          "--no-ingest", "--max-pages", "1")
    assert code == 0, err
    code, err = run_fetch(capsys, f"{site.base}/sitemap.xml", "--db", str(db), "--snapshots", str(snap))
    assert code == 0, err
    assert "queued by an earlier run" in err
    docs = documents(db)
    assert {f"{site.base}/news/tjk-chn-trade.html", f"{site.base}/news/sitemap-only.html",
            f"{site.base}/news/kaz-uzb-trade.html"} <= set(docs)


def test_dns_failure_and_refused_do_not_stop_the_run(tmp_path, site, capsys):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed = s.getsockname()[1]
    s.close()
    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    code, err = run_fetch(capsys, "http://no-such-host.invalid/news/1.html", f"http://127.0.0.1:{closed}/x.html",
                          f"{site.base}/news/kgz-rus-trade.html", "--db", str(db), "--snapshots", str(snap))
    assert code == 0, err
    assert "DNS failure" in err or "robots.txt unreadable (DNS" in err
    assert "refused" in err
    assert f"{site.base}/news/kgz-rus-trade.html" in documents(db)


def test_failing_urls_are_tried_again_then_dropped(tmp_path, site, capsys):
    """A URL that fails (a redirect loop, a timeout) stays queued for the next run, for MAX_TRIES runs."""
    from etl.snapshots import MAX_TRIES

    db, snap = tmp_path / "store.duckdb", tmp_path / "snapshots"
    feed_only = tmp_path / "feed.toml"
    feed_only.write_text(f'[[outlet]]\nname = "Test"\ncountry = "KAZ"\nfeeds = ["{site.base}/feed.xml"]\n')
    for _ in range(MAX_TRIES + 1):
        code, err = run_fetch(capsys, str(feed_only), "--db", str(db), "--snapshots", str(snap), "--no-ingest")
        assert code == 0, err
    assert site.hits["/feed.xml"] == MAX_TRIES + 1  # asked each run, 304 after the first
    assert site.hits["/news/loop.html"] == MAX_TRIES
    assert site.hits["/news/missing.html"] == 1  # a 404 is remembered
    assert site.hits["/news/kgz-rus-trade.html"] == 1


def test_watch_runs_again_until_stopped(tmp_path, site, capsys, monkeypatch):
    import time as time_mod

    from etl.cli import main

    sleeps = []

    def fake_sleep(s):
        sleeps.append(s)
        if s >= 60 and len([x for x in sleeps if x >= 60]) >= 2:
            raise KeyboardInterrupt
    monkeypatch.setattr(time_mod, "sleep", fake_sleep)
    code = main(["fetch", f"{site.base}/news/kgz-rus-trade.html", "--db", str(tmp_path / "s.duckdb"),
                 "--delay", "0", "--quiet", "--watch", "15m"])
    err = capsys.readouterr().err
    assert code == 130, err
    assert err.count("fetch: 1 sources") == 2
    assert [s for s in sleeps if s >= 60] == [900, 900]
