"""Push articles to Label Studio: one task per sentence, pre-annotated, idempotent.

The command line, the demo, the benchmark and the ML backend's commands all push
through `push_articles`; messages are theirs (callbacks), the work is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbench.studio import ImportReport

DESCRIPTION = "Claim annotation (workbench)"


def load_model_or_rules(model_path=None):
    """The trained model at `model_path` (hash-checked), else the cold-start rules."""
    from workbench.classifier import cold_start_model, load_model

    return load_model(Path(model_path)) if model_path else cold_start_model()


def auto_engine(model):
    """Where a push segments and predicts when the caller does not say: decided by the model.

    A push is bound by Label Studio's import, one bulk request at a time (~1,300 tasks/s
    measured on two cores), which one core of ours outpaces (~5,000 tasks/s segmented and
    predicted with the default model). Extra processes would only take CPU from a server
    on the same machine (measured: 10k sentences pushed at 1.26x the raw import floor in
    this process, 1.67x with a pool on both cores). A model with sentence embeddings
    predicts ~30 sentences/s per core, so there every core is used.
    """
    from workbench.parallel import Engine

    slow = model is not None and bool((model.manifest.get("options") or {}).get("embeddings"))
    return Engine(jobs=-1 if slow else 1)


def push_articles(studio, articles: Iterable, project: str, model_path=None, *,
                  strict: bool = False, skip_roles: Iterable[str] = (), predictions: bool = True,
                  errors: list | None = None, batch_size: int = 5000, engine=None,
                  progress: Callable[[int], None] | None = None,
                  on_project: Callable[[int, bool], None] | None = None,
                  ) -> tuple[int, ImportReport, str | None]:
    """Create the project if needed and import the tasks it lacks, with predictions.

    `articles` are paths, directories or globs (see `workbench.articles.iter_articles`); bad
    ones are appended to `errors` (or stop the push with `strict`). Returns the project id,
    the import report and the model_version of the predictions (None without predictions).
    The model is loaded (scikit-learn imported, hash checked, file unpickled: a second or
    two) while Label Studio creates or finds the project, and the project's model_version
    is set to it at the end, so the labelling form is pre-filled. Without an `engine`,
    `auto_engine` picks where segmentation and prediction run.
    """
    from workbench import parallel
    from workbench.articles import iter_articles
    from workbench.labelconfig import read_config
    from workbench.preannotate import check_model_against

    errors = [] if errors is None else errors
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-model") as pool:
        loading = pool.submit(load_model_or_rules, model_path) if predictions else None
        pid, created = studio.ensure_project(project, read_config(), description=DESCRIPTION)
        if on_project:
            on_project(pid, created)
        model = loading.result() if loading else None
    version = None
    if model is not None:
        check_model_against(studio.schema(pid), model)
        version = model.model_version
    tasks = parallel.iter_tasks(iter_articles(articles, errors=errors, strict=strict), model,
                                engine or auto_engine(model), skip_roles=tuple(skip_roles))
    report = studio.import_tasks(pid, tasks, progress=progress, batch_size=batch_size)
    if version:
        studio.set_model_version(pid, version)
    return pid, report, version
