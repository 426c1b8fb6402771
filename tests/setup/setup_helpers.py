"""Helpers of the set-up tests: copies of the checkout, free ports, a clean environment."""
from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tracked_files() -> list[str]:
    """The checkout's files as a fresh clone has them (new files not yet committed included)."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file()]


def copy_checkout(dest: Path, *, with_venv: bool) -> Path:
    """A copy of the checkout in `dest`. With `with_venv` it gets a .venv of its own that sees this
    checkout's installed packages (the set-up was done once: the copy shows what the commands do, not
    how long pip takes), marked as set up, so `./run` in the copy never installs anything, least of
    all into this checkout's .venv (an editable install there would point it at the copy)."""
    for rel in tracked_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    if with_venv:
        venv = dest / ".venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        ours = Path(sysconfig.get_paths()["purelib"])
        theirs = venv / ours.relative_to(sys.prefix)
        # the packages only: not this venv's .pth files, so `etl` is the copy's own
        (theirs / "_checkout_packages.pth").write_text(f"{ours}\n", encoding="utf-8")
        want = hashlib.sha256((dest / "pyproject.toml").read_bytes()).hexdigest()[:16]
        (venv / ".installed-test").write_text(want + "\n", encoding="utf-8")
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("INDICATORS_DB", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(extra)
    return env
