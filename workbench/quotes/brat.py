"""PolNeAR's brat standoff files read into Attribution records, one article at a time.

A ``.ann`` file holds text-bound annotations (``T3<TAB>Content 120 211;215 230<TAB>text``,
discontinuous spans joined by ``;``) and attribution events
(``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``, the trigger first). brat names a
repeated role with a number (``Content2``): its spans join the role's. PolNeAR's gold
resolves no speaker and does not mark direct speech, so ``speaker`` and ``direct`` are None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.records import Article
from workbench.quotes.records import ROLES, Attribution, Span, iter_tokens, merge_spans
from workbench.text.articles import read_file

_T_LINE = re.compile(r"(T\d+)\t([^\t ]+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)\Z", re.S)
_E_LINE = re.compile(r"(E\d+)\t(\S.*?)\s*\Z")
_ARGUMENT = re.compile(r"([A-Za-z][\w-]*?)(\d*):(T\d+)\Z")
# Lines that start like an annotation: a continuation of a span's text never does.
_ANNOTATION_START = re.compile(r"[TREAMN#]\d*\t")
# Notes, attributes, normalisations and binary relations carry no attribution span.
_IGNORED = ("#", "A", "M", "N", "R")
_ROLE_NAMES = {"Source": "source", "Cue": "cue", "Content": "content"}


def parse_ann(content: str, article_id: str, text: str | None = None, where: str = "<ann>",
              incomplete: list[int] | None = None) -> list[Attribution]:
    """Attributions of one ``.ann`` file's content, in the order of their E lines.

    With the article's ``text``, every span is checked against it (inside the text, and the
    T line's own text equal to the characters its offsets cover). A relation without a Cue
    or a Content (PolNeAR has a few dozen) is no attribution by the guidelines: it is left
    out, and its line number appended to ``incomplete`` when given. Anything malformed
    raises one InputError naming ``where`` and the line.
    """
    spans: dict[str, tuple[int, tuple[Span, ...]]] = {}
    events: list[tuple[int, str]] = []
    lines = content.split("\n")
    n = 0
    while n < len(lines):
        line, lineno = lines[n].rstrip("\r"), n + 1
        n += 1
        if not line.strip():
            continue
        if line.startswith("T"):
            ident, parsed, consumed = _t_line(line, lines[n:], text, f"{where}:{lineno}")
            if ident in spans:
                raise InputError(f"{where}:{lineno}: {ident} is defined twice (first on line "
                                 f"{spans[ident][0]}); give each annotation its own id")
            spans[ident] = (lineno, parsed)
            n += consumed
        elif line.startswith("E"):
            events.append((lineno, line))
        elif not line.startswith(_IGNORED):
            raise InputError(f"{where}:{lineno}: not a brat annotation line ({line[:50]!r}); "
                             "each line starts with an id such as T1, E1 or #1 and a tab")
    attributions = []
    for lineno, line in events:
        roles = _e_line(line, spans, f"{where}:{lineno}")
        if not roles["cue"] or not roles["content"]:
            if incomplete is not None:
                incomplete.append(lineno)
            continue
        attributions.append(Attribution(article_id, roles["source"] or None, roles["cue"],
                                        roles["content"]))
    return attributions


def _t_line(line: str, rest: list[str], text: str | None,
            where: str) -> tuple[str, tuple[Span, ...], int]:
    """A T line's id and spans, and how many continuation lines its text field took."""
    match = _T_LINE.match(line)
    if not match:
        raise InputError(f"{where}: malformed span line ({line[:60]!r}); expected "
                         "'T1<TAB>Type START END[;START END...]<TAB>text'")
    ident, _kind, offsets, shown = match.groups()
    try:
        parsed = tuple(Span(*map(int, pair.split())) for pair in offsets.split(";"))
    except ValueError:
        raise InputError(f"{where}: {ident} has an empty or reversed span ({offsets}); "
                         "each span needs START < END") from None
    # The text field is the spans' characters joined by spaces; a span crossing a line
    # break continues it on the next lines of the file, so its length says how many to take.
    needed = sum(s.end - s.start for s in parsed) + len(parsed) - 1
    consumed = 0
    while (len(shown) < needed and consumed < len(rest)
           and not _ANNOTATION_START.match(rest[consumed])):
        shown += "\n" + rest[consumed].rstrip("\r")
        consumed += 1
    if len(shown) != needed:
        raise InputError(f"{where}: {ident}'s text has {len(shown)} characters where its offsets "
                         f"({offsets}) cover {needed}; fix the offsets or the text")
    if text is not None:
        if any(s.end > len(text) for s in parsed):
            raise InputError(f"{where}: {ident} ends after the article's {len(text)} characters; "
                             "is this the annotation of another article?")
        expected = " ".join(s.text(text) for s in parsed)
        if shown != expected:
            raise InputError(f"{where}: {ident} reads {expected[:40]!r} in the article, not "
                             f"{shown[:40]!r}; the offsets do not fit this text (encoding, BOM?)")
    return ident, parsed, consumed


def _e_line(line: str, spans: dict, where: str) -> dict[str, tuple[Span, ...]]:
    """The spans of each role of one attribution event."""
    match = _E_LINE.match(line)
    arguments = match.group(2).split() if match else []
    if not arguments or not all(_ARGUMENT.match(a) for a in arguments):
        raise InputError(f"{where}: malformed attribution line ({line[:60]!r}); expected "
                         "'E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1'")
    trigger = _ARGUMENT.match(arguments[0]).group(1)
    if not trigger.startswith("Attribution"):
        raise InputError(f"{where}: event of type {trigger!r}, not an Attribution; "
                         "only PolNeAR attribution events are read")
    roles: dict[str, list[Span]] = {role: [] for role in ROLES}
    for position, argument in enumerate(arguments):
        name, _number, ident = _ARGUMENT.match(argument).groups()
        if ident not in spans:
            raise InputError(f"{where}: {argument} refers to {ident}, which no T line defines")
        if position == 0:  # the trigger: PolNeAR marks the cue's span again
            continue
        if name not in _ROLE_NAMES:
            raise InputError(f"{where}: unknown role {name!r} in {argument}; "
                             "expected Source, Cue or Content")
        roles[_ROLE_NAMES[name]].extend(spans[ident][1])
    return {role: tuple(found) for role, found in roles.items()}


def read_ann(path: Path | str, text: str | None = None,
             incomplete: list[int] | None = None) -> list[Attribution]:
    """Attributions of one ``NAME_ANNOTATOR.ann`` file, for the article ``NAME``."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as UTF-8 ({exc}); check the path") from None
    article_id = path.stem.rpartition("_")[0] or path.stem
    return parse_ann(content, article_id, text, str(path), incomplete)


def annotation_files(split_dir: Path | str) -> dict[str, list[Path]]:
    """Each article's annotation files (``attributions/NAME_ANNOTATOR.ann``), sorted by name."""
    found: dict[str, list[Path]] = {}
    for path in sorted(Path(split_dir, "attributions").glob("*.ann")):
        found.setdefault(path.stem.rpartition("_")[0], []).append(path)
    return found


def iter_polnear(split_dir: Path | str,
                 incomplete: list[tuple[str, int]] | None = None
                 ) -> Iterator[tuple[Article, tuple[Attribution, ...]]]:
    """Stream a PolNeAR split (``train/`` or ``dev/``): each article and its attributions.

    Articles come in file-name order, read by ``workbench.text`` (so offsets are ours).
    When several annotators annotated an article, the file whose annotator id comes first
    in sorted order is read: a choice independent of the annotations themselves, the same
    on every run. ``article.meta`` gains ``annotation_file`` and ``annotators`` (all ids).
    """
    split_dir = Path(split_dir)
    texts = sorted(Path(split_dir, "text").glob("*.txt"))
    if not texts:
        raise InputError(f"{split_dir}: no text/*.txt articles; give a PolNeAR split folder "
                         "(train/ or dev/)")
    files = annotation_files(split_dir)
    orphans = sorted(set(files) - {p.stem for p in texts})
    if orphans:
        raise InputError(f"{files[orphans[0]][0]}: no article text/{orphans[0]}.txt for this "
                         "annotation file; restore the text or remove the file")
    for text_path in texts:
        chosen = files.get(text_path.stem)
        if not chosen:
            raise InputError(f"{text_path}: no annotation file attributions/{text_path.stem}_"
                             "ANNOTATOR.ann; an unannotated article is not gold with no quotes")
        article = _read_article(text_path)
        skipped: list[int] = []
        attributions = read_ann(chosen[0], article.text, skipped)
        if incomplete is not None:
            incomplete.extend((str(chosen[0]), lineno) for lineno in skipped)
        annotators = [p.stem.rpartition("_")[2] for p in chosen]
        yield (replace(article, meta={**article.meta, "annotation_file": str(chosen[0]),
                                      "annotators": annotators}),
               tuple(attributions))


def _read_article(path: Path) -> Article:
    """One article file through workbench.text's reader, its problem raised."""
    for result in read_file(path):
        if isinstance(result, InputError):
            raise result
        return result
    raise InputError(f"{path}: no article in this file; check the PolNeAR split")


def polnear_stats(split_dir: Path | str) -> dict:
    """Counts of a PolNeAR split: articles, attributions, sources, discontinuous contents, tokens."""
    articles = several = 0
    attributions = with_source = discontinuous = 0
    tokens = {role: 0 for role in ROLES}
    having = {role: 0 for role in ROLES}
    incomplete: list[tuple[str, int]] = []
    for article, found in iter_polnear(split_dir, incomplete):
        articles += 1
        several += len(article.meta["annotators"]) > 1
        for attribution in found:
            attributions += 1
            with_source += attribution.source is not None
            discontinuous += len(merge_spans(attribution.content)) > 1
            for role in ROLES:
                spans = attribution.spans(role)
                if spans:
                    having[role] += 1
                    tokens[role] += sum(1 for _ in iter_tokens(article.text, spans))

    def share(count: int) -> float:
        return round(count / attributions, 4) if attributions else 0.0

    return {"split": Path(split_dir).name, "articles": articles,
            "articles_with_several_annotators": several, "attributions": attributions,
            "incomplete_relations_skipped": len(incomplete),
            "with_source": with_source, "share_with_source": share(with_source),
            "discontinuous_content": discontinuous,
            "share_discontinuous_content": share(discontinuous),
            "tokens": {role: {"total": tokens[role],
                              "per_attribution": round(tokens[role] / having[role], 2)
                              if having[role] else 0.0} for role in ROLES}}
