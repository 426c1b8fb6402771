"""`pip install .` into a new venv whose pip is the one Python 3.11 ships (not upgraded), then an .html page.

The HTML reader needs lxml.html.clean, a separate project since lxml 5.2 that came only through an extra
of a transitive dependency, which that pip dropped: every page was skipped with an ImportError. The
project now declares what its code imports; this installs it the way a user without ./run would."""
from __future__ import annotations

import ensurepip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from setup_helpers import clean_env, copy_checkout

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Казахстан и Узбекистан нарастили торговлю</title>
<meta property="article:published_time" content="2025-02-11T10:00:00+05:00">
</head><body><nav><a href="/">Главная</a></nav>
<article><h1>Казахстан и Узбекистан нарастили торговлю</h1>
<p>Товарооборот между Казахстаном и Узбекистаном по итогам 2024 года составил 4,4 млрд долларов,
сообщили в министерстве торговли.</p>
<p>Стороны намерены довести товарооборот до 10 млрд долларов к 2030 году.</p>
</article></body></html>"""


@pytest.mark.install
def test_pip_install_with_pythons_own_pip_reads_html(tmp_path: Path):
    src = copy_checkout(tmp_path / "src", with_venv=False)
    venv = tmp_path / "venv"
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    pip_version = subprocess.run([str(py), "-m", "pip", "--version"], capture_output=True, text=True,
                                 check=True).stdout.split()[1]
    assert pip_version == ensurepip.version()  # the pip this Python ships, never upgraded here
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(src)],
                             capture_output=True, text=True, timeout=1500, env=clean_env())
    assert install.returncode == 0, install.stderr[-3000:]

    work = tmp_path / "work"  # not the source tree, so the installed package is what runs
    work.mkdir()
    (work / "page.html").write_text(PAGE, encoding="utf-8")
    proc = subprocess.run([str(py), "-m", "etl", "extract", "--input", "page.html"], cwd=work, capture_output=True,
                          text=True, timeout=300, env=clean_env(BILATERAL_ETL_CACHE_DIR="off"))
    assert proc.returncode == 0, proc.stderr
    assert "skipped:" not in proc.stderr
    claims = [json.loads(x) for x in proc.stdout.splitlines()]
    assert {(c["indicator"], c["value"], c["modality"]) for c in claims} >= {
        ("trade_turnover", 4.4e9, "actual"), ("trade_turnover", 1e10, "target")}
    assert all(c["countries"] == ["KAZ", "UZB"] for c in claims)
