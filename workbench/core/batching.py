"""Bounded batches over a stream: memory holds one batch, never the whole input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice


def iter_batches(items: Iterable, size: int, *, first: int | None = None) -> Iterator[list]:
    """Lists of `size` items from `items` (the last one shorter).

    With `first`, the first batch holds `first` items and each next one twice as many, up
    to `size`: the consumer gets work at once, then fewer, larger batches.
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    it = iter(items)
    current = min(size, first) if first else size
    while batch := list(islice(it, current)):
        yield batch
        current = min(size, current * 2)
