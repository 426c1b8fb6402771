"""Writing a command's output without ever destroying data.

An output that names an input or the store is refused (same file by inode, or the same path), and
every output file is written to a new temporary file beside it (created exclusively, so a planted
link is never followed) and renamed into place only when complete: a failed run leaves the old
file, never half a new one."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


class OutputClash(Exception):
    """The output would overwrite something the command reads or keeps."""


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet: compare where they would be
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_clobbering(output: str | Path, protected: Iterable[tuple[str, str | Path]]) -> None:
    """Raise OutputClash when `output` is one of the `protected` (what, path) files."""
    out = Path(output)
    for what, path in protected:
        if path and str(path) != "-" and _same(out, Path(path)):
            raise OutputClash(f"--output {output} is {what} ({path}): refusing to overwrite it")


def temp_beside(path: Path) -> Path:
    """A new, empty, exclusively created file in `path`'s folder, for writing `path` atomically."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    os.close(fd)
    return Path(name)


def publish(tmp: Path, path: Path) -> None:
    """Move a complete temporary file into place, with the permissions a plain new file would get."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextmanager
def atomic_text(path: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text file at `path`, there only once the block ends without an exception."""
    target = Path(path)
    tmp = temp_beside(target)
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            yield f
        publish(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
