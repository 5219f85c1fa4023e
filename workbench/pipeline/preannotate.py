"""One pre-annotation pipeline: articles -> tasks with predictions, for a push or for files.

`push` sends what `iter_preannotated` yields to Label Studio; `preannotate -o` writes the
same tasks to import files. Where the work runs is an `Engine`: by default one process
for a fast model (a push waits on Label Studio's import, which one core outpaces) and
every core for a model with sentence embedding (tens of sentences per second per core).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.core.jsonstream import write_array, write_chunks
from workbench.core.records import Article
from workbench.pipeline.engine import Engine, iter_article_batches, map_batches, task_batch
from workbench.text.articles import iter_articles


def load_model(model_path: Path | str | None = None):
    """The trained model at `model_path`, else the cold-start rules.

    A trained model loads from its arrays when it has them (hash-checked, numpy only,
    ~15 ms); the rules load without scikit-learn.
    """
    if not model_path:
        from workbench.claims.coldstart import cold_start_model  # no scikit-learn: fast start

        return cold_start_model()
    from workbench.claims.loading import load_predictor

    return load_predictor(Path(model_path))


def uses_embeddings(options: dict | None) -> bool:
    """Whether a model's classifier options (its manifest's "options") add sentence embeddings."""
    return bool((options or {}).get("embeddings"))


def default_engine(model) -> Engine:
    """Where to segment and predict when the caller does not say: decided by the model.

    A push is bound by Label Studio's import, one bulk request at a time (~1,300 tasks/s
    measured on two cores), which one core of ours outpaces (~5,000 tasks/s segmented and
    predicted with the default model): a pool of workers buys nothing there and takes CPU
    from a server on the same machine (benchmarks/bench.md). A model with sentence
    embeddings predicts ~30-60 sentences/s per core, so there every core is used.
    """
    slow = model is not None and uses_embeddings(model.manifest.get("options"))
    return Engine(jobs=-1 if slow else 1)


def iter_preannotated(articles: Iterable[Article], model=None, engine: Engine | None = None, *,
                      skip_roles: Iterable[str] = (), context: int = 1,
                      checked=None) -> Iterator[dict]:
    """Tasks (with the model's predictions when `model` is given) for articles, in order.

    Batches never change a task or a prediction: the output is the same on one process,
    on every core or on a Dask cluster. With `checked` (a `workbench.checked.matching.
    ClaimMatcher`), each sentence's best match among the claims already checked goes into its
    data (matched here, in the command's process, where the store's index lives).
    """
    engine = engine or default_engine(model)
    shared = {"model": model, "skip_roles": tuple(skip_roles), "context": context}
    tasks = (task for batch in map_batches(task_batch, iter_article_batches(articles, engine.batch_chars),
                                           engine, **shared) for task in batch)
    if checked is not None:
        from workbench.checked.matching import iter_with_matches

        tasks = iter_with_matches(tasks, checked)
    yield from tasks


@dataclass(frozen=True)
class Written:
    """What was written: how many tasks, in which files, with which model's predictions."""

    tasks: int
    files: tuple[Path, ...]
    model_version: str | None = None


def write_tasks(tasks: Iterable[dict], output: Path, chunk_size: int | None = None) -> Written:
    """Write tasks as one Label Studio import file, or files of `chunk_size` tasks each."""
    if chunk_size:
        files = write_chunks(tasks, output, chunk_size)
        return Written(sum(n for _path, n in files), tuple(path for path, _n in files))
    return Written(write_array(tasks, output), (Path(output),))


def preannotate_to_file(paths: Iterable, output: Path, model=None, *, engine: Engine | None = None,
                        skip_roles: Iterable[str] = (), strict: bool = False,
                        errors: list | None = None, chunk_size: int | None = None,
                        checked=None) -> Written:
    """Articles (paths, folders, globs) to pre-annotated Label Studio import files (with
    `checked`, a `ClaimMatcher`, each sentence's best match among the claims already checked)."""
    articles = iter_articles(paths, errors=errors, strict=strict)
    tasks = iter_preannotated(articles, model, engine or Engine(), skip_roles=skip_roles,
                              checked=checked)
    written = write_tasks(tasks, output, chunk_size)
    return replace(written, model_version=model.model_version if model is not None else None)
