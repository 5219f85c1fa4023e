"""The ML backend connected to a real Label Studio: predictions, retraining, versions, queue."""

from __future__ import annotations

import json
import threading

import pytest

from conftest import DATA, copy_article, run_workbench, wait_until

pytestmark = pytest.mark.integration

ARTICLES = sorted((DATA / "gold" / "en").glob("en-0[1-4]-*.txt"))


run = run_workbench


def gold_labels() -> dict[str, str]:
    labels = {}
    for txt in ARTICLES:
        for line in txt.with_suffix(".gold.jsonl").read_text().splitlines():
            row = json.loads(line)
            labels[row["text"]] = row["label"]
    return labels


def weak_base_model(path):
    """A deliberately poor starting model (two labels, a handful of sentences)."""
    from workbench.claims.classifier import save_model, train
    from workbench.core.jsonl import read_jsonl

    rows = read_jsonl(DATA / "train_en.jsonl")
    picked = [r for r in rows if r["label"] == "not_a_claim"][:4] + \
             [r for r in rows if r["label"] == "opinion"][:4]
    return save_model(train(picked, folds=0, warn=lambda m: None), path)


def hold_training(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make the backend's trainings wait, before pulling labels, until `release` is set."""
    from workbench.backend import learning

    pulling, release = threading.Event(), threading.Event()
    pull_records = learning.pull_records

    def held(*args, **kwargs):
        pulling.set()
        release.wait(120)  # bounded: a webhook that waits for training fails, never hangs
        return pull_records(*args, **kwargs)

    monkeypatch.setattr(learning, "pull_records", held)
    return pulling, release


def predictions_by_task(studio, pid) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for pred in studio.project_predictions(pid):
        out.setdefault(pred["task"], []).append(pred)
    return out


def test_connected_backend_predicts_retrains_and_publishes(label_studio, studio, project_name,
                                                          tmp_path, monkeypatch):
    from workbench.core.labels import label_to_choice
    from workbench.backend.server import create_app, start_in_thread
    from workbench.studio.ml import ml_backends, retrieve_predictions, train_ml_backend
    from workbench.studio.views import list_views

    env = label_studio.env()
    articles = [str(copy_article(p, tmp_path)) for p in ARTICLES]
    run(["push", *articles[:3], "--project", project_name, "--no-predictions"], env, tmp_path)
    pid = studio.project_id(project_name)
    assert not studio.project(pid).get("model_version")

    base = weak_base_model(tmp_path / "base.joblib")
    models_dir = tmp_path / "models"
    pulling, release = hold_training(monkeypatch)
    app = create_app(tmp_path / "base.joblib", project=pid, studio=studio, retrain_every=10_000,
                     models_dir=models_dir, min_heldout=3)
    backend = app.state.backend
    server = start_in_thread(app)
    try:
        # connect: registered, predictions fetched by Label Studio, the served version shown.
        done = run(["connect", "--project", project_name, "--url", server.url], env, tmp_path)
        assert base.model_version in done.stdout
        assert studio.project(pid)["model_version"] == base.model_version  # not the title
        (registered,) = ml_backends(studio, pid)
        tasks = list(studio.iter_tasks(pid))
        # Asking again through the Data Manager action adds nothing: all are there already.
        retrieve_predictions(studio, pid)
        preds = predictions_by_task(studio, pid)
        assert set(preds) == {t["id"] for t in tasks}
        for task_preds in preds.values():
            (pred,) = task_preds
            assert pred["model_version"] == base.model_version
            (item,) = pred["result"]
            assert item["from_name"] == "claim_type" and 0 < pred["score"] <= 1

        # Annotators label every task (gold labels stand in for their answers).
        labels = gold_labels()
        for task in tasks:
            label = labels.get(task["data"]["text"], "verifiable_fact")
            studio.create_annotation(task["id"], [{
                "from_name": "claim_type", "to_name": "text", "type": "choices",
                "value": {"choices": [label_to_choice(label)]}}])

        # Label Studio's own train button sends START_TRAINING; the webhook answers at once:
        # Label Studio has its answer while the training is still held before its pull.
        train_ml_backend(studio, registered["id"])
        status = backend.training_status(pid)
        assert status["running"] and status["last"] is None, status
        wait_until(pulling.is_set, 60, "the training never started pulling the labels")
        release.set()
        assert backend.wait_idle(pid, 300), "training did not finish in 5 minutes"
        last = backend.training_status(pid)["last"]
        assert last["status"].startswith("swapped to "), last
        new = last["model_version"]
        assert new != base.model_version and new.startswith(f"p{pid}-v1-")
        assert studio.project(pid)["model_version"] == new
        assert studio.model_versions(pid)[new] == len(tasks)

        # The next predictions come from the new version: a new article, retrieved by Label Studio.
        run(["push", articles[3], "--project", project_name, "--no-predictions"], env, tmp_path)
        fresh = [t["id"] for t in studio.iter_tasks(pid) if t["id"] not in preds]
        assert fresh
        retrieve_predictions(studio, pid, fresh)
        after = predictions_by_task(studio, pid)
        assert all([p["model_version"] for p in after[t]] == [new] for t in fresh)

        # The operator's view of it: versions with metrics, and the uncertainty-first queue.
        listed = run(["models", "--project", project_name, "--models-dir", str(models_dir)],
                     env, tmp_path)
        assert new in listed.stdout and "held-out macro-F1" in listed.stdout
        queued = run(["queue", "--project", project_name, "--models-dir", str(models_dir)],
                     env, tmp_path)
        assert "Uncertainty sampling" in queued.stdout
        project = studio.project(pid)
        assert project["sampling"] == "Uncertainty sampling" and project["model_version"] == new
        views = list_views(studio, pid)
        (view,) = [v for v in views if v["data"].get("title") == "Uncertainty first"]
        assert view["data"]["ordering"] == ["-tasks:data.uncertainty"]
        assert view["data"]["columnsDisplayType"] == {"tasks:data.uncertainty": "Number"}
        for task in studio.iter_tasks(pid):
            assert task["data"]["uncertainty_version"] == new
            assert 0 <= task["data"]["uncertainty"] <= 1
        # Running it again changes nothing.
        again = run(["queue", "--project", project_name, "--models-dir", str(models_dir)],
                    env, tmp_path)
        assert "0 predictions added, 0 uncertainties written" in again.stdout
    finally:
        server.stop()


def test_connect_explains_unreachable_backends(label_studio, studio, project_name, tmp_path,
                                               example_articles):
    from workbench.studio.local import free_port

    env = label_studio.env()
    run(["push", str(example_articles[0]), "--project", project_name, "--no-predictions"], env,
        tmp_path)
    url = f"http://127.0.0.1:{free_port(0)}"
    done = run(["connect", "--project", project_name, "--url", url], env, tmp_path, check=False)
    assert done.returncode == 4
    (line,) = [l for l in done.stderr.splitlines() if l.startswith("error:")]
    assert url in line and "ML_BLOCK_LOCAL_IP=false" in line and "SSRF_PROTECTION_ENABLED=false" in line
