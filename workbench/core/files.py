"""Files written whole or not at all: a temp file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; set it back at once (no thread writes files
    # between the two calls in a way that depends on it: mkstemp always uses 0600).
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(path: Path, mode: str = "w", *, private: bool = False,
                 fsync: bool = False) -> Iterator:
    """Yield a file that replaces `path` only when the block succeeds.

    An interrupted write leaves the previous file intact and no temp file behind. The file
    gets the user's usual permissions (0666 less the umask), so teammates can read outputs;
    `private=True` keeps it 0600 (files that hold secrets).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as out:
            yield out
            if fsync:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(tmp, 0o600 if private else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, *, private: bool = False) -> None:
    """Write a text file atomically."""
    with atomic_write(path, private=private) as out:
        out.write(text)


def write_bytes(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write a binary file atomically (flushed to disk before the rename by default)."""
    with atomic_write(path, "wb", fsync=fsync) as out:
        out.write(data)
