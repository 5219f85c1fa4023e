"""Parallel and distributed runs give the single-process output; files stream in and out."""

from __future__ import annotations

import io
import json
import random
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from workbench.text.articles import iter_articles
from workbench.claims.coldstart import cold_start_model
from workbench.claims.modelfile import Model
from workbench.cli import cli
from workbench.core.errors import InputError
from workbench.core.jsonstream import chunk_path, iter_array, write_chunks
from workbench.pipeline.engine import Engine, iter_article_batches, iter_sentences
from workbench.pipeline.preannotate import iter_preannotated
from workbench.studio.predictions import iter_predicted
from workbench.text.segment import iter_sentences as serial_sentences
from workbench.text.segment import segment_article
from workbench.studio.tasks import iter_article_tasks as serial_tasks

# Small batches so a small corpus still spreads over several workers and batches.
SMALL = {"batch_chars": 4000, "min_pool_batches": 1}


def own_records() -> list[dict]:
    return [json.loads(line) for name in ("train_en.jsonl", "train_fr.jsonl")
            for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """About 1,200 sentences in 40 articles assembled from our own training sentences."""
    rng = random.Random(5)
    pool = [r["text"] for r in own_records() if r["text"].rstrip().endswith((".", "!", "?"))]
    folder = tmp_path_factory.mktemp("corpus")
    for a in range(40):
        body = [rng.choice(pool) for _ in range(30)]
        text = f"Report number {a}\n\n" + "\n\n".join(" ".join(body[i:i + 5]) for i in range(0, 30, 5))
        (folder / f"article-{a:03d}.txt").write_text(text + "\n", encoding="utf-8")
    return sorted(str(p) for p in folder.glob("*.txt"))


@pytest.fixture(scope="module")
def trained() -> Model:
    """A small trained classifier (not the rules), so real probabilities cross processes."""
    from workbench.claims.estimator import make_classifier

    from threadpoolctl import threadpool_limits

    records = own_records()[::4]
    # one BLAS thread: on a busy 2-core machine OpenBLAS threads spin against each other
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        estimator = make_classifier(cv=2).fit(records, [r["label"] for r in records])
    return Model(estimator, {"model_version": "test-parallel"})


def serial(paths, model):
    return list(iter_predicted(serial_tasks(iter_articles(paths), segment_article), model))


def test_batches_keep_every_article_in_order(corpus):
    articles = list(iter_articles(corpus))
    batches = list(iter_article_batches(articles, 4000))
    assert len(batches) > 5 and [a for b in batches for a in b] == articles


def test_batches_start_small_then_grow_to_the_limit(corpus):
    articles = list(iter_articles(corpus)) * 3
    longest = max(len(a.text) for a in articles)
    batches = list(iter_article_batches(articles, 40_000, 5_000))
    assert [a for b in batches for a in b] == articles
    sizes = [sum(len(a.text) for a in b) for b in batches]
    limits = [5_000, 10_000, 20_000] + [40_000] * len(sizes)
    assert len(sizes) > 4
    for size, limit in zip(sizes[:-1], limits):  # each batch closes on its limit
        assert limit <= size < limit + longest
    assert len(batches[0]) < len(batches[3])  # the first tasks come out after a few articles


def test_the_push_pipeline_in_one_process_gives_the_serial_output(corpus, trained, tmp_path):
    # What a push runs by default (one process, the model loaded first): batching changes nothing.
    engine = Engine(jobs=1, batch_chars=4000)
    assert list(iter_preannotated(iter_articles(corpus), trained, engine)) == serial(corpus, trained)
    bare = list(iter_preannotated(iter_articles(corpus), None, engine))
    assert bare == list(serial_tasks(iter_articles(corpus), segment_article))
    # bad inputs reach the caller as they do anywhere: listed, or raised with strict
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    errors: list = []
    tasks = iter_preannotated(iter_articles([*corpus[:2], str(bad)], errors=errors), None, engine)
    assert len(list(tasks)) > 0
    assert len(errors) == 1 and "empty.txt" in str(errors[0])
    with pytest.raises(InputError, match="empty.txt"):
        list(iter_preannotated(iter_articles([str(bad), *corpus[:2]], strict=True), None, engine))


@pytest.mark.slow  # process pools or a local cluster start
def test_local_jobs_give_the_single_process_output(corpus, trained):
    expected = serial(corpus, trained)
    got = list(iter_preannotated(iter_articles(corpus), trained, Engine(jobs=2, **SMALL)))
    assert got == expected
    rules = cold_start_model()
    assert list(iter_preannotated(iter_articles(corpus), rules, Engine(jobs=2, **SMALL))) == serial(corpus, rules)
    sentences = list(iter_sentences(iter_articles(corpus), Engine(jobs=2, **SMALL)))
    assert sentences == list(serial_sentences(iter_articles(corpus)))


def test_one_job_and_small_inputs_stay_in_process(corpus, trained, monkeypatch):
    from workbench.pipeline import engine as parallel

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(parallel, "_map_local", no_pool)
    assert list(iter_preannotated(iter_articles(corpus), trained, Engine(jobs=1, **SMALL))) == serial(corpus, trained)
    assert list(iter_preannotated(iter_articles(corpus[:2]), trained, Engine(jobs=2))) == serial(corpus[:2], trained)


@pytest.mark.slow  # process pools or a local cluster start
def test_dask_local_cluster_gives_the_same_predictions(corpus, trained):
    pytest.importorskip("distributed")
    expected = serial(corpus, trained)
    got = list(iter_preannotated(iter_articles(corpus), trained, Engine(backend="dask", jobs=2, **SMALL)))
    assert got == expected
    assert [t["predictions"] for t in got] == [t["predictions"] for t in expected]


def test_engine_refuses_bad_settings():
    from workbench.core.errors import ConfigError

    with pytest.raises(ConfigError):
        Engine(backend="spark")
    with pytest.raises(ConfigError):
        Engine(jobs=0)
    with pytest.raises(ConfigError):
        Engine(scheduler="tcp://127.0.0.1:8786")


def test_chunked_preannotate_files_are_the_unchunked_output(corpus, tmp_path):
    runner = CliRunner()
    whole = runner.invoke(cli, ["preannotate", *corpus, "-o", str(tmp_path / "all.json"), "-j", "1"])
    assert whole.exit_code == 0, whole.output
    out = tmp_path / "chunks" / "tasks.json"
    done = runner.invoke(cli, ["preannotate", *corpus, "-o", str(out), "--chunk-size", "250",
                               "--jobs", "2"])
    assert done.exit_code == 0, done.output
    expected = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    files = sorted(out.parent.glob("tasks-*.json"))
    assert [f.name for f in files[:2]] == ["tasks-00001.json", "tasks-00002.json"]
    chunks = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    assert all(isinstance(c, list) and 0 < len(c) <= 250 for c in chunks)
    assert [t for c in chunks for t in c] == expected
    assert len(files) == -(-len(expected) // 250)


def test_write_chunks_edge_cases(tmp_path):
    assert write_chunks(iter([]), tmp_path / "t.json", 3) == []
    files = write_chunks(iter(range(6)), tmp_path / "t.json", 3)
    assert [(p.name, n) for p, n in files] == [("t-00001.json", 3), ("t-00002.json", 3)]
    assert chunk_path(Path("x/tasks"), 12).name == "tasks-00012.json"
    with pytest.raises(ValueError):
        write_chunks([1], tmp_path / "t.json", 0)


def sample_export() -> list:
    """An export shaped like Label Studio's: tasks with data, annotations and predictions."""
    rng = random.Random(3)
    tasks = []
    for i, r in enumerate(own_records()[:300]):
        tasks.append({
            "id": i + 1, "data": {"text": r["text"], "sentence_id": f"s{i}", "lang": r.get("lang"),
                                  "uncertainty": rng.random(), "index": i, "big": 10 ** 20 + i},
            "annotations": [{"id": 7 * i, "completed_by": {"email": "a@example.org"},
                             "result": [{"from_name": "claim_type", "to_name": "text",
                                         "type": "choices", "value": {"choices": ["Opinion"]}}],
                             "was_cancelled": i % 17 == 0, "lead_time": -1.5e-3 * i}],
            "predictions": [], "meta": {}, "file_upload": None, "total": True,
        })
    return tasks


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("read_size", [1, 7, 4096, 1 << 20])
def test_streaming_parser_equals_json_load(tmp_path, indent, read_size):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(sample_export(), indent=indent, ensure_ascii=False), encoding="utf-8")
    with open(path, encoding="utf-8") as f:
        expected = json.load(f)
    with open(path, encoding="utf-8") as f:
        assert list(iter_array(f, read_size=read_size)) == expected


@pytest.mark.parametrize("text", ["[1, 2.5e3, -7, \"x\", [], {}, null, true]", "[]", " [ ] ",
                                  "[123456789012345678901234567890]"])
def test_streaming_parser_on_scalars_and_empty_arrays(text):
    assert list(iter_array(io.StringIO(text), read_size=2)) == json.loads(text)


@pytest.mark.parametrize("text", ["", "{}", "[1,", "[1 2]", "[{\"a\": 1}", "[1]x", "[1,]"])
def test_streaming_parser_refuses_broken_files(text):
    with pytest.raises(InputError, match="not a complete JSON array"):
        list(iter_array(io.StringIO(text), where="export.json", read_size=3))


def test_segment_command_with_jobs_matches_one_job(corpus, tmp_path):
    runner = CliRunner()
    for jobs in ("1", "2"):
        done = runner.invoke(cli, ["segment", *corpus, "-o", str(tmp_path / f"s{jobs}.jsonl"),
                                   "--jobs", jobs])
        assert done.exit_code == 0, done.output
    assert (tmp_path / "s1.jsonl").read_bytes() == (tmp_path / "s2.jsonl").read_bytes()


def test_scheduler_needs_the_dask_backend(corpus):
    done = CliRunner().invoke(cli, ["segment", corpus[0], "--scheduler", "tcp://127.0.0.1:1"])
    assert done.exit_code == 2 and "--backend dask" in done.output
