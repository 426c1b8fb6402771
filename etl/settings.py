"""Where the store lives: one setting and one default, read by every command and by the dashboard.

`INDICATORS_DB` names the file. Without it, a checkout of the repository keeps its store in its own
`data/indicators.duckdb` whatever the working directory, so `ingest` run from another folder and the
dashboard always meet; an installed package (no checkout around it) keeps it in the user's data
folder (`$XDG_DATA_HOME/bilateral-indicators/`)."""
from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "INDICATORS_DB"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def checkout_root() -> Path | None:
    """The repository this package is running from, or None for an installed package."""
    root = _PACKAGE_ROOT
    if (root / "pyproject.toml").is_file() and (root / "etl" / "schema.sql").is_file():
        return root
    return None


def default_db_path() -> Path:
    root = checkout_root()
    if root is not None:
        return root / "data" / "indicators.duckdb"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "bilateral-indicators" / "indicators.duckdb"


def db_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The store: `given` (a `--db` argument) if any, else `INDICATORS_DB`, else the default."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get(DB_ENV, "").strip()
    return Path(env).expanduser() if env else default_db_path()
