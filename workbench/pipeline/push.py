"""Push articles to Label Studio: one task per sentence, pre-annotated, idempotent.

The command line, the demo, the benchmark and the Python API all push through
`push_articles`; messages are theirs (callbacks), the work is here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import ConfigError
from workbench.pipeline.engine import Engine
from workbench.pipeline.preannotate import iter_preannotated, load_model
from workbench.studio.imports import ImportReport, import_tasks
from workbench.studio.labelconfig import read_config
from workbench.studio.predictions import check_model_against, iter_predicted
from workbench.team.gold import read_gold
from workbench.text.articles import check_paths, iter_articles
from workbench.text.lang import detect_language

GOLD_EVERY = 10  # one gold sentence after every 10 tasks of the articles; the rest at the end

DESCRIPTION = "Claim annotation (workbench)"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushResult:
    """What a push did: the project, whether it was created, the import report, the version."""

    project_id: int
    created_project: bool
    report: ImportReport
    model_version: str | None
    gold: int = 0  # gold sentences in the pushed tasks (present or created)
    overlap: dict | None = None  # the project's overlap settings when --overlap was given


def gold_task(text: str, sentence_id: str) -> dict:
    """A gold sentence as a task like the others: its text and id, never its answer."""
    return {"data": {"text": text, "sentence_id": sentence_id, "article_id": sentence_id,
                     "title": "", "context_before": "", "context_after": "", "index": 0,
                     "start": 0, "end": len(text), "role": "body",
                     "lang": detect_language(text)}}


def mix_gold(tasks: Iterable[dict], gold: list[dict], every: int = GOLD_EVERY) -> Iterator[dict]:
    """The tasks with one gold task after every `every` of them, the remaining gold at the end."""
    pending = iter(gold)
    for n, task in enumerate(tasks, 1):
        yield task
        if n % every == 0:
            extra = next(pending, None)
            if extra is not None:
                yield extra
    yield from pending


def check_overlap(overlap: int | None, share: float | None) -> dict | None:
    """Label Studio's project fields for `--overlap N [--overlap-share F]`, checked."""
    if overlap is None:
        if share is not None:
            raise ConfigError("--overlap-share needs --overlap N (annotators per task)")
        return None
    if overlap < 1:
        raise ConfigError(f"--overlap {overlap}: give the number of annotators per task, 1 or more")
    share = 1.0 if share is None else share
    if not 0 < share <= 1:
        raise ConfigError(f"--overlap-share {share}: give a share of tasks above 0 and at most 1, "
                          f"e.g. 0.2")
    return {"maximum_annotations": int(overlap),
            "overlap_cohort_percentage": max(1, round(share * 100))}


def push_articles(studio, articles: Iterable, project: str, model_path=None, *,
                  strict: bool = False, skip_roles: Iterable[str] = (), predictions: bool = True,
                  errors: list | None = None, batch_size: int = 5000,
                  engine: Engine | None = None, model=None,
                  progress: Callable[[int], None] | None = None,
                  on_project: Callable[[int, bool], None] | None = None,
                  overlap: int | None = None, overlap_share: float | None = None,
                  gold: Path | str | None = None, checked=None) -> PushResult:
    """Create the project if needed and import the tasks it lacks, with predictions.

    `articles` are paths, directories or globs (see `workbench.text.articles.iter_articles`);
    a missing path stops the push before anything is created; bad articles are appended
    to `errors` (or stop the push with `strict`). The predictions come from `model` (a
    loaded model), else the model file at `model_path`, else the cold-start rules; the
    model is checked against the project's label config before any task is sent, and the
    project's model_version is set to it as soon as the first batch has landed, so the
    labelling form is pre-filled. `overlap` (annotators per task) and `overlap_share` (the
    share of tasks labelled by that many) set the project's maximum_annotations and
    overlap_cohort_percentage. `gold` (a gold file) mixes its sentences into the tasks,
    without their answers.
    """
    errors = [] if errors is None else errors
    articles = list(articles)
    if articles:
        check_paths(articles)
    overlap_fields = check_overlap(overlap, overlap_share)
    gold_tasks = [gold_task(g.text, g.sentence_id) for g in read_gold(gold)] if gold else []
    started = time.monotonic()
    if predictions and model is None:
        model = load_model(model_path)  # before the project: a bad model file creates nothing
        log.info("model %s loaded in %.2f s", model.model_version, time.monotonic() - started)
    if not predictions:
        model = None
    pid, created = studio.ensure_project(project, read_config(), description=DESCRIPTION)
    log.info("project %r is id %s%s", project, pid, " (created)" if created else "")
    if on_project:
        on_project(pid, created)
    if model is not None:
        check_model_against(studio.schema(pid), model)
    if overlap_fields:
        studio.set_project_fields(pid, **overlap_fields)
    tasks = iter_preannotated(iter_articles(articles, errors=errors, strict=strict), model,
                              engine, skip_roles=skip_roles, checked=checked)
    if gold_tasks:
        if model is not None:  # a gold sentence looks like the others: pre-filled by the model
            gold_tasks = list(iter_predicted(gold_tasks, model, batch_size=len(gold_tasks)))
        tasks = mix_gold(tasks, gold_tasks)
    version_set: list[bool] = []

    def set_version() -> None:  # as soon as the version exists in the project
        if model is not None:
            studio.set_model_version(pid, model.model_version)
            version_set.append(True)

    report = import_tasks(studio, pid, tasks, progress=progress, batch_size=batch_size,
                          on_first_import=set_version)
    version = model.model_version if model is not None else None
    if version and not version_set:  # nothing was imported: the version may still be new here
        studio.set_model_version(pid, version)
    log.info("push to project %s done in %.1f s: %d created, %d present, %d predictions",
             pid, time.monotonic() - started, report.created, report.present, report.predictions)
    return PushResult(pid, created, report, version, len(gold_tasks), overlap_fields)
