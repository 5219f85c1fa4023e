"""Already-checked claims: read from JSON Lines or CSV, kept in a SQLite file on disk.

A checked claim is `text`, `verdict`, `url` and `date` (the fact-check's), plus the
language detected from its text. The store keeps each (text, url) once, so adding the same
file twice changes nothing, and caches the sentence vectors of its claims per encoder so a
50k-claim store is embedded once, not at every push.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.core.encoding import decode_bytes
from workbench.core.errors import InputError
from workbench.core.jsonl import read_jsonl
from workbench.text.lang import detect_language

COLUMNS = ("text", "verdict", "url", "date")
STORE_NAME = "checked.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY, text TEXT NOT NULL, verdict TEXT NOT NULL, url TEXT NOT NULL,
    date TEXT NOT NULL, lang TEXT NOT NULL, UNIQUE (text, url));
CREATE TABLE IF NOT EXISTS vectors (
    claim_id INTEGER NOT NULL REFERENCES claims (id), encoder TEXT NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (claim_id, encoder));
"""


@dataclass(frozen=True)
class CheckedClaim:
    """One claim the desk has checked, with its verdict and where the fact-check lives."""

    text: str
    verdict: str
    url: str
    date: str
    lang: str = ""
    id: int | None = None


def read_checked_file(path: Path | str) -> list[CheckedClaim]:
    """Checked claims from a JSON Lines or CSV file (`text, verdict, url, date` on each line).

    A missing column or an empty text raises one InputError naming the file, the line and
    the fix. The format is told by the extension (.csv, else JSON Lines).
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
    else:
        rows = [(n, record) for n, record in _numbered_jsonl(path)]
    claims = []
    for line, row in rows:
        missing = [c for c in COLUMNS if row.get(c) is None]
        if missing:
            raise InputError(f"{path}:{line}: missing column {', '.join(map(repr, missing))}; every "
                             f"checked claim needs {', '.join(COLUMNS)}")
        values = {c: str(row[c]).strip() for c in COLUMNS}
        if not values["text"]:
            raise InputError(f"{path}:{line}: empty text; give the checked claim's sentence or "
                             f"remove the line")
        claims.append(CheckedClaim(**values, lang=str(row.get("lang") or "")
                                   or detect_language(values["text"])))
    if not claims:
        raise InputError(f"{path}: no checked claims in the file; each line needs "
                         f"{', '.join(COLUMNS)}")
    return claims


def _numbered_jsonl(path: Path):
    """(line number, record) pairs of a JSON Lines file (blank lines skipped)."""
    records = read_jsonl(path, "checked-claims file")
    text, _encoding = decode_bytes(path.read_bytes(), path)
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    return zip(numbers, records)


def _csv_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc}); check the path") from None
    text, _encoding = decode_bytes(data, path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{path}:1: missing column {', '.join(map(repr, missing))} in the header; "
                         f"the first line must name {', '.join(COLUMNS)}")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if any(v for k, v in row.items() if k is not None):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: not valid CSV ({exc}); fix the line") from None
    return rows


class CheckedStore:
    """The SQLite file of checked claims (created on first write)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path)
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a checked-claims store ({exc}); give another "
                             f"--store path or move the file away") from None
        return db

    def add(self, claims: list[CheckedClaim]) -> int:
        """Store claims; returns how many were new (a known text and URL is kept once)."""
        with self._connect() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO claims (text, verdict, url, date, lang) VALUES (?, ?, ?, ?, ?)",
                [(c.text, c.verdict, c.url, c.date, c.lang) for c in claims])
            added = db.total_changes - before
        db.close()
        return added

    def claims(self) -> list[CheckedClaim]:
        """Every stored claim, in the order they were added."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            rows = db.execute("SELECT id, text, verdict, url, date, lang FROM claims ORDER BY id").fetchall()
        finally:
            db.close()
        return [CheckedClaim(id=i, text=t, verdict=v, url=u, date=d, lang=lang)
                for i, t, v, u, d, lang in rows]

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        db = self._connect()
        try:
            return db.execute("SELECT count(*) FROM claims").fetchone()[0]
        finally:
            db.close()

    def vectors(self, claims: list[CheckedClaim], encoder: str, encode) -> np.ndarray:
        """The claims' vectors by `encoder`: cached ones read, missing ones encoded and kept."""
        db = self._connect()
        try:
            known = {i: np.frombuffer(blob, dtype=np.float32) for i, blob in db.execute(
                "SELECT claim_id, vector FROM vectors WHERE encoder = ?", (encoder,))}
            missing = [c for c in claims if c.id not in known]
            if missing:
                fresh = np.asarray(encode([c.text for c in missing]), dtype=np.float32)
                with db:
                    db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                                   [(c.id, encoder, v.tobytes()) for c, v in zip(missing, fresh)])
                known.update((c.id, v) for c, v in zip(missing, fresh))
        finally:
            db.close()
        return np.stack([known[c.id] for c in claims])


def claim_json(claim: CheckedClaim) -> str:
    """A stored claim as one JSON line (what `workbench checked match --json` prints)."""
    return json.dumps({"text": claim.text, "verdict": claim.verdict, "url": claim.url,
                       "date": claim.date, "lang": claim.lang}, ensure_ascii=False)
