"""A polite HTTP client for `python -m etl fetch`: one request at a time per host, robots.txt obeyed.

What it promises a site:

* robots.txt is read once per host and run (`urllib.robotparser`), and a disallowed URL is never
  requested; its `Crawl-delay` lengthens our delay. A robots.txt answered with 401/403 disallows the
  whole site, one that is missing (other 4xx) allows it, and one that cannot be read (5xx, network)
  disallows the site for this run, as RFC 9309 asks.
* one request at a time per host (a lock per host), `delay` seconds apart (default 1 s);
* a User-Agent that names the project and says where to read about it;
* timeouts on connecting and on every read, and a deadline for the whole answer;
* retries on 429 and 5xx with exponential backoff, waiting what `Retry-After` asks (seconds or an
  HTTP date) when it asks for no more than `max_wait`;
* conditional requests: `If-None-Match` / `If-Modified-Since` from the ETag and Last-Modified seen
  last time, so an unchanged page costs a 304 and no body;
* a body larger than `max_bytes` is not read past the limit (nor at all when Content-Length says so):
  the answer carries a note instead.

Redirects are followed by hand (each hop checked against robots.txt and the host's delay), at most
`MAX_REDIRECTS`, and a loop is reported as one. Nothing here raises for a URL's failure: every answer
is a `Response` whose `error` says what went wrong (DNS, refused, timeout, truncated, ...)."""
from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3 import exceptions as u3

from etl.version import RELEASE

USER_AGENT = (f"bilateral-indicators/{RELEASE} (+news fetcher of the bilateral-indicators project; "
              "polite: robots.txt, one request at a time per host)")
MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_DELAY_S = 1.0
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_S = 2.0
DEFAULT_MAX_WAIT_S = 120.0
_BLOCK = 64 * 1024


@dataclass
class Response:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int | None = None  # None: no HTTP answer at all (see error)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    error: str | None = None  # why there is no usable answer
    note: str | None = None  # a remark that is not a failure (too big, disallowed)
    fetched_at: str = ""
    attempts: int = 0
    # every answer this call received, robots.txt, retries and redirects included, for the manifest
    trail: list["Logged"] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.note is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


class _Host:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next_at = 0.0
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_note: str | None = None
        self.crawl_delay = 0.0


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _describe(e: Exception) -> str:
    """A failure of the network in a few plain words, naming its kind first."""
    if isinstance(e, u3.NameResolutionError):
        return "DNS failure: the host name does not resolve"
    if isinstance(e, (u3.ConnectTimeoutError,)):
        return "timeout while connecting"
    if isinstance(e, (u3.ReadTimeoutError, TimeoutError)):
        return "timeout while waiting for the answer"
    if isinstance(e, u3.NewConnectionError):
        text = str(e).lower()
        if "refused" in text:
            return "connection refused"
        if "name or service" in text or "resolve" in text or "nodename" in text:
            return "DNS failure: the host name does not resolve"
        return f"cannot connect: {e}"
    if isinstance(e, (u3.ProtocolError, u3.IncompleteRead)):
        text = str(e)
        if "IncompleteRead" in text or isinstance(e, u3.IncompleteRead):
            return f"truncated: the connection closed before the whole body came ({text[:120]})"
        return f"connection broken: {text[:160]}"
    if isinstance(e, u3.SSLError):
        return f"TLS error: {str(e)[:160]}"
    if isinstance(e, u3.LocationValueError | u3.LocationParseError | u3.URLSchemeUnknown):
        return f"not a fetchable URL: {e}"
    return f"{type(e).__name__}: {str(e)[:160]}"


class PoliteClient:
    """Fetches URLs politely; thread-safe (one request at a time per host, hosts in parallel)."""

    def __init__(self, *, delay: float = DEFAULT_DELAY_S, timeout: float = DEFAULT_TIMEOUT_S,
                 max_bytes: int = DEFAULT_MAX_BYTES, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF_S, max_wait: float = DEFAULT_MAX_WAIT_S,
                 user_agent: str = USER_AGENT, obey_robots: bool = True) -> None:
        self.delay, self.timeout, self.max_bytes = delay, timeout, max_bytes
        self.retries, self.backoff, self.max_wait = retries, backoff, max_wait
        self.user_agent, self.obey_robots = user_agent, obey_robots
        self.pool = urllib3.PoolManager(
            num_pools=32, maxsize=2, retries=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
        )
        # given with every request: urllib3 drops a pool's default headers when a request has its own
        self.headers = {"User-Agent": user_agent, "Accept-Language": "ru, en;q=0.5"}
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.requests = 0  # every request sent, robots.txt and retries included

    # ------------------------------------------------------------ hosts, delay and robots.txt

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host()
            return host

    def _wait_turn(self, host: _Host) -> None:
        pause = host.next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def _done(self, host: _Host, extra: float = 0.0) -> None:
        host.next_at = time.monotonic() + max(self.delay, host.crawl_delay) + extra

    def allowed(self, url: str, trail: list | None = None) -> tuple[bool, str | None]:
        """Whether robots.txt lets us fetch `url`, and why not."""
        if not self.obey_robots:
            return True, None
        host = self._host(url)
        with host.lock:
            if host.robots is None:
                self._load_robots(url, host, [] if trail is None else trail)
        assert host.robots is not None
        if host.robots.can_fetch(self.user_agent, url):
            return True, None
        return False, host.robots_note or "disallowed by robots.txt"

    def _load_robots(self, url: str, host: _Host, trail: list) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        resp = self._request(robots_url, host, {}, kind="robots", trail=trail)
        if resp.error is not None or resp.status is None:
            parser.disallow_all = True
            host.robots_note = f"robots.txt unreadable ({resp.error}): the site is not fetched this run"
        elif resp.status in (401, 403):
            parser.disallow_all = True
            host.robots_note = f"robots.txt answered {resp.status}: the whole site is disallowed"
        elif 400 <= resp.status < 500:
            parser.allow_all = True
        elif resp.status >= 500:
            parser.disallow_all = True
            host.robots_note = f"robots.txt answered {resp.status}: the site is not fetched this run"
        else:
            parser.parse(resp.body.decode("utf-8", "replace").splitlines())
            delay = parser.crawl_delay(self.user_agent)
            if delay:
                host.crawl_delay = min(float(delay), self.max_wait)
        host.robots = parser
        host.robots_text = resp.body if resp.status == 200 else b""  # type: ignore[attr-defined]

    def robots_text(self, url: str) -> str:
        """The body of the host's robots.txt (read by `allowed`), for its Sitemap lines."""
        self.allowed(url)
        return getattr(self._host(url), "robots_text", b"").decode("utf-8", "replace")

    # ------------------------------------------------------------ fetching

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            kind: str = "page") -> Response:
        """GET `url` with redirects, robots.txt, the per-host delay, retries and the size limit."""
        seen = {url}
        trail: list[Logged] = []
        current = url
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            ok, why = self.allowed(current, trail)
            if not ok:
                resp = Response(url, current, note=why, fetched_at=_now_iso())
                resp.trail = trail
                return resp
            host = self._host(current)
            with host.lock:
                resp = self._request(current, host, conditional, kind=kind, trail=trail)
            resp.url = url
            resp.trail = trail
            if resp.status in (301, 302, 303, 307, 308) and resp.error is None:
                location = resp.headers.get("location")
                if not location:
                    resp.error = f"redirect ({resp.status}) without a Location"
                    return resp
                nxt = urljoin(current, location)
                if nxt in seen:
                    resp.error = f"redirect loop ({current} -> {nxt})"
                    return resp
                seen.add(nxt)
                current = nxt
                conditional = {}  # validators belong to the URL that gave them
                continue
            return resp
        return Response(url, current, error=f"more than {MAX_REDIRECTS} redirects", fetched_at=_now_iso(),
                        trail=trail)

    def _request(self, url: str, host: _Host, headers: dict[str, str], *, kind: str, trail: list) -> Response:
        """One URL, with retries; the caller holds the host's lock (robots.txt: inside it too)."""
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn(host)
            resp = self._once(url, headers)
            resp.attempts = attempt
            wait = 0.0
            if resp.status in RETRY_STATUSES and attempt <= self.retries:
                asked = retry_after_seconds(resp.headers.get("retry-after"))
                wait = self.backoff * (2 ** (attempt - 1)) if asked is None else asked
                if wait <= self.max_wait:
                    trail.append(Logged(resp, kind, f"retrying in {wait:g} s"))
                    self._done(host, extra=wait)
                    continue
                resp.note = f"Retry-After asks {wait:g} s, more than the {self.max_wait:g} s we wait"
            self._done(host)
            trail.append(Logged(resp, kind, None))
            if resp.status in RETRY_STATUSES and resp.error is None:
                resp.error = f"HTTP {resp.status} after {attempt} attempts" + (f" ({resp.note})" if resp.note else "")
            return resp

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        resp = Response(url, url, fetched_at=_now_iso())
        self.requests += 1
        deadline = time.monotonic() + 3 * self.timeout
        try:
            r = self.pool.request("GET", url, headers={**self.headers, **headers}, redirect=False, preload_content=False,
                                  retries=False)
        except Exception as e:  # urllib3's errors, and anything a broken URL raises
            resp.error = _describe(e)
            return resp
        try:
            resp.status = r.status
            resp.headers = {k.lower(): v for k, v in r.headers.items()}
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                resp.note = f"over the size limit: {int(declared):,} bytes > {self.max_bytes:,} (not read)"
                return resp
            chunks, size = [], 0
            for chunk in r.stream(_BLOCK):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    resp.note = f"over the size limit: more than {self.max_bytes:,} bytes (reading stopped)"
                    return resp
                if time.monotonic() > deadline:
                    resp.error = f"timeout: the answer took more than {3 * self.timeout:g} s"
                    return resp
            resp.body = b"".join(chunks)
        except Exception as e:
            resp.error = _describe(e)
            resp.body = b""
        finally:
            if resp.error is None and resp.note is None:
                r.release_conn()
            else:
                r.close()  # the rest of a refused or broken body is never read
        return resp


@dataclass
class Logged:
    """One answer received (or not), as the manifest records it."""

    response: Response
    kind: str
    note: str | None  # a remark on this answer ("retrying in 2 s"); the response's own note otherwise
