"""`python -m etl fetch SOURCE...`: news from feeds, sitemaps and pages, politely, into dated snapshots
and the store.

A SOURCE is a page URL, an RSS/Atom feed URL, a sitemap URL (or sitemap index, gzipped or not), a
site's home page (its feeds, from `<link rel="alternate">`, and its sitemaps, from robots.txt, are
discovered), or a sources file (`etl/sources.toml` is shipped: outlets that write about Central Asia
in Russian, each with its country, feeds, sitemaps and article URL patterns).

The run, step by step:

1. discovery: each source is fetched (conditionally: a feed unchanged since the last run answers 304
   and yields nothing); feeds are read by feedparser, home pages by trafilatura's feed finder and
   robots.txt's Sitemap lines, sitemaps by lxml (their `<lastmod>` and news dates bound `--since`);
   every article URL found is made canonical (`canonical_url`: tracking parameters, fragments and AMP
   markers dropped, host lower-cased) and queued unless it was seen before;
2. fetching: the queue (with what an interrupted run left in it) is fetched by `etl.polite`, hosts in
   parallel, one request at a time per host; each answer goes to the snapshot folder with a manifest
   line (`etl.snapshots`); a page whose body or canonical URL (`<link rel="canonical">`: the AMP copy
   names its original) was seen already is skipped;
3. ingest (unless `--no-ingest`): each new page is read from its snapshot by `etl.readers.read_html`
   (trafilatura: text, title, date, canonical URL) in the ingest pipeline's workers, as it is fetched,
   with the page's canonical URL as its id and URL, and its outlet's country.

Failures are per URL (DNS, refused, timeout, 404/410, 5xx after retries, redirect loops, a body that
is not HTML, a truncated body, a page over the size limit) and are listed in the summary; the run goes
on."""
from __future__ import annotations

import gzip
import os
import queue
import re
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from etl import polite
from etl.readers import ReadProblem, ReadUnit
from etl.snapshots import SnapshotStore, State, iter_manifest, sha256, STATE

SOURCES_FILE = Path(__file__).resolve().parent / "sources.toml"
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS_PER_SOURCE = 50
MAX_HOST_THREADS = 8
_AMP_QUERY = {"amp", "amp_js_v", "amp_gsa", "usqp", "outputtype"}
_AMP_PATH = re.compile(r"(?:/amp/?$|/amp(?=/)|\.amp(?=\.html?$|$)|-amp(?=\.html?$))", re.I)


# ---------------------------------------------------------------- URLs


def canonical_url(url: str) -> str:
    """The URL a page is known by: tracking parameters (utm_*, fbclid, …), the fragment, AMP markers
    (`/amp/`, `?amp=1`, `amp.` hosts, `.amp.html`) and default ports dropped, the host lower-cased
    (courlan's strict normalisation, then the AMP rules)."""
    try:
        from courlan import normalize_url

        url = normalize_url(url.strip(), strict=True)
    except Exception:  # courlan refuses some odd URLs: keep them as they are
        url = url.strip()
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host.startswith("amp."):
        host = host[4:]
    path = _AMP_PATH.sub("", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _AMP_QUERY]
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


# ---------------------------------------------------------------- sources


@dataclass
class Outlet:
    name: str
    country: str | None
    home: str | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    patterns: list[re.Pattern] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    confirmed: bool = False

    def matches(self, url: str) -> bool:
        return not self.patterns or any(p.search(url) for p in self.patterns)

    def owns(self, url: str) -> bool:
        h = host_of(url)
        return any(h == d or h.endswith("." + d) for d in self.domains)


class SourcesError(Exception):
    """A sources file that cannot be used; the message names the file and the entry."""


def load_sources(path: str | Path) -> list[Outlet]:
    """The outlets of a sources file (TOML, `[[outlet]]` tables; see etl/sources.toml)."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise SourcesError(f"{path}: {e}") from None
    outlets = []
    for i, raw in enumerate(data.get("outlet", []), start=1):
        name = raw.get("name") or f"outlet {i}"
        if not isinstance(raw, dict) or not (raw.get("home") or raw.get("feeds") or raw.get("sitemaps")):
            raise SourcesError(f"{path}: [[outlet]] {name!r} has no home, feeds or sitemaps")
        country = raw.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{3}", country):
            raise SourcesError(f"{path}: [[outlet]] {name!r}: country must be ISO alpha-3, not {country!r}")
        try:
            patterns = [re.compile(p) for p in raw.get("patterns", [])]
        except re.error as e:
            raise SourcesError(f"{path}: [[outlet]] {name!r}: a pattern does not compile: {e}") from None
        urls = [u for u in [raw.get("home"), *raw.get("feeds", []), *raw.get("sitemaps", [])] if u]
        domains = sorted({h[4:] if h.startswith("www.") else h for h in map(host_of, urls)} |
                         set(raw.get("domains", [])))
        outlets.append(Outlet(name, country, raw.get("home"), list(raw.get("feeds", [])),
                              list(raw.get("sitemaps", [])), patterns, domains, bool(raw.get("confirmed", False))))
    return outlets


# ---------------------------------------------------------------- the report


@dataclass
class FetchReport:
    sources: int = 0
    discovered: int = 0
    already_seen: int = 0
    out_of_range: int = 0  # older than --since
    fetched: int = 0
    not_modified: int = 0
    resumed: int = 0
    requests: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    ingest: Any = None  # etl.ingest.Report when the run ingested
    started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def skip(self, url: str, why: str) -> None:
        with self._lock:
            self.skipped.append((url, why))

    def fail(self, url: str, why: str) -> None:
        with self._lock:
            self.failed.append((url, why))

    def add(self, name: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + n)

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        lines = [
            f"fetch: {self.sources} sources; {self.discovered} article URLs discovered "
            f"({self.already_seen} seen before, {self.out_of_range} before --since); "
            f"{self.fetched} pages fetched, {self.not_modified} not modified, {len(self.skipped)} skipped, "
            f"{len(self.failed)} failed; {self.requests} requests in {seconds:.1f} s"
            + (f"; {self.resumed} queued by an earlier run (interrupted, --max-pages, or failed)"
               if self.resumed else "")
        ]
        if self.skipped:
            lines.append("skipped:")
            lines += [f"  {url}: {why}" for url, why in self.skipped]
        if self.failed:
            lines.append("failed:")
            lines += [f"  {url}: {why}" for url, why in self.failed]
        if self.ingest is not None:
            lines.append(self.ingest.summary())
        return "\n".join(lines)


# ---------------------------------------------------------------- the fetcher


@dataclass
class Target:
    """An article URL to fetch, with what discovery learnt about it."""

    url: str
    source: str
    outlet_country: str | None = None
    published: str | None = None
    title: str | None = None


def _iso_day(value: Any) -> str | None:
    """YYYY-MM-DD of a feed's time tuple, a W3C datetime or a date string, else None."""
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    text = str(value).strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    return None


class Fetcher:
    def __init__(self, client: polite.PoliteClient, snapshots: SnapshotStore, state: State, report: FetchReport,
                 *, outlets: list[Outlet], since: date | None = None, max_pages: int | None = None) -> None:
        self.client, self.snapshots, self.state, self.report = client, snapshots, state, report
        self.outlets, self.since, self.max_pages = outlets, since, max_pages
        self._taken = 0
        self._taken_lock = threading.Lock()
        self._queued: set[str] = set()
        self._units: queue.Queue[ReadUnit | None] = queue.Queue()  # new pages' work units, None last
        self.stop = threading.Event()  # set when the run is stopped (Ctrl-C, SIGTERM): no new requests

    # ------------------------------------------------------------ fetching with a manifest line

    def get(self, url: str, source: str, kind: str, *, etag: str | None = None,
            last_modified: str | None = None, extra: dict | None = None) -> tuple[polite.Response, dict | None]:
        resp = self.client.get(url, etag=etag, last_modified=last_modified, kind=kind)
        entry = None
        for logged in resp.trail:
            r = logged.response
            e = self.snapshots.save(
                url=r.url, final_url=r.final_url, fetched_at=r.fetched_at, status=r.status,
                content_type=r.content_type, body=r.body, source=source, kind=logged.kind,
                error=r.error, note=logged.note or r.note,
                extra={k: r.headers[k] for k in ("etag", "last-modified") if k in r.headers} or None)
            if r is resp:
                entry = e
        if entry is None:  # refused before any request (robots.txt): still a line in the manifest
            entry = self.snapshots.save(url=url, final_url=resp.final_url, fetched_at=resp.fetched_at, status=None,
                                        content_type="", body=b"", source=source, kind=kind, note=resp.note,
                                        error=resp.error)
        if extra and entry.get("file"):
            entry.update(extra)
        return resp, entry

    def outlet_of(self, url: str) -> Outlet | None:
        return next((o for o in self.outlets if o.owns(url)), None)

    # ------------------------------------------------------------ discovery

    def discover(self, sources: list[tuple[str, Outlet | None]]) -> list[Target]:
        """Article targets from every source (hosts in parallel), each URL once, queued in the state."""
        found: list[Target] = []
        lock = threading.Lock()

        def one(item: tuple[str, Outlet | None]) -> None:
            url, outlet = item
            if self.stop.is_set():
                return
            targets = self._discover_one(url, outlet)
            with lock:
                found.extend(targets)

        with ThreadPoolExecutor(max_workers=min(MAX_HOST_THREADS, max(1, len(sources)))) as pool:
            list(pool.map(one, sources))
        return found

    def _discover_one(self, url: str, outlet: Outlet | None) -> list[Target]:
        source = outlet.name if outlet else url
        etag, last_modified, _ = self.state.validators(url)
        known_page = self.state.canonical_of(canonical_url(url))
        if known_page:  # a page given as a source again: ask whether it changed
            seen = self.state.page(known_page)
            if seen:
                etag, last_modified = seen.etag, seen.last_modified
        resp, entry = self.get(url, source, "source", etag=etag, last_modified=last_modified)
        if resp.not_modified:
            self.report.add("not_modified")
            return []
        if not self._usable(resp, url):
            return []
        body = resp.body
        kind = classify(body, resp.media_type, resp.final_url)
        if kind != "page":
            self.state.remember_validators(url, resp.headers.get("etag"), resp.headers.get("last-modified"),
                                           sha256(body))
        if kind == "feed":
            return self._filtered(read_feed(body, resp.final_url), source, outlet)
        if kind == "sitemap":
            return self._filtered(self._walk_sitemaps([(url, body, resp.final_url)], source), source, outlet)
        is_home = urlsplit(resp.final_url).path in ("", "/") or (outlet is not None and url == outlet.home)
        if kind == "page" and is_home:
            return self._filtered(self._from_home(resp, source), source, outlet)
        if kind == "page":  # an article given directly: take it as fetched
            target = Target(canonical_url(url), source, outlet.country if outlet else None)
            self.report.add("discovered")
            self._take_page(target, resp, entry)
            return []
        self.report.skip(url, f"not a page, feed or sitemap ({resp.media_type or 'no content type'})")
        return []

    def _usable(self, resp: polite.Response, url: str) -> bool:
        if resp.note:
            self.report.skip(url, resp.note)
            return False
        if resp.error:
            self.report.fail(url, resp.error)
            return False
        if resp.status is None or not 200 <= resp.status < 300:
            self.report.fail(url, f"HTTP {resp.status}")
            return False
        if not resp.body:
            self.report.fail(url, "empty body")
            return False
        return True

    def _from_home(self, resp: polite.Response, source: str) -> list[Target]:
        from trafilatura.feeds import FeedParameters, determine_feed
        from trafilatura.sitemaps import extract_robots_sitemaps

        base = f"{urlsplit(resp.final_url).scheme}://{urlsplit(resp.final_url).netloc}"
        html = _decode_loosely(resp.body)
        feeds = determine_feed(html, FeedParameters(base, host_of(base), resp.final_url))
        sitemaps = extract_robots_sitemaps(self.client.robots_text(resp.final_url), base)
        if not feeds and not sitemaps:
            self.report.skip(resp.url, "a home page with no feed (link rel=alternate) and no sitemap in robots.txt")
            return []
        out: list[Target] = []
        for feed in feeds:
            out += self._from_feed_url(feed, source)
        sm_bodies = []
        for sm in sitemaps:
            got = self._get_index(sm, source, "sitemap")
            if got is not None:
                sm_bodies.append((sm, got[0], got[1]))
        out += self._walk_sitemaps(sm_bodies, source)
        return out

    def _get_index(self, url: str, source: str, kind: str) -> tuple[bytes, str] | None:
        """A feed's or sitemap's body, unless it is unchanged since the last run (304 / same bytes)."""
        etag, last_modified, old_sha = self.state.validators(url)
        resp, _ = self.get(url, source, kind, etag=etag, last_modified=last_modified)
        if resp.not_modified:
            self.report.add("not_modified")
            return None
        if not self._usable(resp, url):
            return None
        digest = sha256(resp.body)
        self.state.remember_validators(url, resp.headers.get("etag"), resp.headers.get("last-modified"), digest)
        return resp.body, resp.final_url

    def _from_feed_url(self, url: str, source: str) -> list[Target]:
        got = self._get_index(url, source, "feed")
        return read_feed(got[0], got[1]) if got else []

    def _walk_sitemaps(self, first: list[tuple[str, bytes, str]], source: str) -> list[Target]:
        out: list[Target] = []
        todo = list(first)
        seen = {u for u, _, _ in first}
        n = 0
        while todo and n < MAX_SITEMAPS_PER_SOURCE:
            url, body, final = todo.pop(0)
            n += 1
            children, pages = read_sitemap(body, final)
            out += pages
            for child, lastmod in children:
                if child in seen:
                    continue
                seen.add(child)
                if self.since and lastmod and lastmod < self.since.isoformat():
                    continue  # a part of the site not changed since --since
                got = self._get_index(child, source, "sitemap")
                if got is not None:
                    todo.append((child, got[0], got[1]))
        return out

    def _filtered(self, found: list[Target], source: str, outlet: Outlet | None) -> list[Target]:
        out = []
        for t in found:
            o = outlet or self.outlet_of(t.url)
            if o is not None and not o.matches(t.url):
                continue  # not an article of the outlet (a tag page, a video, another language)
            self.report.add("discovered")
            if self.since and t.published and t.published < self.since.isoformat():
                self.report.add("out_of_range")
                continue
            canon = canonical_url(t.url)
            if self.state.canonical_of(canon) or self.state.canonical_of(t.url):
                self.report.add("already_seen")
                continue
            with self._taken_lock:
                if canon in self._queued:
                    continue
                self._queued.add(canon)
            t = Target(t.url, source, o.country if o else None, t.published, t.title)
            self.state.enqueue(t.url, t.source, t.outlet_country, t.published, t.title)
            out.append(t)
        return out

    # ------------------------------------------------------------ pages

    def fetch_pages(self, targets: list[Target]) -> None:
        """Fetch every target (hosts in parallel, each host's pages one by one), putting each new page's
        work unit on `self._units`; None is put last."""
        units = self._units
        by_host: dict[str, list[Target]] = {}
        for t in targets:
            by_host.setdefault(host_of(t.url), []).append(t)

        def run_host(items: list[Target]) -> None:
            for t in items:
                if self.stop.is_set():
                    return
                with self._taken_lock:
                    if self.max_pages is not None and self._taken >= self.max_pages:
                        return
                    self._taken += 1
                try:
                    self._fetch_one(t)
                except Exception as e:  # a bug must cost one URL, never the run
                    self.report.fail(t.url, f"internal error: {type(e).__name__}: {e}")

        try:
            with ThreadPoolExecutor(max_workers=min(MAX_HOST_THREADS, max(1, len(by_host)))) as pool:
                list(pool.map(run_host, by_host.values()))
        finally:
            units.put(None)

    def _fetch_one(self, t: Target) -> None:
        canon = canonical_url(t.url)
        known = self.state.canonical_of(canon)
        seen = self.state.page(known) if known else None
        resp, entry = self.get(t.url, t.source, "page", etag=seen.etag if seen else None,
                               last_modified=seen.last_modified if seen else None)
        if resp.not_modified:
            self.report.add("not_modified")
            self.state.dequeue(t.url)
            return
        self._take_page(Target(canon, t.source, t.outlet_country, t.published, t.title), resp, entry)
        self.state.failed(t.url)  # a no-op unless it is still queued, i.e. it failed

    def _take_page(self, t: Target, resp: polite.Response, entry: dict | None) -> None:
        url = t.url
        if resp.status in (404, 410) and resp.error is None:
            self.report.fail(url, f"HTTP {resp.status} ({'gone' if resp.status == 410 else 'not found'})")
            self.state.remember_page(url, etag=None, last_modified=None, sha256=None, snapshot=None, doc_id=None,
                                     status=resp.status, fetched_at=resp.fetched_at, source=t.source,
                                     outlet_country=t.outlet_country, published=None, title=None)
            return
        if not self._usable(resp, url):
            if resp.note:  # disallowed or too big: a decision, not a failure; not asked again
                self.state.dequeue(url)
            return
        if resp.media_type and resp.media_type not in HTML_TYPES:
            self.report.skip(url, f"not HTML: {resp.media_type}")
            self.state.dequeue(url)
            return
        if not resp.media_type and not _looks_like_html(resp.body):
            self.report.skip(url, "not HTML: no content type, and the body is not a page")
            self.state.dequeue(url)
            return
        self.report.add("fetched")
        digest = sha256(resp.body)
        aliases = tuple({url, resp.url, resp.final_url, canonical_url(resp.final_url)} - {None})
        same = self.state.url_with_sha(digest)
        if same is not None:
            if same == url:
                self.report.add("not_modified")
            else:
                self.report.skip(url, f"same content as {same}")
            for a in aliases:
                if a != same:
                    self.state.add_alias(a, same)
            return
        canon = page_canonical(resp.body, resp.final_url) or url
        if canon != url:
            owner = self.state.canonical_of(canon)
            if owner is not None and owner != url:
                self.report.skip(url, f"a copy of {owner} (its canonical URL)")
                for a in aliases:
                    self.state.add_alias(a, owner)
                return
            aliases = tuple(set(aliases) | {url})
        rel = entry.get("file") if entry else None
        self.state.remember_page(canon, etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
                                 sha256=digest, snapshot=rel, doc_id=canon, status=resp.status,
                                 fetched_at=resp.fetched_at, source=t.source, outlet_country=t.outlet_country,
                                 published=t.published, title=t.title, aliases=aliases)
        if rel:
            self.snapshots.save(url=resp.url, final_url=resp.final_url, fetched_at=resp.fetched_at,
                                status=resp.status, content_type=resp.content_type, body=b"", source=t.source,
                                kind="document", extra={"doc_id": canon, "file": rel, "sha256": digest,
                                                        "outlet_country": t.outlet_country,
                                                        "published": t.published, "title": t.title})
            self._units.put(page_unit(self.snapshots.path_of(rel), rel, canon, t.outlet_country, t.published,
                                      t.title))


def page_unit(path: Path, rel: str, doc_id: str, country: str | None, published: str | None,
              title: str | None) -> ReadUnit:
    """The ingest work unit of a snapshot: read as HTML, known by its canonical URL."""
    return ReadUnit(str(path), "html", meta=(("id", doc_id), ("url", doc_id), ("outlet_country", country),
                                             ("published", published), ("title", title),
                                             ("source", f"snapshot:{rel}")))


# ---------------------------------------------------------------- reading feeds, sitemaps, pages


def classify(body: bytes, media_type: str, url: str) -> str:
    """feed | sitemap | page | other, from the body first (servers mislabel feeds), then the type."""
    head = body[:2048].lstrip().lower()
    if body[:2] == b"\x1f\x8b":
        return "sitemap"
    if head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed") \
            or head.startswith(b"<urlset") or head.startswith(b"<sitemapindex") or head.startswith(b"<rdf"):
        if b"<urlset" in head or b"<sitemapindex" in head:
            return "sitemap"
        if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
            return "feed"
        return "sitemap" if "sitemap" in url.lower() else "feed"
    if media_type in HTML_TYPES or _looks_like_html(body):
        return "page"
    if media_type == "text/plain" and head.startswith(b"http"):
        return "sitemap"  # a sitemap of one URL per line
    if media_type in ("application/rss+xml", "application/atom+xml"):
        return "feed"
    return "other"


def _looks_like_html(body: bytes) -> bool:
    head = body[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def _decode_loosely(body: bytes) -> str:
    from trafilatura.utils import decode_file

    return decode_file(body)


def read_feed(body: bytes, base: str) -> list[Target]:
    """The entries of an RSS/Atom feed (feedparser): link, date and title."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base})
    out = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            continue
        link = urljoin(base, link)
        if not link.startswith(("http://", "https://")):
            continue
        day = _iso_day(entry.get("published_parsed") or entry.get("updated_parsed"))
        out.append(Target(link, base, None, day, (entry.get("title") or "").strip() or None))
    return out


def read_sitemap(body: bytes, base: str) -> tuple[list[tuple[str, str | None]], list[Target]]:
    """(child sitemaps with their lastmod, pages with their date) of a sitemap or sitemap index.

    Parsed with lxml (trafilatura's sitemap module drops `<lastmod>`, which `--since` needs); gzip and
    plain-text sitemaps (one URL per line) are read too."""
    from lxml import etree

    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=__import__("io").BytesIO(body)) as g:
                body = g.read(polite.DEFAULT_MAX_BYTES * 10)
        except (OSError, EOFError):
            return [], []
    if not body.lstrip().startswith(b"<"):
        lines = body.decode("utf-8", "replace").split()
        return [], [Target(u, base) for u in lines if u.startswith(("http://", "https://"))]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []

    def local(el) -> str:
        return etree.QName(el).localname if isinstance(el.tag, str) else ""

    def child_text(el, *names) -> str | None:
        for c in el.iter():
            if local(c) in names and c.text and c.text.strip():
                return c.text.strip()
        return None

    children: list[tuple[str, str | None]] = []
    pages: list[Target] = []
    for el in root:
        kind = local(el)
        loc = child_text(el, "loc")
        if not loc:
            continue
        loc = urljoin(base, loc)
        if kind == "sitemap":
            children.append((loc, _iso_day(child_text(el, "lastmod"))))
        elif kind == "url":
            day = _iso_day(child_text(el, "publication_date") or child_text(el, "lastmod"))
            pages.append(Target(loc, base, None, day, child_text(el, "title")))
    children.sort(key=lambda c: c[1] or "", reverse=True)  # newest parts of the site first
    return children, pages


def page_canonical(body: bytes, url: str) -> str | None:
    """The canonical URL a page declares (`<link rel="canonical">`, else `og:url`), made canonical."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(body[:512 * 1024])  # the head is at the top
    except Exception:
        return None
    for xp in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xp)
        if found and str(found[0]).strip():
            target = urljoin(url, str(found[0]).strip())
            if target.startswith(("http://", "https://")):
                return canonical_url(target)
    return None


# ---------------------------------------------------------------- the command


def parse_interval(text: str) -> float:
    """Seconds of `30`, `90s`, `15m`, `2h`, `1d`."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not m:
        raise ValueError(f"not an interval: {text!r} (e.g. 900, 15m, 2h)")
    return float(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m[2]]


def resolve_sources(args: list[str], default_outlets: list[Outlet]) -> tuple[list[tuple[str, Outlet | None]], list[Outlet]]:
    """(URL, outlet) pairs to discover from, and every outlet known (for countries and patterns)."""
    pairs: list[tuple[str, Outlet | None]] = []
    known = list(default_outlets)
    for arg in args:
        if not re.match(r"https?://", arg):
            outlets = load_sources(arg)
            known = outlets + known
            for o in outlets:
                urls = o.feeds + o.sitemaps or [o.home]
                pairs += [(u, o) for u in urls if u]
        else:
            pairs.append((arg, None))
    resolved = []
    for url, outlet in pairs:
        if outlet is None:
            outlet = next((o for o in known if o.owns(url)), None)
        resolved.append((url, outlet))
    return resolved, known


def run_fetch(sources: list[str], *, db: str, snapshots_dir: str | Path, since: date | None = None,
              max_pages: int | None = None, ingest: bool = True, client: polite.PoliteClient,
              workers: int = 1, quiet: bool = False) -> FetchReport:
    """One fetch run (see the module's docstring)."""
    report = FetchReport()
    try:
        default_outlets = load_sources(SOURCES_FILE)
    except SourcesError:
        default_outlets = []
    pairs, known = resolve_sources(sources, default_outlets)
    report.sources = len(pairs)
    root = Path(snapshots_dir)
    store = SnapshotStore(root)
    state = State(root / STATE)
    fetcher = Fetcher(client, store, state, report, outlets=known, since=since, max_pages=max_pages)
    units = fetcher._units
    given: list[ReadUnit] = []
    # what an interrupted run fetched but did not ingest, and what it discovered but did not fetch
    for row in state.not_ingested():
        given.append(page_unit(store.path_of(row["snapshot"]), row["snapshot"], row["doc_id"],
                               row["outlet_country"], row["published"], row["title"]))
    leftovers = [Target(r["url"], r["source"] or r["url"], r["outlet_country"], r["published"], r["title"])
                 for r in state.queued()]
    report.resumed = len(leftovers)
    fetcher._queued.update(canonical_url(t.url) for t in leftovers)

    def work() -> None:
        try:
            targets = leftovers + fetcher.discover(pairs)
            fetcher.fetch_pages(targets)
        except BaseException:
            units.put(None)
            raise

    thread = threading.Thread(target=work, name="fetch", daemon=True)
    thread.start()
    produced: list[str] = []

    def stream(skip: Callable[[ReadProblem], None]) -> Iterator[ReadUnit]:
        for unit in given:
            produced.append(unit.path)
            yield unit
        while True:
            unit = units.get()
            if unit is None:
                return
            produced.append(unit.path)
            yield unit

    try:
        if ingest:
            from etl import ingest as ingest_mod

            rep = ingest_mod.ingest_units(stream, db, command="fetch", workers=workers, quiet=quiet)
            report.ingest = rep
            if rep.stopped is None:
                # pages the store refused (no text in them, ...) too: another try would refuse them again,
                # and their snapshots stay for `--from-snapshots`
                state.mark_ingested([os.path.relpath(u, root) for u in produced])
        else:
            for _ in stream(lambda p: None):
                pass
    finally:
        fetcher.stop.set()  # stopped early (Ctrl-C, SIGTERM, the store full): send no new request
        thread.join(timeout=3 * client.timeout + 5)
        report.requests = client.requests
        state.close()
    return report


def reingest_snapshots(folder: str | Path, *, db: str, workers: int = 1, quiet: bool = False):
    """Ingest the pages of a snapshot folder (or one day of it) again, from the bytes stored, without the
    network: each with the id, URL and outlet country it was fetched with (the newest copy of each)."""
    from etl import ingest as ingest_mod

    latest: dict[str, dict] = {}
    for entry in iter_manifest(folder):
        if entry.get("kind") == "document" and entry.get("_path") and entry.get("doc_id"):
            latest[entry["doc_id"]] = entry
    base = Path(folder)
    base = base if (base / STATE).exists() or not (base / "manifest.jsonl").exists() else base.parent

    def units(skip: Callable[[ReadProblem], None]) -> Iterator[ReadUnit]:
        for doc_id, e in latest.items():
            yield page_unit(Path(e["_path"]), e["file"], doc_id, e.get("outlet_country"), e.get("published"),
                            e.get("title"))

    return ingest_mod.ingest_units(units, db, command="fetch --from-snapshots", workers=workers, quiet=quiet)


def run_command(args: Any) -> int:
    """Entry point from etl/cli.py. Exit status: 0 the run finished (per-URL failures are listed, not
    fatal), 1 nothing could be fetched from any source or a page could not be ingested, 2 misuse,
    130 / 143 stopped by Ctrl-C / SIGTERM."""
    from etl.ingest import _quiet_libraries

    _quiet_libraries()
    snapshots_dir = Path(args.snapshots) if args.snapshots else Path(args.db).parent / "snapshots"
    if args.list_sources:
        for o in load_sources(SOURCES_FILE):
            flag = "" if o.confirmed else "  (addresses unconfirmed)"
            print(f"{o.country or '-':4} {o.name:32} {', '.join(o.feeds + o.sitemaps) or o.home}{flag}")
        return 0
    if args.from_snapshots:
        rep = reingest_snapshots(args.from_snapshots, db=args.db, workers=args.workers, quiet=args.quiet)
        print(rep.summary(), file=sys.stderr)
        return rep.exit_status or (1 if rep.skipped else 0)
    if not args.sources:
        print("fetch: give at least one SOURCE (a URL or a sources file such as etl/sources.toml)", file=sys.stderr)
        return 2
    try:
        since = date.fromisoformat(args.since) if args.since else None
        interval = parse_interval(args.watch) if args.watch else None
        for s in args.sources:
            if not re.match(r"https?://", s):
                load_sources(s)
    except (ValueError, SourcesError) as e:
        print(f"fetch: {e}", file=sys.stderr)
        return 2
    client = polite.PoliteClient(delay=args.delay, timeout=args.timeout, max_bytes=args.max_page_bytes,
                                 retries=args.retries, backoff=args.backoff)
    status = 0
    while True:
        report = run_fetch(args.sources, db=args.db, snapshots_dir=snapshots_dir, since=since,
                           max_pages=args.max_pages, ingest=not args.no_ingest, client=client,
                           workers=args.workers, quiet=args.quiet)
        print(report.summary(), file=sys.stderr)
        status = _status(report)
        if report.ingest is not None and report.ingest.stopped:
            return report.ingest.exit_status
        if interval is None:
            return status
        print(f"fetch: next run at {datetime.now(timezone.utc).timestamp() + interval:.0f} "
              f"(in {interval:g} s); Ctrl-C to stop", file=sys.stderr)
        time.sleep(interval)


def _status(report: FetchReport) -> int:
    if report.ingest is not None and report.ingest.skipped:
        return 1
    nothing = report.fetched == 0 and report.not_modified == 0 and report.discovered == 0
    return 1 if nothing and (report.failed or report.skipped) else 0
