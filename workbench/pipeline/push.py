"""Push articles to Label Studio: one task per sentence, pre-annotated, idempotent.

The command line, the demo, the benchmark and the ML backend's commands all push
through `push_articles`; messages are theirs (callbacks), the work is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbench.studio.client import ImportReport

DESCRIPTION = "Claim annotation (workbench)"


def load_model_or_rules(model_path=None):
    """The trained model at `model_path` (hash-checked; from its arrays when it has them, so
    without importing scikit-learn), else the cold-start rules."""
    if not model_path:
        from workbench.claims.classifier import cold_start_model

        return cold_start_model()
    from workbench.claims.modelfile import load_predictor

    return load_predictor(Path(model_path))


def uses_embeddings(options: dict | None) -> bool:
    """Whether a model's classifier options (its manifest's "options") add sentence embeddings."""
    return bool((options or {}).get("embeddings"))


def _options(model_path) -> dict:
    """A model's classifier options from its manifest (read before the model is loaded).

    Only a hint for choosing where to predict: the load itself checks the manifest and
    fails with a clear message when something is wrong.
    """
    from workbench.core.errors import ModelError
    from workbench.claims.modelfile import read_manifest

    if not model_path:
        return {}
    try:
        return dict(read_manifest(Path(model_path)).get("options") or {})
    except (ModelError, TypeError, ValueError):
        return {}


def auto_engine(model):
    """Where a push segments and predicts when the caller does not say: decided by the model.

    A push is bound by Label Studio's import, one bulk request at a time (~1,300 tasks/s
    measured on two cores), which one core of ours outpaces (~5,000 tasks/s segmented and
    predicted with the default model). A pool of workers buys nothing and takes CPU from a
    server on the same machine (benchmarks/bench.md, 10k sentences: 1.18x the raw import
    floor without a pool, 1.21x with one on both cores). A model with sentence embeddings
    predicts ~30-60 sentences/s per core, so there every core is used.
    """
    from workbench.pipeline.engine import Engine

    slow = model is not None and uses_embeddings(model.manifest.get("options"))
    return Engine(jobs=-1 if slow else 1)


def push_articles(studio, articles: Iterable, project: str, model_path=None, *,
                  strict: bool = False, skip_roles: Iterable[str] = (), predictions: bool = True,
                  errors: list | None = None, batch_size: int = 5000, engine=None,
                  progress: Callable[[int], None] | None = None,
                  on_project: Callable[[int, bool], None] | None = None,
                  ) -> tuple[int, ImportReport, str | None]:
    """Create the project if needed and import the tasks it lacks, with predictions.

    `articles` are paths, directories or globs (see `workbench.text.articles.iter_articles`); bad
    ones are appended to `errors` (or stop the push with `strict`). Returns the project id,
    the import report and the model_version of the predictions (None without predictions).
    The model is loaded (hash checked; from its arrays, ~15 ms, or through scikit-learn, a
    second or two, for a model without them) while Label Studio creates or finds the project, and the project's model_version
    is set to it as soon as the first batch has landed, so the labelling form is
    pre-filled. Without an `engine`, articles are read and segmented in a helper process
    while the model loads, and predicted here (with an embedding model: `auto_engine`).
    """
    from workbench.pipeline import engine as parallel
    from workbench.studio.labelconfig import read_config
    from workbench.studio.predictions import check_model_against

    errors = [] if errors is None else errors
    articles = list(articles)
    embedding_model = predictions and uses_embeddings(_options(model_path))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-model") as pool:
        loading = pool.submit(load_model_or_rules, model_path) if predictions else None
        pid, created = studio.ensure_project(project, read_config(), description=DESCRIPTION)
        if on_project:
            on_project(pid, created)
        schema = studio.schema(pid) if predictions else None
        loaded: list = []

        def ready_model():
            """The model, checked against the project's config before any task is sent."""
            if not loaded:
                model = loading.result() if loading else None
                if model is not None:
                    check_model_against(schema, model)
                loaded.append(model)
            return loaded[0]

        if engine is None and not embedding_model:
            # Read and segment in a helper process while the model loads here (see
            # parallel.iter_tasks_aside); predict here: the server, not us, is the bottleneck.
            tasks = parallel.iter_tasks_aside(articles, ready_model, errors=errors, strict=strict,
                                              skip_roles=tuple(skip_roles))
        else:
            from workbench.text.articles import iter_articles

            model = ready_model()
            tasks = parallel.iter_tasks(iter_articles(articles, errors=errors, strict=strict),
                                        model, engine or auto_engine(model),
                                        skip_roles=tuple(skip_roles))
        version_set: list = []

        def set_version() -> None:  # as soon as the version exists in the project
            model = ready_model()
            if model is not None:
                studio.set_model_version(pid, model.model_version)
                version_set.append(True)

        report = studio.import_tasks(pid, tasks, progress=progress, batch_size=batch_size,
                                     on_first_import=set_version)
    model = ready_model()
    version = model.model_version if model is not None else None
    if version and not version_set:  # nothing was imported: the version may still be new here
        studio.set_model_version(pid, version)
    return pid, report, version
