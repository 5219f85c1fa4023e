"""Segmentation and prediction on every core (joblib) or on a Dask cluster, streamed in order.

Articles are read in this process and sent to the workers in bounded batches; each
worker segments its batch, builds the tasks and predicts them, and the results come back
in input order. Only a few batches are in flight at a time, so memory stays flat however
big the corpus. The output is the same as the single-process pipeline
(`iter_predicted(iter_tasks(...))`): batching never changes a task or a prediction.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

from workbench.core.errors import ConfigError
from workbench.core.records import Article, Sentence
from workbench.studio.predictions import iter_predicted
from workbench.studio.tasks import iter_article_tasks
from workbench.text.segment import segment_article

log = logging.getLogger(__name__)

BACKENDS = ("local", "dask")
# About 2,000 sentences of news text: big enough that sending the batch and its results
# costs little next to predicting it, small enough that a few in flight stay a few MB.
BATCH_CHARS = 250_000
# Starting worker processes costs about a second (each imports the pipeline): an input
# of fewer batches than this (the first ones are smaller: ~4 full batches, ~8,000 sentences)
# is done in this process, where it takes about as long.
MIN_POOL_BATCHES = 6


@dataclass(frozen=True)
class Engine:
    """Where segmentation and prediction run.

    `backend` is "local" (joblib processes on this machine) or "dask" (a Dask cluster:
    the one at `scheduler`, e.g. tcp://host:8786, else a LocalCluster started for the run).
    `jobs` follows joblib: -1 every core, -2 all but one, N exactly N (1: no extra process);
    on Dask it sizes the LocalCluster only. `batch_chars` bounds the text in one batch;
    locally, an input of fewer than `min_pool_batches` batches stays in this process.
    """

    backend: str = "local"
    jobs: int = -1
    scheduler: str | None = None
    batch_chars: int = BATCH_CHARS
    min_pool_batches: int = MIN_POOL_BATCHES

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown backend {self.backend!r}; use one of: {', '.join(BACKENDS)}")
        if self.jobs == 0:
            raise ConfigError("--jobs 0 means no worker; use -1 (every core), N, or 1")
        if self.scheduler and self.backend != "dask":
            raise ConfigError("a scheduler address needs --backend dask")
        if self.batch_chars < 1:
            raise ConfigError(f"batch_chars must be positive, not {self.batch_chars}")

    @property
    def n_workers(self) -> int:
        """The number of local processes `jobs` stands for on this machine."""
        import joblib

        cores = joblib.cpu_count()
        return max(1, self.jobs if self.jobs > 0 else cores + 1 + self.jobs)


def iter_article_batches(articles: Iterable[Article], batch_chars: int = BATCH_CHARS,
                         first_chars: int | None = None) -> Iterator[list[Article]]:
    """Group articles into lists of about `batch_chars` characters (never splitting one).

    The first batch holds about `first_chars` (default: an eighth of `batch_chars`) and
    each next one twice as many, up to `batch_chars`: the first tasks come out within a
    fraction of a second, so a push starts importing at once.
    """
    limit = min(batch_chars, first_chars or max(1, batch_chars // 8))
    batch: list[Article] = []
    size = 0
    for article in articles:
        batch.append(article)
        size += len(article.text)
        if size >= limit:
            yield batch
            batch, size = [], 0
            limit = min(batch_chars, 2 * limit)
    if batch:
        yield batch


# -- the work done on one batch (runs in a worker) -------------------------------------------

def segment_batch(articles: list[Article]) -> list[Sentence]:
    """The sentences of a batch of articles, in order."""
    return [s for article in articles for s in segment_article(article)]


def task_batch(articles: list[Article], model=None, skip_roles: tuple = (),
               context: int = 1) -> list[dict]:
    """The tasks of a batch of articles, with the model's predictions when a model is given."""
    tasks = list(iter_article_tasks(articles, segment_article, context=context, skip_roles=skip_roles))
    if model is None or not tasks:
        return tasks
    return list(iter_predicted(tasks, model, batch_size=len(tasks)))


# -- running batches ---------------------------------------------------------------------------

class _ByFile:
    """A value that worker processes load from a file once, instead of receiving it per batch."""

    def __init__(self, path: str):
        self.path = path


@lru_cache(maxsize=4)
def _load_file(path: str):
    import joblib

    return joblib.load(path)


def _call(func: Callable, batch, shared: dict):
    """Run `func` on a batch in a worker, with the values shipped by file loaded (once)."""
    return func(batch, **{k: _load_file(v.path) if isinstance(v, _ByFile) else v
                          for k, v in shared.items()})


@contextmanager
def shipped_by_file(shared: dict, min_bytes: int = 1 << 20):
    """`shared` with its big values (a model: megabytes) written once to a private temp file.

    joblib pickles a task's arguments for every batch; a model of a few MB sent with each
    batch of 2,000 sentences would cost a quarter of the prediction time.
    """
    import pickle
    import tempfile

    import joblib

    with tempfile.TemporaryDirectory(prefix="workbench-shared-") as tmp:
        light = {}
        for key, value in shared.items():
            if value is not None and len(pickle.dumps(value, protocol=5)) >= min_bytes:
                path = Path(tmp) / f"{key}.joblib"
                joblib.dump(value, path)
                light[key] = _ByFile(str(path))
            else:
                light[key] = value
        yield light


class _Done:
    """A batch computed in this process, queued like a worker's future."""

    def __init__(self, value):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self):
        return self.value


def _warm_up(shared: dict) -> None:
    """Load the shipped values in a worker (importing this module imported the pipeline)."""
    for value in shared.values():
        if isinstance(value, _ByFile):
            _load_file(value.path)


def _map_local(func: Callable, batches: Iterable, shared: dict, n_workers: int) -> Iterator:
    """Batches on a pool of processes; until a worker is ready they run here, in order.

    Workers take a second or more to start (each imports the pipeline and loads the model), so
    nothing waits for them: the first batches are done here meanwhile, and from the moment
    a worker is warm every batch goes to the pool, at most two per worker in flight.
    """
    from joblib.externals.loky import get_reusable_executor

    one_thread = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                         "MKL_NUM_THREADS")}
    executor = get_reusable_executor(max_workers=n_workers, timeout=300, env=one_thread)
    with shipped_by_file(shared) as light:
        warm = [executor.submit(_warm_up, light) for _ in range(n_workers)]
        pending: deque = deque()
        for batch in batches:
            if any(f.done() for f in warm):
                pending.append(executor.submit(_call, func, batch, light))
            else:
                pending.append(_Done(func(batch, **shared)))
            while pending and (pending[0].done() or len(pending) > 2 * n_workers):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@contextmanager
def dask_client(scheduler: str | None = None, n_workers: int = 1):
    """A Dask client: to the scheduler at `scheduler`, else to a LocalCluster for this run."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("--backend dask needs Dask: pip install 'workbench[dask]'") from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); check the "
                              f"address (tcp://HOST:8786) and that the scheduler runs") from None
        try:
            yield client
        finally:
            client.close()
        return
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        with Client(cluster) as client:
            yield client


def map_batches(func: Callable, batches: Iterable, engine: Engine, **shared) -> Iterator:
    """`func(batch, **shared)` for each batch, in input order, with a bounded number in flight.

    Local: joblib's (loky) process pool, warmed up while the first batches run here; one
    job, or a small input, runs here only. Dask: joblib's Dask backend, which sends
    `shared` values (such as the model) to the cluster only once.
    """
    from joblib import Parallel, delayed, parallel_config

    batches = iter(batches)
    if engine.backend == "local":
        head = list(islice(batches, engine.min_pool_batches))
        if engine.n_workers == 1 or len(head) < engine.min_pool_batches:
            yield from (func(batch, **shared) for batch in chain(head, batches))
            return
        yield from _map_local(func, chain(head, batches), shared, engine.n_workers)
        return
    calls = (delayed(func)(batch, **shared) for batch in batches)
    with dask_client(engine.scheduler, engine.n_workers) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        log.info("running on Dask at %s (%d workers)", client.scheduler.address, workers)
        with parallel_config(backend="dask", n_jobs=-1):
            yield from Parallel(return_as="generator", pre_dispatch=f"{2 * workers}")(calls)


def iter_sentences(articles: Iterable[Article], engine: Engine | None = None) -> Iterator[Sentence]:
    """The sentences of a stream of articles, segmented in parallel, in input order."""
    engine = engine or Engine()
    for sentences in map_batches(segment_batch, iter_article_batches(articles, engine.batch_chars),
                                 engine):
        yield from sentences
