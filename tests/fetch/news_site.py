"""A small news site served on 127.0.0.1 by the standard library, for the fetch tests.

Every page is written for these tests. The site misbehaves on purpose: robots.txt disallows /private/,
one page answers 429 (Retry-After: 1) once, another 500 once, one is missing, one redirects in a loop,
one answers too late, one is 20 MB, one is a PDF, one is cut short, one is in Windows-1251 (declared
only in a meta tag), one in Windows-1251 under a header that says UTF-8; the feed answers 304 to its
ETag; the sitemap lists an AMP copy of a feed article and an article from 2020."""
from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLES = {
    "/news/kaz-uzb-trade.html": (
        "Казахстан и Узбекистан нарастили торговлю",
        "2025-03-10",
        "Товарооборот между Казахстаном и Узбекистаном в 2024 году достиг 4,4 млрд долларов, сообщили в "
        "министерстве торговли. Стороны намерены довести его до 10 млрд долларов к 2030 году.",
    ),
    "/news/kgz-rus-trade.html": (
        "Киргизия и Россия обсудили торговлю",
        "2025-03-11",
        "Товарооборот между Кыргызстаном и Россией в 2024 году превысил 3 млрд долларов, заявил министр "
        "экономики на встрече в Бишкеке.",
    ),
    "/news/tjk-chn-trade.html": (
        "Таджикистан и Китай",
        "2025-03-12",
        "Товарооборот между Таджикистаном и Китаем за 2024 год составил 2,1 млрд долларов, сообщило "
        "агентство по статистике.",
    ),
    "/news/flaky-429.html": (
        "Туркменистан и Турция",
        "2025-03-13",
        "Товарооборот между Туркменистаном и Турцией в 2024 году составил 2,5 млрд долларов, сообщили в "
        "правительстве.",
    ),
    "/news/flaky-500.html": (
        "Азербайджан и Грузия",
        "2025-03-14",
        "Товарооборот между Азербайджаном и Грузией в 2024 году вырос до 1,2 млрд долларов, сообщил "
        "таможенный комитет.",
    ),
    "/news/sitemap-only.html": (
        "Армения и Иран",
        "2025-03-15",
        "Товарооборот между Арменией и Ираном в 2024 году составил 700 млн долларов, сообщил министр "
        "экономики Армении.",
    ),
    "/news/old-2020.html": (
        "Архив: Беларусь и Казахстан",
        "2020-01-05",
        "Товарооборот между Беларусью и Казахстаном в 2019 году составил 900 млн долларов.",
    ),
    "/private/secret.html": ("Закрытая страница", "2025-03-10", "Эту страницу нельзя загружать роботам."),
}
CP1251 = ("/news/cp1251-meta.html", "Узбекистан и Россия: торговля", "2025-03-16",
          "Товарооборот между Узбекистаном и Россией в 2024 году составил 11 млрд долларов, сообщили в "
          "Ташкенте.")
CP1251_WRONG = ("/news/cp1251-wrong-header.html", "Казахстан и Китай: торговля", "2025-03-17",
                "Товарооборот между Казахстаном и Китаем в 2024 году составил 43 млрд долларов, сообщили в "
                "Астане.")
FEED_ETAG = '"feed-v1"'


def page(title: str, day: str, text: str, *, canonical: str | None = None, charset: str = "utf-8") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paras = "".join(f"<p>{s}.</p>" for s in text.rstrip(".").split(". "))
    return (f'<!DOCTYPE html><html lang="ru"><head><meta charset="{charset}"><title>{title}</title>{link}'
            f'<meta property="article:published_time" content="{day}T10:00:00+05:00"></head><body>'
            f'<nav><a href="/">Главная</a></nav><article><h1>{title}</h1>{paras}'
            f"<p>Подробности читайте в следующих выпусках нашего агентства.</p></article></body></html>")


class Site:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.conditional: list[str] = []
        self.times: list[tuple[float, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # clients that hang up on purpose
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "Site":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def feed(self) -> str:
        items = ["/news/kaz-uzb-trade.html?utm_source=rss&utm_medium=feed", "/news/kgz-rus-trade.html",
                 "/news/flaky-429.html", "/news/flaky-500.html", "/news/missing.html", "/news/loop.html",
                 "/news/slow.html", "/news/big.html", "/news/big-stream.html", "/news/report.pdf",
                 "/news/truncated.html", "/private/secret.html", CP1251[0], CP1251_WRONG[0]]
        entries = "".join(
            f"<item><title>Новость {i}</title><link>{self.base}{p}</link>"
            f"<pubDate>Mon, 10 Mar 2025 0{i % 10}:00:00 +0000</pubDate></item>" for i, p in enumerate(items))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Тестовое агентство'
                f"</title><link>{self.base}/</link>{entries}</channel></rss>")

    def sitemap(self) -> str:
        urls = [("/news/kaz-uzb-trade.html/amp", "2025-03-10"), ("/news/tjk-chn-trade.html", "2025-03-12"),
                ("/news/sitemap-only.html", "2025-03-15"), ("/news/old-2020.html", "2020-01-05")]
        body = "".join(f"<url><loc>{self.base}{p}</loc><lastmod>{d}</lastmod></url>" for p, d in urls)
        return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body in separate writes: no 40 ms delayed ACK

            def log_message(self, *args) -> None:  # quiet
                pass

            def send(self, status: int, body: bytes = b"", ctype: str | None = "text/html; charset=utf-8",
                     headers: dict | None = None) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: C901 - one branch per misbehaviour
                path = self.path
                site.hits[path] += 1
                site.times.append((time.monotonic(), path))
                site.agents.add(self.headers.get("User-Agent", ""))
                if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                    site.conditional.append(path)
                plain = path.split("?")[0]
                n = site.hits[path]
                if plain == "/robots.txt":
                    return self.send(200, f"User-agent: *\nDisallow: /private/\nSitemap: {site.base}/sitemap.xml\n"
                                     .encode(), "text/plain")
                if plain == "/":
                    return self.send(200, (
                        '<html><head><title>Тестовое агентство</title><link rel="alternate" '
                        'type="application/rss+xml" href="/feed.xml"></head><body><p>Главная</p></body></html>'
                    ).encode())
                if plain == "/feed.xml":
                    if self.headers.get("If-None-Match") == FEED_ETAG:
                        return self.send(304, b"", None, {"ETag": FEED_ETAG})
                    return self.send(200, site.feed().encode(), "application/rss+xml; charset=utf-8",
                                     {"ETag": FEED_ETAG})
                if plain == "/sitemap.xml":
                    return self.send(200, site.sitemap().encode(), "application/xml")
                if plain == "/news/flaky-429.html" and n == 1:
                    return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
                if plain == "/news/flaky-500.html" and n == 1:
                    return self.send(500, b"oops", "text/plain")
                if plain == "/news/loop.html":
                    return self.send(302, b"", None, {"Location": "/news/loop2.html"})
                if plain == "/news/loop2.html":
                    return self.send(302, b"", None, {"Location": "/news/loop.html"})
                if plain == "/news/slow.html":
                    time.sleep(3)
                    return self.send(200, page("Поздно", "2025-03-10", "Эта страница отвечает слишком поздно.").encode())
                if plain == "/news/big.html":
                    return self.send(200, b"<html><body>" + b"x" * (20 * 1024 * 1024) + b"</body></html>")
                if plain == "/news/big-stream.html":  # no Content-Length: the body ends when the connection does
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + b"y" * 65536 + b"</p>"
                    try:
                        for _ in range(320):
                            self.wfile.write(chunk)
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                if plain == "/news/report.pdf":
                    return self.send(200, b"%PDF-1.4 not a page", "application/pdf")
                if plain == "/news/truncated.html":
                    body = page("Оборванная", "2025-03-10", "Товарооборот вырос. " * 50).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 3])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if plain == CP1251[0]:
                    return self.send(200, page(*CP1251[1:], charset="windows-1251").encode("cp1251"), "text/html")
                if plain == CP1251_WRONG[0]:
                    return self.send(200, page(*CP1251_WRONG[1:], charset="windows-1251").encode("cp1251"),
                                     "text/html; charset=utf-8")
                if plain == "/news/kaz-uzb-trade.html/amp":
                    title, day, text = ARTICLES["/news/kaz-uzb-trade.html"]
                    return self.send(200, page(title, day, text + " Версия для мобильных.",
                                               canonical=f"{site.base}/news/kaz-uzb-trade.html").encode())
                if plain in ARTICLES:
                    title, day, text = ARTICLES[plain]
                    return self.send(200, page(title, day, text, canonical=f"{site.base}{plain}").encode(),
                                     headers={"ETag": f'"{abs(hash(plain))}"'})
                return self.send(404, b"<html><body>not found</body></html>")

        return Handler
