"""Which extractor made a claim: a version derived from what decides the claims.

A hand-kept version string was never bumped (it said "1.0.0" through dozens of changed rules), so
`reextract` refreshed nothing after an upgrade. The version is now the release below plus a digest of
the extraction code, every knowledge table in etl/lexicon/ and the morphology dictionary's version:
edit a rule or a table row and the stored claims read as made by an older extractor."""
from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

RELEASE = "1.1"
PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = PACKAGE_DIR / "lexicon"
# Modules that move documents and claims around but decide nothing in them. Every other module of the
# package counts, so a new extraction module can never be left out of the version by mistake.
NOT_EXTRACTION = frozenset({"__init__.py", "__main__.py", "cache.py", "cli.py", "csvsafe.py", "extract_cli.py",
                            "fetch.py", "ingest.py", "interrupts.py", "official.py", "outputs.py", "polite.py", "readers.py",
                            "settings.py", "snapshots.py", "store.py", "version.py"})
MORPHOLOGY_PACKAGES = ("pymorphy3", "pymorphy3-dicts-ru")


def digest(files: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """SHA-256 over the files' names and bytes (in the given order) and the extra strings."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for x in extra:
        h.update(x.encode() + b"\0")
    return h.hexdigest()


def package_versions(names: Iterable[str]) -> list[str]:
    out = []
    for name in names:
        try:
            out.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name}=?")
    return out


def lexicon_tables(folder: Path = LEXICON_DIR) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def extraction_sources() -> list[Path]:
    code = sorted(p for p in PACKAGE_DIR.glob("*.py") if p.name not in NOT_EXTRACTION)
    return code + lexicon_tables()


@cache
def extractor_version() -> str:
    """`RELEASE+digest`, e.g. `1.1+3f9a0c2b71de`: equal for two runs exactly when they extract alike."""
    return f"{RELEASE}+{digest(extraction_sources(), package_versions(MORPHOLOGY_PACKAGES))[:12]}"
