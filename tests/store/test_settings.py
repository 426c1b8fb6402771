"""One store setting for every command and the dashboard: `--db`, else `INDICATORS_DB`, else the checkout's
data/indicators.duckdb whatever the working directory (it once was relative to it for the ETL and to
the repository for the dashboard, so an ingest run elsewhere was never seen)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from etl import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_is_the_checkouts_data_folder_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.DB_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert settings.db_path() == ROOT / "data" / "indicators.duckdb"


def test_the_environment_and_then_the_argument_win(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "env.duckdb"))
    assert settings.db_path() == tmp_path / "env.duckdb"
    assert settings.db_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"


def test_the_dashboard_reads_the_same_setting(tmp_path, monkeypatch):
    from dashboard import data

    monkeypatch.delenv(settings.DB_ENV, raising=False)
    assert data.db_path() == settings.db_path()
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "x.duckdb"))
    assert data.db_path() == settings.db_path() == tmp_path / "x.duckdb"


def test_an_installed_package_keeps_its_store_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.DB_ENV, raising=False)
    monkeypatch.setattr(settings, "_PACKAGE_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert settings.db_path() == tmp_path / "share" / "bilateral-indicators" / "indicators.duckdb"


def test_ingest_from_another_folder_lands_where_the_dashboard_looks(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "etl", checkout / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.jsonl").write_text(json.dumps({
        "id": "a", "published": "2025-03-01",
        "text": "Товарооборот между Казахстаном и Китаем в 2024 году составил 44 млрд долларов."},
        ensure_ascii=False) + "\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(checkout), "BILATERAL_ETL_CACHE_DIR": "off"}
    proc = subprocess.run([sys.executable, "-m", "etl", "ingest", "a.jsonl", "--quiet"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (checkout / "data" / "indicators.duckdb").is_file()
    assert not (elsewhere / "data").exists()
    where = subprocess.run([sys.executable, "-c", "from etl.settings import db_path; print(db_path())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == checkout / "data" / "indicators.duckdb"
