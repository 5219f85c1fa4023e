"""Benchmark the ML backend's /predict: latency for 1, 100 and 1,000 tasks per request.

Usage:
    python scripts/bench_predict.py            # print the report
    python scripts/bench_predict.py --write    # also write benchmarks/predict.md

The model is trained here with `workbench.claims.classifier.train` on our own training sentences
(tests/data/train_en.jsonl and train_fr.jsonl); the backend runs as `workbench serve` runs it
(Starlette under uvicorn, one process) on a free loopback port, and requests carry the full
Label Studio payload (tasks with the claims data fields, project, label_config, params) over
HTTP. Label Studio's default predict timeout is 100 s (ML_TIMEOUT_PREDICT).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = (1, 100, 1000)
LS_TIMEOUT = 100.0


def make_tasks(n: int, records: list[dict]) -> list[dict]:
    """Label Studio tasks shaped like the ones `workbench push` creates."""
    tasks = []
    for i in range(n):
        r = records[i % len(records)]
        tasks.append({"id": 10_000 + i, "project": 1, "data": {
            "text": r["text"], "sentence_id": f"s{i}", "article_id": r.get("article_id", "a"),
            "title": "A title", "context_before": "", "context_after": "", "index": i,
            "start": 0, "end": len(r["text"]), "role": "body", "lang": r.get("lang", "en")}})
    return tasks


def measure(url: str, body: dict, repeat: int) -> list[float]:
    import httpx

    times = []
    with httpx.Client(base_url=url, timeout=LS_TIMEOUT) as http:
        http.post("/predict", json=body).raise_for_status()  # warm-up
        for _ in range(repeat):
            started = time.perf_counter()
            answer = http.post("/predict", json=body)
            times.append(time.perf_counter() - started)
            answer.raise_for_status()
            assert len(answer.json()["results"]) == len(body["tasks"])
    return times


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Write benchmarks/predict.md.")
    parser.add_argument("--repeat", type=int, default=20, help="Requests per size (1,000: a quarter).")
    args = parser.parse_args(argv)

    from workbench.claims.classifier import save_model, train
    from workbench.core.jsonl import read_jsonl
    from workbench.studio.labelconfig import read_config
    from workbench.backend.server import create_app, start_in_thread

    records = read_jsonl(ROOT / "tests" / "data" / "train_en.jsonl") + \
        read_jsonl(ROOT / "tests" / "data" / "train_fr.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        model = save_model(train(records, folds=0, warn=lambda m: None), Path(tmp) / "bench.joblib")
        train_seconds = time.perf_counter() - started
        server = start_in_thread(create_app(Path(tmp) / "bench.joblib"))
        rows = []
        try:
            for n in SIZES:
                body = {"tasks": make_tasks(n, records), "project": "1.1700000000",
                        "label_config": read_config(),
                        "params": {"login": None, "password": None, "context": None}}
                repeat = max(3, args.repeat // 4) if n >= 1000 else args.repeat
                times = sorted(measure(server.url, body, repeat))
                p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
                rows.append((n, repeat, statistics.median(times), p95, times[-1]))
        finally:
            server.stop()

    lines = [
        "# /predict latency benchmark", "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, one backend process "
        f"(Starlette + uvicorn) on loopback. Model: `workbench.claims.classifier.train` on "
        f"{len(records)} sentences (trained in {train_seconds:.1f} s), version "
        f"`{model.model_version}`. Each request carries the full Label Studio payload (tasks, "
        f"project, label_config, params). Produced by `python scripts/bench_predict.py --write`.",
        "",
        "| tasks per request | requests | median s | p95 s | max s | ms per task (median) | "
        "share of Label Studio's 100 s timeout (max) |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, repeat, median, p95, worst in rows:
        lines.append(f"| {n} | {repeat} | {median:.3f} | {p95:.3f} | {worst:.3f} | "
                     f"{1000 * median / n:.2f} | {100 * worst / LS_TIMEOUT:.2f}% |")
    per_task = rows[-1][2] / rows[-1][0]
    lines += ["", f"At {1000 * per_task:.2f} ms per task, one request stays under Label Studio's "
                  f"100 s predict timeout up to about {int(LS_TIMEOUT / per_task):,} tasks; "
                  f"`workbench connect` asks Label Studio for predictions 1,000 tasks at a time, "
                  f"and /predict refuses more than 100,000 tasks in one request (413)."]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        out = ROOT / "benchmarks" / "predict.md"
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
