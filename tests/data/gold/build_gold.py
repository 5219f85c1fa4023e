#!/usr/bin/env python3
"""Build gold segmentation/claim data from authoring sources (stdlib only).

Usage::

    python tests/data/gold/build_gold.py tests/data/gold/fr [more dirs...]
    python tests/data/gold/build_gold.py --check tests/data/gold/en

For every ``DIR/src/NAME.src`` this writes ``DIR/NAME.txt`` (the raw article,
UTF-8, ``\\n`` line endings, ending with one ``\\n``) and
``DIR/NAME.gold.jsonl`` (one JSON object per sentence:
``{"index", "start", "end", "text", "role", "label", "ambiguous"}``, offsets
are Python ``str`` indices into the .txt read as UTF-8).  After writing, it
re-reads both files and verifies ``text == content[start:end]`` for every
sentence, consecutive indices, increasing offsets, no surrounding whitespace.
``--check`` only verifies the existing .txt/.gold.jsonl pairs in DIR.
Output is deterministic (sources processed in sorted order).

Source format (one sentence per line)::

    JOIN ROLE LABEL[?] | sentence text

* ``JOIN``: how the sentence is attached to the previous one:
  ``st`` (first sentence of the file, nothing before it),
  ``sp`` (one space), ``gl`` (glued: nothing in between, e.g. a heading
  glued onto the next sentence, or "pays.Le maire"), ``nl`` (one newline),
  ``bl`` (blank line, i.e. two newlines).
* ``ROLE``: ``title`` | ``lead`` | ``byline`` | ``heading`` | ``body``.
* ``LABEL``: ``fact`` (verifiable_fact) | ``opinion`` | ``quote``
  (attributed_quote) | ``none`` (not_a_claim); the full label names are
  accepted too.  A trailing ``?`` marks the sentence ``ambiguous: true``.
* `` | `` (space, pipe, space) separates the prefix from the sentence text;
  the text is taken verbatim up to the end of the line (trailing whitespace
  stripped; the sentence must not start or end with whitespace).

Lines that are empty or start with ``#`` are ignored (comments).  Example::

    st title none | Un budget en hausse pour la région
    bl lead fact | Le conseil régional a voté mardi un budget de 1,2 milliard...
    sp byline none | 27.11.2026, Le Quotidien du Centre
    bl body fact | Le vote a eu lieu à 14h05.
    gl heading none | Des critiques
    gl body quote | « C'est trop », a déclaré M. Dupont.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

JOINS = {"st": "", "sp": " ", "gl": "", "nl": "\n", "bl": "\n\n"}
ROLES = {"title", "lead", "byline", "heading", "body"}
LABELS = {
    "fact": "verifiable_fact",
    "opinion": "opinion",
    "quote": "attributed_quote",
    "none": "not_a_claim",
}
FULL_LABELS = set(LABELS.values())


class SourceError(Exception):
    pass


def parse_source(path: Path):
    """Return a list of (join, role, label, ambiguous, text, lineno)."""
    out = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line or line.lstrip().startswith("#"):
            continue
        if " | " not in line:
            raise SourceError(f"{path}:{lineno}: missing ' | ' separator")
        prefix, text = line.split(" | ", 1)
        parts = prefix.split()
        if len(parts) != 3:
            raise SourceError(f"{path}:{lineno}: prefix must be 'JOIN ROLE LABEL[?]'")
        join, role, label = parts
        ambiguous = label.endswith("?")
        label = label.rstrip("?")
        if join not in JOINS:
            raise SourceError(f"{path}:{lineno}: unknown join {join!r}")
        if role not in ROLES:
            raise SourceError(f"{path}:{lineno}: unknown role {role!r}")
        if label in LABELS:
            label = LABELS[label]
        elif label not in FULL_LABELS:
            raise SourceError(f"{path}:{lineno}: unknown label {label!r}")
        if not text or text != text.strip():
            raise SourceError(f"{path}:{lineno}: empty text or surrounding whitespace")
        if (join == "st") != (not out):
            raise SourceError(f"{path}:{lineno}: 'st' must be used exactly for the first sentence")
        out.append((join, role, label, ambiguous, text, lineno))
    if not out:
        raise SourceError(f"{path}: no sentences")
    return out


def build(entries):
    content = ""
    records = []
    for i, (join, role, label, amb, text, _lineno) in enumerate(entries):
        content += JOINS[join]
        start = len(content)
        content += text
        records.append({
            "index": i, "start": start, "end": len(content), "text": text,
            "role": role, "label": label, "ambiguous": amb,
        })
    return content + "\n", records


def verify(txt_path: Path, gold_path: Path) -> list[str]:
    errors = []
    content = txt_path.read_text(encoding="utf-8")
    prev_end = 0
    lines = gold_path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        rec = json.loads(line)
        where = f"{gold_path.name}:{n + 1}"
        if rec.get("index") != n:
            errors.append(f"{where}: index {rec.get('index')} != {n}")
        s, e = rec["start"], rec["end"]
        if content[s:e] != rec["text"]:
            errors.append(f"{where}: text != content[{s}:{e}]")
        if s < prev_end or e <= s:
            errors.append(f"{where}: offsets not increasing")
        if content[prev_end:s].strip():
            errors.append(f"{where}: non-space text between sentences")
        if rec["text"] != rec["text"].strip():
            errors.append(f"{where}: surrounding whitespace")
        if rec["role"] not in ROLES:
            errors.append(f"{where}: bad role")
        if rec["label"] not in FULL_LABELS:
            errors.append(f"{where}: bad label")
        if not isinstance(rec["ambiguous"], bool):
            errors.append(f"{where}: ambiguous not bool")
        prev_end = e
    if content[prev_end:].strip():
        errors.append(f"{txt_path.name}: text after last sentence")
    return errors


def build_dir(directory: Path, check_only: bool = False) -> int:
    errors = []
    count = 0
    if not check_only:
        for src in sorted((directory / "src").glob("*.src")):
            try:
                content, records = build(parse_source(src))
            except SourceError as exc:
                errors.append(str(exc))
                continue
            name = src.stem
            (directory / f"{name}.txt").write_text(content, encoding="utf-8", newline="\n")
            with open(directory / f"{name}.gold.jsonl", "w", encoding="utf-8", newline="\n") as fh:
                for rec in records:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    for gold in sorted(directory.glob("*.gold.jsonl")):
        txt = gold.with_name(gold.name[: -len(".gold.jsonl")] + ".txt")
        if not txt.exists():
            errors.append(f"{gold}: missing {txt.name}")
            continue
        errors.extend(verify(txt, gold))
        count += sum(1 for _ in gold.open(encoding="utf-8"))
    for err in errors:
        print(err, file=sys.stderr)
    print(f"{directory}: {count} sentences, {len(errors)} error(s)")
    return 1 if errors else 0


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check_only = "--check" in args
    dirs = [a for a in args if a != "--check"]
    if not dirs:
        print(__doc__)
        return 2
    return max(build_dir(Path(d), check_only) for d in dirs)


if __name__ == "__main__":
    sys.exit(main())
