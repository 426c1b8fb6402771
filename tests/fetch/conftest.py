"""Fixtures of the fetch tests: the local news site, a sources file naming it, a run of the command."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from news_site import Site  # noqa: E402


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


@pytest.fixture
def sources(tmp_path, site) -> Path:
    p = tmp_path / "sources.toml"
    p.write_text(f'''
[[outlet]]
name = "Test agency"
country = "KAZ"
home = "{site.base}/"
feeds = ["{site.base}/feed.xml"]
sitemaps = ["{site.base}/sitemap.xml"]
patterns = ["/news/", "/private/"]
''', encoding="utf-8")
    return p
