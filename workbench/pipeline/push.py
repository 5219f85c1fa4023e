"""Push articles to Label Studio: one task per sentence, pre-annotated, idempotent.

The command line, the demo, the benchmark and the Python API all push through
`push_articles`; messages are theirs (callbacks), the work is here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from workbench.pipeline.engine import Engine
from workbench.pipeline.preannotate import iter_preannotated, load_model
from workbench.studio.imports import ImportReport, import_tasks
from workbench.studio.labelconfig import read_config
from workbench.studio.predictions import check_model_against
from workbench.text.articles import check_paths, iter_articles

DESCRIPTION = "Claim annotation (workbench)"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushResult:
    """What a push did: the project, whether it was created, the import report, the version."""

    project_id: int
    created_project: bool
    report: ImportReport
    model_version: str | None


def push_articles(studio, articles: Iterable, project: str, model_path=None, *,
                  strict: bool = False, skip_roles: Iterable[str] = (), predictions: bool = True,
                  errors: list | None = None, batch_size: int = 5000,
                  engine: Engine | None = None, model=None,
                  progress: Callable[[int], None] | None = None,
                  on_project: Callable[[int, bool], None] | None = None) -> PushResult:
    """Create the project if needed and import the tasks it lacks, with predictions.

    `articles` are paths, directories or globs (see `workbench.text.articles.iter_articles`);
    a missing path stops the push before anything is created; bad articles are appended
    to `errors` (or stop the push with `strict`). The predictions come from `model` (a
    loaded model), else the model file at `model_path`, else the cold-start rules; the
    model is checked against the project's label config before any task is sent, and the
    project's model_version is set to it as soon as the first batch has landed, so the
    labelling form is pre-filled.
    """
    errors = [] if errors is None else errors
    articles = list(articles)
    check_paths(articles)
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
    tasks = iter_preannotated(iter_articles(articles, errors=errors, strict=strict), model,
                              engine, skip_roles=skip_roles)
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
    return PushResult(pid, created, report, version)
