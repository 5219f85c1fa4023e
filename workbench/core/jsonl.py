"""JSON Lines files in: any encoding a user's tools write, one clear line per bad line."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.encoding import decode_bytes
from workbench.core.errors import InputError

MAX_BYTES = 2 * 1024 ** 3  # a labels file this big is a mistake (an export, a model?)


def read_jsonl(path: Path | str, what: str = "JSON Lines file") -> list[dict]:
    """Records (JSON objects, one per line) from a file, decoded as its BOM or bytes say.

    UTF-8 (with or without BOM), UTF-16 and legacy code pages such as cp1252 are read;
    anything else, a bad line or a value that is not an object, raises an InputError
    naming the file and line and saying how to fix it.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not a {what}; give the file's path")
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than 2 GB, not a {what}; check the path")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc}); check the path") from None
    text, _encoding = decode_bytes(data, path)
    records = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise InputError(f"{path}:{n}: not valid JSON ({detail}); each line of a {what} "
                             f"is one JSON object: fix or remove the line") from None
        if not isinstance(record, dict):
            raise InputError(f"{path}:{n}: expected a JSON object ({{...}}) per line, found "
                             f"{type(record).__name__}; fix or remove the line")
        records.append(record)
    return records
