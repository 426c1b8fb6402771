"""A private on-disk cache of one built object (the lexicon), safe to find planted or broken.

Reading it never runs code: the file is unpickled with an allow-list of classes (pickle's documented
"restricting globals"), so a planted `os.system` is an error, not a command. It never follows a link:
files are opened with O_NOFOLLOW and written to a new, exclusively created temporary file that is
renamed into place. It lives in a folder only its user can write, which is checked (owner, mode, not a
link), not assumed; a folder that fails the check is not used, which costs only speed. And a file is
taken only when it carries the key of the code and tables it was built from, and the digest of its own
payload: an older version's entry, a truncated one or an emptied one is rebuilt, never used."""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

MAGIC = b"bilateral-etl cache v2\n"
_MAX_BYTES = 512 * 1024 * 1024


class CacheRefused(Exception):
    """Why a cache folder or file is not used."""


def private_folder(folder: Path) -> Path:
    """`folder`, created 0700 if missing, after checking that only this user can write it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError as e:
        raise CacheRefused(f"cannot make {folder}: {e.strerror or e}") from None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise CacheRefused(f"{folder} is not a folder (a link or a file)")
    if st.st_uid != os.geteuid():
        raise CacheRefused(f"{folder} belongs to another user (uid {st.st_uid})")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheRefused(f"{folder} can be written by others (mode {stat.S_IMODE(st.st_mode):o})")
    return folder


class _AllowListUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> object:
        if (module, name) in self._allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")


def read(path: Path, key: str, allowed: frozenset[tuple[str, str]], valid: Callable[[object], bool]) -> object | None:
    """The object cached at `path` under `key`, or None when there is none fit to use."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None  # missing, or a link
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_size > _MAX_BYTES:
            return None
        with os.fdopen(fd, "rb") as f:
            fd = -1
            data = f.read(_MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    head = MAGIC + key.encode() + b"\n"
    if not data.startswith(head):
        return None
    digest, _, payload = data[len(head):].partition(b"\n")
    if digest != hashlib.sha256(payload).hexdigest().encode():
        return None
    try:
        obj = _AllowListUnpickler(payload, allowed).load()
    except Exception:  # a refused class, a truncated payload, an object the code no longer has
        return None
    return obj if valid(obj) else None


def write(path: Path, key: str, obj: object) -> None:
    """Atomically, through a new temporary file (never a name someone could have planted a link at)."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    data = MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600, O_EXCL
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def warn(message: str) -> None:
    print(f"note: lexicon cache not used: {message}", file=sys.stderr)
