"""JSON arrays streamed in and out: read an export item by item, write chunked import files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.files import atomic_write

READ_SIZE = 1 << 20
_SPACE = " \t\r\n"
_NUMBER = "0123456789.eE+-"


def iter_array(handle, where: str = "JSON file", read_size: int = READ_SIZE) -> Iterator:
    """Yield the items of a top-level JSON array from a text file, one at a time.

    Each item is decoded by the standard library's decoder (the one `json.load` uses), so
    the items equal those of `json.load`; memory holds one read buffer plus the largest item.
    """
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False

    def fill(need_more: bool) -> bool:
        """Append more text to the buffer (doubling for items bigger than it); False at EOF."""
        nonlocal buf, pos, eof
        if eof:
            return False
        chunk = handle.read(max(read_size, len(buf) - pos) if need_more else read_size)
        if not chunk:
            eof = True
            return False
        buf, pos = buf[pos:] + chunk, 0
        return True

    def skip_space() -> str:
        """The next significant character (refilling as needed), or '' at end of input."""
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _SPACE:
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not fill(False):
                return ""

    def fail(message: str):
        raise InputError(f"{where}: {message}; the file is not a complete JSON array "
                         f"(an interrupted download?): fetch it again")

    first = skip_space()
    if first != "[":
        fail(f"expected '[' at the start, found {first[:1]!r}" if first else "empty file")
    pos += 1
    if skip_space() == "]":
        pos += 1
    else:
        while True:
            if not skip_space():
                fail("unexpected end of file inside the array")
            while True:
                try:
                    item, end = decoder.raw_decode(buf, pos)
                except json.JSONDecodeError as exc:
                    if fill(True):  # maybe the item is only cut by the buffer's end
                        continue
                    fail(f"invalid JSON ({exc.msg})")
                if (end < len(buf) and buf[end] not in _NUMBER) or not fill(True):
                    break  # else a number may go on past the buffer: decode again with more
            yield item
            pos = end
            sep = skip_space()
            pos += 1
            if sep == "]":
                break
            if sep != ",":
                fail(f"expected ',' or ']' after item, found {sep!r}" if sep
                     else "unexpected end of file inside the array")
    if skip_space():
        fail("unexpected data after the closing ']'")


def chunk_path(path: Path, number: int) -> Path:
    """The name of chunk `number` (1-based) of an import file: tasks.json -> tasks-00001.json."""
    path = Path(path)
    return path.with_name(f"{path.stem}-{number:05d}{path.suffix or '.json'}")


def write_array(items: Iterable, path: Path) -> int:
    """Write items as one JSON array (one item per line), atomically; returns how many."""
    n = 0
    with atomic_write(path) as out:
        out.write("[")
        for item in items:
            out.write((",\n" if n else "\n") + json.dumps(item, ensure_ascii=False))
            n += 1
        out.write("\n]\n")
    return n


def write_chunks(items: Iterable, path: Path, chunk_size: int) -> list[tuple[Path, int]]:
    """Write items as numbered JSON arrays of at most `chunk_size` items each.

    Each file is a complete Label Studio import file, written atomically; memory holds
    one item at a time. Returns (path, count) per file written.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    iterator = iter(items)
    written: list[tuple[Path, int]] = []
    while True:
        try:
            first = next(iterator)
        except StopIteration:
            return written
        target = chunk_path(path, len(written) + 1)

        def chunk(first=first):
            yield first
            for _, item in zip(range(chunk_size - 1), iterator):
                yield item

        written.append((target, write_array(chunk(), target)))
