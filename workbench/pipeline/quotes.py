"""Quote attribution in Label Studio: articles pushed as tasks pre-annotated with Source,
Cue and Content regions and their relations; corrected regions pulled back as attributions.

A task is one article (``label_config/quotes.xml``): its text, title and ids. Each
attribution is predicted as regions of the ``attribution`` labels on ``text`` and two
kinds of relation, source -> content and cue -> content. Pulling reads them back the same
way: the regions joined by relations form one attribution (a cue with its contents and
their source). Offsets in Label Studio count UTF-16 code units (JavaScript strings), ours
code points: they are converted both ways, so articles with emoji keep their offsets.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.files import atomic_write
from workbench.quotes.extract import extract
from workbench.quotes.records import ROLES, Attribution, Span
from workbench.studio.imports import ImportReport, import_tasks
from workbench.studio.labelconfig import shipped_config
from workbench.text.articles import check_paths, iter_articles

log = logging.getLogger(__name__)

CONFIG = "quotes.xml"
FROM_NAME, TO_NAME = "attribution", "text"
KEY = "article_id"
LABELS = {"source": "Source", "cue": "Cue", "content": "Content"}
RULES_VERSION = "quote-rules-1"
RULES_SCORE = 0.5  # the rules give no probability: one middling score says so
DESCRIPTION = ("Who said what: mark each attribution's Source, Cue and Content and link "
               "Source -> Content and Cue -> Content.")


def _utf16(text: str) -> list[int]:
    """UTF-16 offset of every code point offset (one more entry, for the end)."""
    offsets, total = [0], 0
    for char in text:
        total += 2 if ord(char) > 0xFFFF else 1
        offsets.append(total)
    return offsets


def task_result(attributions: list[Attribution], text: str) -> list[dict]:
    """Label Studio result items (regions and relations) for an article's attributions."""
    to16 = _utf16(text) if any(ord(c) > 0xFFFF for c in text) else None
    result: list[dict] = []
    for n, attribution in enumerate(attributions):
        ids: dict[str, list[str]] = {}
        for role in ROLES:
            for k, span in enumerate(attribution.spans(role)):
                region = f"q{n}{role[:2]}{k}"
                ids.setdefault(role, []).append(region)
                start, end = (to16[span.start], to16[span.end]) if to16 else (span.start, span.end)
                result.append({"id": region, "from_name": FROM_NAME, "to_name": TO_NAME,
                               "type": "labels", "origin": "prediction",
                               "value": {"start": start, "end": end, "text": span.text(text),
                                         "labels": [LABELS[role]]}})
        for role in ("source", "cue"):
            for a in ids.get(role, []):
                for b in ids["content"]:
                    result.append({"from_id": a, "to_id": b, "type": "relation",
                                   "direction": "right", "labels": ["says"]})
    return result


def quote_tasks(articles: Iterable, model=None, predictions: bool = True) -> Iterator[dict]:
    """One task per article, with its predicted attributions (rules, or the model)."""
    version = model.model_version if model is not None else RULES_VERSION
    for article in articles:
        attributions = extract(article, model) if predictions else []
        data = {"text": article.text, KEY: article.article_id, "title": article.title,
                "source": Path(article.source).name if article.source else "",
                "url": article.url, "lang": article.lang,
                "speakers": sorted({a.speaker for a in attributions if a.speaker})}
        prediction = {"model_version": version, "score": RULES_SCORE if model is None else
                      model.manifest.get("score", 1.0),
                      "result": task_result(attributions, article.text)}
        yield {"data": data, "predictions": [prediction] if predictions else []}


@dataclass(frozen=True)
class QuotePush:
    """What a quote push did."""

    project_id: int
    created: bool
    report: ImportReport
    model_version: str | None


def push_quotes(studio, articles: Iterable, project: str, *, model=None, strict: bool = False,
                errors: list | None = None, progress: Callable[[int], None] | None = None,
                predictions: bool = True) -> QuotePush:
    """Create the quotes project if needed and import the articles it lacks, pre-annotated.

    Idempotent by ``article_id``; the project's model_version is set to the pushed one so
    the labelling view opens with the regions and relations already drawn.
    """
    articles = list(articles)
    check_paths(articles)
    config = shipped_config(CONFIG).read_text(encoding="utf-8")
    pid, created = studio.ensure_project(project, config, description=DESCRIPTION)
    version = model.model_version if model is not None else RULES_VERSION
    tasks = quote_tasks(iter_articles(articles, errors=errors, strict=strict), model, predictions)

    def set_version() -> None:
        if predictions:
            studio.set_model_version(pid, version)

    report = import_tasks(studio, pid, tasks, key=KEY, progress=progress,
                          on_first_import=set_version)
    set_version()  # nothing imported: the version may still be new to the project
    return QuotePush(pid, created, report, version if predictions else None)


def attributions_from_result(result: list[dict], text: str, article_id: str,
                             where: str = "annotation") -> list[Attribution]:
    """Attributions from Label Studio regions joined by relations (rule in the module docstring)."""
    from16 = None
    if any(ord(c) > 0xFFFF for c in text):
        from16 = {u: p for p, u in enumerate(_utf16(text))}
    regions: dict[str, tuple[str, Span]] = {}
    links: dict[str, set[str]] = {}
    for item in result:
        if item.get("type") == "relation":
            a, b = item.get("from_id"), item.get("to_id")
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
        elif item.get("type") == "labels" and item.get("from_name") == FROM_NAME:
            value = item.get("value") or {}
            role = {v: k for k, v in LABELS.items()}.get((value.get("labels") or [""])[0])
            start, end = value.get("start"), value.get("end")
            if role is None or not isinstance(start, int) or not isinstance(end, int):
                raise InputError(f"{where}: region {item.get('id')!r} is not a Source, Cue or "
                                 "Content label with start and end; fix it in Label Studio")
            if from16 is not None:
                start, end = from16[start], from16[end]
            if not 0 <= start < end <= len(text):
                raise InputError(f"{where}: region {item.get('id')!r} ({start}-{end}) is outside "
                                 f"the article's {len(text)} characters")
            regions[item["id"]] = (role, Span(start, end))
    seen: set[str] = set()
    found = []
    for region in regions:
        if region in seen:
            continue
        group, todo = set(), [region]
        while todo:  # the regions joined to this one by relations
            r = todo.pop()
            if r in group or r not in regions:
                continue
            group.add(r)
            todo.extend(links.get(r, ()))
        seen |= group
        spans = {role: [regions[r][1] for r in sorted(group) if regions[r][0] == role]
                 for role in ROLES}
        if spans["cue"] and spans["content"]:
            found.append(Attribution(article_id, spans["source"][:1] or None, spans["cue"],
                                     spans["content"]))
    return sorted(found, key=lambda a: a.cue[0])


def _annotation(task: dict) -> dict | None:
    """The task's latest annotation that was submitted (not cancelled or skipped)."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    return max(done, key=lambda a: (str(a.get("updated_at") or ""), a.get("id") or 0),
               default=None)


def pull_quotes(studio, project: str, output: Path | str) -> tuple[int, int]:
    """Write the corrected attributions of every annotated task as JSON Lines (atomically).

    Returns (attributions written, articles annotated).
    """
    from workbench.pipeline.pull import exported_tasks

    pid = studio.project_id(project)
    written = articles = 0
    with atomic_write(Path(output)) as out, exported_tasks(studio, pid) as tasks:
        for task in tasks:
            annotation = _annotation(task)
            data = task.get("data") or {}
            if annotation is None or KEY not in data:
                continue
            text = data.get("text") or ""
            where = f"project {project!r}, task {task.get('id')}"
            articles += 1
            for attribution in attributions_from_result(annotation.get("result") or [], text,
                                                        data[KEY], where):
                out.write(json.dumps(attribution.to_dict(text), ensure_ascii=False) + "\n")
                written += 1
    return written, articles
