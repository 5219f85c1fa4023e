#!/usr/bin/env python3
"""Build the quote-attribution gold (articles and JSON Lines) from annotated sources.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python tests/data/quotes/build_gold.py fr en       # our own articles
    .venv/bin/python tests/data/quotes/build_gold.py --seed ../shared/seed/NAME.txt

Our own articles: every ``LANG/src/NAME.src`` becomes ``LANG/NAME.txt`` (the article,
UTF-8, ``\\n`` line endings, one final ``\\n``) and all of a language's attributions go to
``LANG/gold.jsonl``. A source is a header, a line ``====``, then the article with its spans
marked inline: ``[[s1|Il]] [[v1|a déclaré]] [[c1|que ...]]`` (``s`` source, ``v`` cue,
``c`` content, the number tying the spans of one attribution; a role repeated with the
same number is one more span of it). ``~`` stands for a no-break space (U+00A0).

The seed article is third-party text, so its annotation never quotes more than the spans:
``seed.src`` gives each span as ``ROLE+ID SENTENCE[:K] TEXT``, the K-th (from 0) whole-word
occurrence of TEXT inside sentence SENTENCE as ``workbench segment`` cuts the seed.

Header lines, one per attribution: ``@ID speaker=NAME direct=yes|no`` (``speaker=-`` for
none). Offsets are computed here from the marks or strings, never typed, and every span
is read back from the article as ``workbench.text.articles`` reads it before writing.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path

from workbench.quotes.records import ROLES, Attribution, Span, sentence_ids_for
from workbench.text.articles import read_file
from workbench.text.segment import segment_article

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[([svc])(\d+)\|(.*?)\]\]", re.S)
HEADER = re.compile(r"@(\d+) speaker=(.+?) direct=(yes|no)\Z")
SEED_SPAN = re.compile(r"([svc])(\d+) (\d+)(?::(\d+))? (.+)\Z")
ROLE_OF = {"s": "source", "v": "cue", "c": "content"}
NBSP_MARK = "~"


class GoldError(Exception):
    """An annotated source that cannot be built, with its file and line."""


def parse_header(lines: list[str], where: str) -> dict[int, tuple[str | None, bool]]:
    """Attribution id -> (speaker, direct) from the ``@ID speaker=... direct=...`` lines."""
    meta = {}
    for n, line in lines:
        match = HEADER.match(line)
        if not match:
            raise GoldError(f"{where}:{n}: expected '@ID speaker=NAME direct=yes|no', got {line!r}")
        ident, speaker, direct = int(match[1]), match[2].strip(), match[3] == "yes"
        if ident in meta:
            raise GoldError(f"{where}:{n}: attribution {ident} declared twice")
        meta[ident] = (None if speaker == "-" else speaker, direct)
    return meta


def strip_marks(marked: str, where: str) -> tuple[str, dict[int, dict[str, list[Span]]]]:
    """The article text without marks, and each attribution's spans in that text."""
    if "[[" in MARK.sub("", marked) or "]]" in MARK.sub("", marked):
        raise GoldError(f"{where}: an unclosed or malformed [[...]] mark")
    out, spans, pos = [], {}, 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[pos:match.start()].replace(NBSP_MARK, "\u00a0")
        out.append(before)
        length += len(before)
        inner = match[3].replace(NBSP_MARK, "\u00a0")
        if inner != inner.strip() or not inner:
            raise GoldError(f"{where}: span {match[1]}{match[2]} {inner!r} has outer spaces")
        roles = spans.setdefault(int(match[2]), {role: [] for role in ROLES})
        roles[ROLE_OF[match[1]]].append(Span(length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = match.end()
    out.append(marked[pos:].replace(NBSP_MARK, "\u00a0"))
    return "".join(out), spans


def whole_word_find(sentence: str, needle: str, occurrence: int) -> int:
    """Offset in ``sentence`` of the ``occurrence``-th whole-word match of ``needle``, or -1."""
    found = -1
    for start in (m.start() for m in re.finditer(re.escape(needle), sentence)):
        end = start + len(needle)
        if needle[0].isalnum() and start > 0 and sentence[start - 1].isalnum():
            continue
        if needle[-1].isalnum() and end < len(sentence) and sentence[end].isalnum():
            continue
        found += 1
        if found == occurrence:
            return start
    return -1


def seed_spans(lines: list[tuple[int, str]], sentences, where: str) -> dict:
    """Each attribution's spans from ``ROLE+ID SENTENCE[:K] TEXT`` lines over the seed."""
    spans: dict[int, dict[str, list[Span]]] = {}
    for n, line in lines:
        match = SEED_SPAN.match(line)
        if not match:
            raise GoldError(f"{where}:{n}: expected 'ROLE+ID SENTENCE[:K] TEXT', got {line!r}")
        role, ident, index = ROLE_OF[match[1]], int(match[2]), int(match[3])
        occurrence, needle = int(match[4] or 0), match[5]
        sentence = sentences[index]
        offset = whole_word_find(sentence.text, needle, occurrence)
        if offset < 0:
            raise GoldError(f"{where}:{n}: {needle!r} (occurrence {occurrence}) is not in "
                            f"sentence {index}")
        start = sentence.start + offset
        spans.setdefault(ident, {r: [] for r in ROLES})[role].append(
            Span(start, start + len(needle)))
    return spans


def records(article, meta: dict, spans: dict, where: str) -> list[dict]:
    """The JSON Lines records of one article, checked against its text."""
    if set(meta) != set(spans):
        raise GoldError(f"{where}: ids with a header but no span or the reverse: "
                        f"{sorted(set(meta) ^ set(spans))}")
    sentences = segment_article(article)
    out = []
    for ident in sorted(spans, key=lambda i: min(s for r in ROLES for s in spans[i][r])):
        roles = spans[ident]
        if not roles["cue"] or not roles["content"]:
            raise GoldError(f"{where}: attribution {ident} lacks a cue or a content")
        speaker, direct = meta[ident]
        attribution = Attribution(article.article_id, roles["source"] or None, roles["cue"],
                                  roles["content"], speaker, direct)
        attribution = replace(attribution,
                              sentence_ids=sentence_ids_for(attribution, sentences))
        record = attribution.to_dict(article.text)
        Attribution.from_dict(record, article.text, where)  # reads every span back
        out.append(record)
    return out


def split_source(path: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]], str]:
    """Header lines, body lines (numbered) and the raw body of a source file."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n====\n")
    if not sep:
        raise GoldError(f"{path}: no '====' line between the header and the body")
    header = [(n + 1, line) for n, line in enumerate(head.split("\n")) if line.strip()]
    first = head.count("\n") + 3
    lines = [(first + n, line) for n, line in enumerate(body.split("\n"))
             if line.strip() and not line.startswith("#")]
    return header, lines, body


def build_language(folder: Path, out: Path | None = None) -> int:
    """Write a language's articles and gold.jsonl (into ``out``, default ``folder``) from its
    sources; the number of records."""
    out = out or folder
    items = []
    sources = sorted((folder / "src").glob("*.src"))
    if not sources:
        raise GoldError(f"{folder}/src: no .src file")
    for source in sources:
        header, _lines, body = split_source(source)
        text, spans = strip_marks(body.strip("\n") + "\n", str(source))
        target = out / f"{source.stem}.txt"
        target.write_text(text, encoding="utf-8")
        article = next(read_file(target))
        if article.text != text:
            raise GoldError(f"{target}: reads back differently from what was written")
        items += records(article, parse_header(header, str(source)), spans, str(source))
    write_jsonl(out / "gold.jsonl", items)
    return len(items)


def build_seed(seed_txt: Path, out: Path = HERE) -> int:
    """Write seed.jsonl (into ``out``) from seed.src over the seed article; the number of
    records."""
    source = HERE / "seed.src"
    header, lines, _body = split_source(source)
    article = next(read_file(seed_txt))
    spans = seed_spans(lines, segment_article(article), str(source))
    items = records(article, parse_header(header, str(source)), spans, str(source))
    write_jsonl(out / "seed.jsonl", items)
    return len(items)


def write_jsonl(path: Path, items: list[dict]) -> None:
    """One compact JSON object per line, UTF-8, non-ASCII kept readable."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items),
                    encoding="utf-8")


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["--seed"] and len(argv) == 2:
            print(f"seed.jsonl: {build_seed(Path(argv[1]))} attributions")
            return 0
        for lang in argv or ["fr", "en"]:
            print(f"{lang}/gold.jsonl: {build_language(HERE / lang)} attributions")
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
