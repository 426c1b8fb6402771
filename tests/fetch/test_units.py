"""The fetcher's parts on their own: canonical URLs, Retry-After, the per-host delay, the sources file."""
from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from etl import fetch, polite


@pytest.mark.parametrize("url, want", [
    ("https://24.kg/ekonomika/123_x/?utm_source=rss&utm_medium=feed", "https://24.kg/ekonomika/123_x/"),
    ("https://Example.KZ/news/1.html?fbclid=abc#top", "https://example.kz/news/1.html"),
    ("https://example.kz/news/1.html/amp", "https://example.kz/news/1.html"),
    ("https://example.kz/amp/news/1", "https://example.kz/news/1"),
    ("https://amp.example.kz/news/1", "https://example.kz/news/1"),
    ("https://example.kz/news/1?amp=1&id=7", "https://example.kz/news/1?id=7"),
    ("https://example.kz/news/1.amp.html", "https://example.kz/news/1.html"),
    ("https://example.kz/news/example-ampersand", "https://example.kz/news/example-ampersand"),
])
def test_canonical_url(url, want):
    assert fetch.canonical_url(url) == want


def test_retry_after():
    assert polite.retry_after_seconds("5") == 5
    assert polite.retry_after_seconds(None) is None
    assert polite.retry_after_seconds("soon") is None
    now = 1_700_000_000
    assert polite.retry_after_seconds("Tue, 14 Nov 2023 22:13:30 GMT", now=now) == pytest.approx(10, abs=1)


def test_parse_interval():
    assert fetch.parse_interval("900") == 900
    assert fetch.parse_interval("15m") == 900
    assert fetch.parse_interval("2h") == 7200
    with pytest.raises(ValueError):
        fetch.parse_interval("soon")


def test_one_request_at_a_time_per_host_with_the_delay(site):
    client = polite.PoliteClient(delay=0.3, timeout=2)
    start = time.monotonic()
    for p in ("/news/kgz-rus-trade.html", "/news/tjk-chn-trade.html", "/news/sitemap-only.html"):
        assert client.get(site.base + p).ok
    times = [t for t, _ in site.times]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 4  # robots.txt, then three pages
    assert all(g >= 0.28 for g in gaps), gaps
    assert time.monotonic() - start >= 0.9


def test_retry_after_longer_than_we_wait_is_a_failure(site):
    client = polite.PoliteClient(delay=0, timeout=2, max_wait=0.5)
    resp = client.get(site.base + "/news/flaky-429.html")  # asks for 1 s
    assert resp.status == 429 and "Retry-After" in resp.error


def test_the_shipped_sources_file():
    outlets = fetch.load_sources(fetch.SOURCES_FILE)
    assert len(outlets) >= 20
    countries = {row["code"] for row in csv.DictReader(open(Path(fetch.__file__).parent / "lexicon" / "countries.csv",
                                                            encoding="utf-8"))}
    assert {o.country for o in outlets} >= {"KAZ", "KGZ", "UZB", "TJK", "TKM", "RUS", "BLR", "AZE", "ARM"}
    assert {o.country for o in outlets} <= countries
    assert not any(o.confirmed for o in outlets)  # nothing was checked from this machine: see the file


def test_a_bad_sources_file_is_misuse(tmp_path, capsys):
    from etl.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text('[[outlet]]\nname = "x"\ncountry = "Kazakhstan"\nhome = "https://x.kz/"\n')
    assert main(["fetch", str(bad), "--db", str(tmp_path / "db.duckdb")]) == 2
    assert "ISO alpha-3" in capsys.readouterr().err
