"""Read news articles from text, Markdown, HTML, JSON Lines and CSV files, one at a time."""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from workbench.core.encoding import BOMS, HEAD_BYTES, decode_bytes, detect_encoding
from workbench.core.errors import InputError
from workbench.text.lang import detect_language
from workbench.core.records import Article, article_key

FORMATS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
}
# Files that sit beside articles in a corpus but are not articles.
SKIPPED_SUFFIXES = (".gold.jsonl",)

# A news article is tens of kilobytes; anything this big is a dump, not an article.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024

# Column / key names accepted for each Article field in JSONL and CSV rows.
FIELD_ALIASES = {
    "article_id": ("id", "article_id", "doc_id", "uid"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate", "datetime"),
    "publisher": ("source", "publisher", "site", "sitename"),
    "author": ("author", "authors", "byline"),
    "lang": ("lang", "language"),
}


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")


def iter_articles(paths: Iterable[str | Path], *, errors: list | None = None,
                  strict: bool = False) -> Iterator[Article]:
    """Yield every article found in files, directories and glob patterns, one at a time.

    Bad input never escapes as an exception: with ``strict`` the first problem
    raises InputError, otherwise it is appended to ``errors`` (when given) and
    reading goes on with the next article.
    """
    for item in iter_input_files(paths):
        results = [item] if isinstance(item, InputError) else read_file(item)
        for result in results:
            if isinstance(result, InputError):
                if strict:
                    raise result
                if errors is not None:
                    errors.append(result)
            else:
                yield result


def check_paths(paths: Iterable[str | Path]) -> None:
    """Raise one InputError naming every path that is missing or every pattern that matches
    nothing: checked before anything is created or sent (directories are not walked)."""
    bad = []
    for raw in paths:
        if Path(raw).exists():
            continue
        if glob.has_magic(str(raw)) and next(glob.iglob(str(raw), recursive=True), None):
            continue
        bad.append(str(raw))
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise InputError(f"{bad[0]}: no such file, directory or matching pattern{more}; check "
                         f"the path{'s' if more else ''} (nothing was created or sent)")


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Expand paths, directories (recursively) and globs into article files."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        elif glob.has_magic(str(raw)):
            matches = sorted(glob.iglob(str(raw), recursive=True))
            if not matches:
                yield InputError(f"{raw}: the pattern matches no file; check the pattern and quote it")
            for match in matches:
                yield from _walk(Path(match)) if os.path.isdir(match) else [Path(match)]
        else:
            yield InputError(f"{raw}: no such file or directory; check the path")


def _walk(directory: Path) -> Iterator[Path]:
    """Article files under a directory, in sorted order, skipping hidden and unknown files."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower().endswith(SKIPPED_SUFFIXES):
                continue
            if Path(name).suffix.lower() in FORMATS:
                yield Path(root) / name


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles of one file, with problems yielded (not raised) as InputError."""
    reader = _READERS[FORMATS.get(path.suffix.lower(), "text")]
    try:
        yield from reader(path)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(f"{path}: cannot read ({exc.strerror or exc}); check that it exists and is readable")


# --- whole-file formats: one article per file ---------------------------------

def _read_text(path: Path) -> Iterator[Article]:
    """A plain-text article: the first non-empty line is its title."""
    text, encoding = decode_bytes(_read_article_bytes(path), path)
    yield Article(article_id=path.stem, text=text, title=_first_line(text),
                  lang=detect_language(text), source=str(path),
                  meta={"format": "text", "encoding": encoding})


def _read_markdown(path: Path) -> Iterator[Article]:
    """A Markdown article: title from front matter or the first heading."""
    content, encoding = decode_bytes(_read_article_bytes(path), path)
    front, text = split_front_matter(content)
    title = front.get("title") or _markdown_title(text)
    if not text.strip():
        raise InputError(f"{path}: Markdown file has no text after its front matter; add the article's text")
    yield Article(article_id=path.stem, text=text, title=title,
                  lang=front.get("lang") or detect_language(text), source=str(path),
                  url=front.get("url", ""), published=front.get("date", front.get("published", "")),
                  author=front.get("author", ""), publisher=front.get("source", front.get("publisher", "")),
                  meta={"format": "markdown", "encoding": encoding, "front_matter": front})


def _read_html(path: Path) -> Iterator[Article]:
    """An HTML page: trafilatura finds the main text, title, date and author."""
    html, encoding = decode_bytes(_read_article_bytes(path), path)
    doc = extract_html(html)
    if doc is None or not (doc.text or "").strip():
        raise InputError(f"{path}: no article text found in this HTML page; "
                         "give the article page itself, not an index or a script-only page")
    title = (doc.title or "").strip()
    paragraphs = [line.strip() for line in doc.text.splitlines() if line.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    # Blank lines between paragraphs, title first: the layout of a plain-text article.
    text = "\n\n".join(([title] if title else []) + paragraphs) + "\n"
    yield Article(article_id=path.stem, text=text, title=title, lang=detect_language(text),
                  source=str(path), url=doc.url or "", published=doc.date or "",
                  author=doc.author or "", publisher=doc.sitename or "",
                  meta={"format": "html", "encoding": encoding,
                        "description": doc.description or ""})


def extract_html(html: str):
    """Main content and metadata of a page (trafilatura Document), or None."""
    import trafilatura  # only HTML needs it, and it is slow to import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml deprecation noise from inside trafilatura
        return trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=False, deduplicate=False)


def _read_article_bytes(path: Path) -> bytes:
    """The bytes of a one-article file, refusing empty, huge and binary files."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise InputError(f"{path}: {size / 1e6:.1f} MB is over the {MAX_ARTICLE_BYTES / 1e6:.0f} MB "
                         "limit for one article; split it into one file (or one JSONL line) per article")
    data = path.read_bytes()
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise InputError(f"{path}: empty file; add the article's text or remove the file")
    return data


def _first_line(text: str) -> str:
    """First non-empty line, stripped."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def split_front_matter(content: str) -> tuple[dict, str]:
    """Simple ``key: value`` front matter of a Markdown file, and the text after it."""
    match = _FRONT_MATTER.match(content)
    if not match:
        return {}, content
    front = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            front[key.strip().lower()] = value.strip().strip("\"'")
    return front, content[match.end():]


def _markdown_title(text: str) -> str:
    """The first line, without its heading marks."""
    line = _first_line(text)
    match = _ATX_HEADING.match(line)
    return match.group(1).strip() if match else line


# --- decoding -------------------------------------------------------------------

# --- row formats: one article per JSON line or CSV row --------------------------

def _read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """One article per JSON object line; a bad line is reported and skipped."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        if not head.strip():
            raise InputError(f"{path}: empty file; add one JSON object per line or remove the file")
        if b"\x00" in head and not head.startswith(tuple(b for b, _ in BOMS)):
            raise InputError(f"{path}: binary file (contains NUL bytes), not JSON Lines; remove it")
        handle.seek(0)
        for lineno, line in _bounded_lines(handle, path):
            if isinstance(line, InputError):
                yield line
            elif line.strip():
                yield _jsonl_row(line, path, lineno)


def _bounded_lines(handle, path: Path) -> Iterator[tuple[int, bytes | InputError]]:
    """Lines of a binary file, replacing any over the size limit by an error (never held in memory)."""
    lineno = 0
    while True:
        line = handle.readline(MAX_ARTICLE_BYTES + 1)
        if not line:
            return
        lineno += 1
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(HEAD_BYTES)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the oversized line chunk by chunk
            yield lineno, InputError(
                f"{path}:{lineno}: line over the {MAX_ARTICLE_BYTES / 1e6:.0f} MB limit for one "
                "article; split it into one article per line")
        else:
            yield lineno, line


def _jsonl_row(line: bytes, path: Path, lineno: int) -> Article | InputError:
    """Parse one JSON Lines row into an Article, or the error that explains why not."""
    where = f"{path}:{lineno}"
    try:
        text, _ = decode_bytes(line.removeprefix(codecs.BOM_UTF8) if lineno == 1 else line, where)
        row = json.loads(text)
    except InputError as exc:
        return exc
    except json.JSONDecodeError as exc:
        return InputError(f"{where}: malformed JSON ({exc.msg} at column {exc.colno}); "
                          "fix the line or remove it")
    if not isinstance(row, dict):
        return InputError(f"{where}: expected a JSON object with a \"text\" key, got {type(row).__name__}")
    return article_from_row(row, where, "jsonl")


def _read_csv(path: Path) -> Iterator[Article | InputError]:
    """One article per CSV/TSV row with a header naming the columns."""
    with open(path, "rb") as raw:
        head = raw.read(HEAD_BYTES)
        if not head.strip():
            raise InputError(f"{path}: empty file; add a header and one row per article or remove the file")
        encoding = _stream_encoding(head, path)
        raw.seek(0)
        text_stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
        # The default 128 KB field limit is below a long article; raising it is harmless.
        csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_BYTES))
        yield from _csv_rows(text_stream, path, _delimiter(path, head.decode(encoding, "replace")))


def _csv_rows(stream, path: Path, delimiter: str) -> Iterator[Article | InputError]:
    """Articles from the rows of an open CSV stream; stops at a row the parser cannot recover from."""
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if not set(header) & set(FIELD_ALIASES["text"]):
            raise InputError(f"{path}:1: no text column in the header {header}; "
                             "name the article text column 'text'")
        for row in reader:
            if any(cell.strip() for cell in row):
                yield article_from_row(dict(zip(header, row)), f"{path}:{reader.line_num}", "csv")
    except csv.Error as exc:
        yield InputError(f"{path}:{reader.line_num}: unreadable CSV ({exc}); rows after it are skipped, "
                         f"fix the quoting or keep each field under {MAX_ARTICLE_BYTES / 1e6:.0f} MB")
    except UnicodeDecodeError:
        yield InputError(f"{path}:{reader.line_num}: bytes not in the file's {stream.encoding} "
                         "encoding; re-save the file as UTF-8")


def _stream_encoding(head: bytes, path: Path) -> str:
    """Encoding of a streamed file, decided on its first bytes."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        raise InputError(f"{path}: binary file (contains NUL bytes), not CSV; remove it")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        encoding = detect_encoding(head)
    if encoding is None:
        raise InputError(f"{path}: cannot tell the text encoding; re-save it as UTF-8")
    return encoding


def _delimiter(path: Path, head: str) -> str:
    """Tab for .tsv; otherwise the commonest of , ; tab | in the header line."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = head.splitlines()[0] if head else ""
    return max(",;\t|", key=header.count)


def article_from_row(row: dict, where: str, fmt: str) -> Article | InputError:
    """Map a JSONL object or CSV row onto an Article (extra fields go to meta)."""
    fields, used = {}, set()
    lowered = {str(k).strip().lower(): k for k in row if k is not None}
    for field_name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in lowered and row[lowered[alias]] not in (None, ""):
                fields[field_name] = _as_text(row[lowered[alias]])
                used.add(lowered[alias])
                break
    text = fields.get("text", "")
    if not text.strip():
        return InputError(f"{where}: no article text (expected a non-empty 'text' field); "
                          "fill it or remove the row")
    meta = {k: v for k, v in row.items() if k not in used and k is not None}
    meta.update(format=fmt, line=int(where.rsplit(":", 1)[1]))
    return Article(article_id=fields.get("article_id") or article_key(text), text=text,
                   title=fields.get("title", "").strip(),
                   lang=fields.get("lang") or detect_language(text),
                   source=where.rsplit(":", 1)[0], url=fields.get("url", ""),
                   published=fields.get("published", ""), author=fields.get("author", ""),
                   publisher=fields.get("publisher", ""), meta=meta)


def _as_text(value) -> str:
    """A row value as a string (lists of authors joined)."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


_READERS = {"text": _read_text, "markdown": _read_markdown, "html": _read_html,
            "jsonl": _read_jsonl, "csv": _read_csv}
