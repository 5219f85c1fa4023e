"""An operator's day, as the README tells it, from a folder outside the checkout."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, REPO, run_main
from workbench.core.labels import label_to_choice

pytestmark = pytest.mark.integration


def on_path(env: dict) -> dict:
    """The environment after `source .venv/bin/activate`, as the README says."""
    bin_dir = str(Path(sys.executable).parent)
    return {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", ""),
            "VIRTUAL_ENV": str(Path(bin_dir).parent)}


def wb(args, env, cwd, check=True):
    done = subprocess.run(["workbench", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    if check and done.returncode != 0:
        pytest.fail(f"workbench {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n"
                    f"{done.stderr}")
    return done


def test_the_readme_workflow_from_another_folder(label_studio, studio, tmp_path, project_name,
                                                 example_articles):
    assert not tmp_path.is_relative_to(REPO)
    env = on_path(label_studio.env(HOME=str(tmp_path / "home")))
    assert shutil.which("workbench", path=env["PATH"]).startswith(str(Path(sys.executable).parent))
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in example_articles:
        shutil.copy(path, articles / path.name)

    pushed = wb(["push", "articles/", "--project", project_name], env, tmp_path)
    assert "tasks created" in pushed.stdout
    pid = studio.project_id(project_name)
    tasks = list(studio.iter_tasks(pid))
    assert tasks and all("/" not in t["data"].get("source", "") for t in tasks)
    # annotators label a few sentences
    train = [json.loads(line) for line in (DATA / "train_en.jsonl").read_text().splitlines()]
    labels = ["verifiable_fact", "opinion", "attributed_quote", "not_a_claim"]
    for i, task in enumerate(tasks[:12]):
        studio.create_annotation(task["id"], [{
            "from_name": "claim_type", "to_name": "text", "type": "choices",
            "value": {"choices": [label_to_choice(labels[i % 4])]}}])
    pulled = wb(["pull", "--project", project_name, "-o", "labels.jsonl"], env, tmp_path)
    assert "12 labelled sentences" in pulled.stdout and "no agreement to report" in pulled.stdout
    with open(tmp_path / "labels.jsonl", "a", encoding="utf-8") as out:  # plus earlier labels
        for row in train:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    wb(["train", "labels.jsonl", "-o", "claims.joblib", "--no-learning-curve"], env, tmp_path)
    evaluated = wb(["evaluate", "--model", "claims.joblib", "labels.jsonl", "--errors", "3"],
                   env, tmp_path)
    assert "macro-F1" in evaluated.stdout and "most confident mistakes" in evaluated.stdout
    again = wb(["push", "articles/", "--project", project_name, "--model", "claims.joblib"],
               env, tmp_path)
    assert "0 tasks created" in again.stdout and "predictions attached" in again.stdout
    listed = wb(["projects", "--json"], env, tmp_path)
    (row,) = [p for p in json.loads(listed.stdout)["projects"] if p["id"] == pid]
    assert row["tasks"] == len(tasks) and row["annotations"] == 12
    assert row["model_version"].startswith("claims-")


def test_nothing_is_created_before_the_input_is_checked(label_studio, studio, tmp_path,
                                                        project_name):
    env = label_studio.env()
    done = subprocess.run([sys.executable, "-m", "workbench", "push", "missing.txt",
                           "--project", project_name], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "missing.txt" in done.stderr
    assert "nothing was created" in done.stderr
    assert studio.find_project(project_name) is None
    (tmp_path / "bad.joblib").write_bytes(b"junk")
    (tmp_path / "a.txt").write_text("Titre\n\nUne phrase ici.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "workbench", "push", "a.txt", "--model",
                           "bad.joblib", "--project", project_name], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 3 and studio.find_project(project_name) is None


def test_projects_delete_asks_and_protects_annotations(label_studio, studio, tmp_path,
                                                       project_name, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for key, value in label_studio.env().items():
        if key.startswith("LABEL_STUDIO_"):
            monkeypatch.setenv(key, value)
    (tmp_path / "a.txt").write_text("Titre\n\nLe conseil a voté mardi. Le maire a démissionné.\n",
                                    encoding="utf-8")
    assert run_main(["push", "a.txt", "--project", project_name], capsys)[0] == 0
    pid = studio.project_id(project_name)
    task = next(iter(studio.iter_tasks(pid)))
    studio.create_annotation(task["id"], [{"from_name": "claim_type", "to_name": "text",
                                           "type": "choices",
                                           "value": {"choices": ["Verifiable fact"]}}])
    code, _, err = run_main(["projects", "delete", project_name], capsys)  # nobody to answer
    assert code == 2 and "--yes" in err and studio.find_project(project_name) == pid
    code, _, err = run_main(["projects", "delete", project_name, "--yes"], capsys)
    assert code == 2 and "1 annotations" in err and "--force" in err
    assert studio.find_project(project_name) == pid
    code, out, _ = run_main(["projects", "delete", project_name, "--yes", "--force"], capsys)
    assert code == 0 and f"deleted project {project_name!r}" in out
    assert studio.find_project(project_name) is None


def test_vv_logs_our_requests_without_cookies_or_keys(label_studio, tmp_path, project_name):
    env = label_studio.env()
    (tmp_path / "a.txt").write_text("Titre\n\nUne phrase ici.\n", encoding="utf-8")
    run = lambda *args: subprocess.run([sys.executable, "-m", "workbench", *args], env=env,  # noqa: E731
                                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    one = run("-v", "push", "a.txt", "--project", project_name)
    assert one.returncode == 0, one.stderr
    assert "INFO workbench.pipeline.push: project" in one.stderr and "push to project" in one.stderr
    assert "workbench.http" not in one.stderr
    two = run("-vv", "pull", "--project", project_name, "-o", "x.jsonl")
    assert two.returncode == 0, two.stderr
    http = [line for line in two.stderr.splitlines() if "workbench.http" in line]
    assert any(" GET /api/" in line and " 200 " in line for line in http), two.stderr[-2000:]
    assert "httpcore" not in two.stderr  # third-party debug only at -vvv
    three = run("-vvv", "pull", "--project", project_name, "-o", "x.jsonl")
    assert three.returncode == 0
    for text in (one.stderr, two.stderr, three.stderr):
        assert label_studio.api_key not in text
        assert "sessionid=" not in text.replace("sessionid=***", "")
        assert "csrftoken=" not in text.replace("csrftoken=***", "")


def test_the_redaction_filter_hides_cookies_and_headers():
    from workbench.cli import RedactSecrets

    record = logging.LogRecord("httpcore", logging.DEBUG, __file__, 1,
                               "receive_response_headers.complete return_value=(b'HTTP/1.1', 200, "
                               "[(b'Set-Cookie', b'sessionid=abc123secret; Path=/'), "
                               "(b'Authorization', b'Token deadbeefdeadbeef')])", None, None)
    RedactSecrets([]).filter(record)
    message = record.getMessage()
    assert "abc123secret" not in message and "deadbeefdeadbeef" not in message


def test_queue_works_right_after_serve_in_the_readmes_order(label_studio, studio, tmp_path,
                                                             project_name):
    """serve (which records its base model), connect, then queue: no retrained version needed."""
    from workbench.backend.server import create_app
    from workbench.claims.classifier import save_model, train
    from workbench.core.jsonl import read_jsonl

    env = label_studio.env()
    (tmp_path / "a.txt").write_text("Titre\n\nLe conseil a voté mardi. C'est une erreur.\n",
                                    encoding="utf-8")
    run = lambda *args: subprocess.run([sys.executable, "-m", "workbench", *args], env=env,  # noqa: E731
                                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run("push", "a.txt", "--project", project_name).returncode == 0
    base = save_model(train(read_jsonl(DATA / "train_fr.jsonl"), folds=0, warn=lambda m: None),
                      tmp_path / "base.joblib")
    models = tmp_path / "models"
    create_app(tmp_path / "base.joblib", project=studio.project_id(project_name), studio=studio,
               models_dir=models)  # what `workbench serve` builds
    queued = run("queue", "--project", project_name, "--models-dir", str(models))
    assert queued.returncode == 0, queued.stderr
    assert f"ranked by {base.model_version}" in queued.stdout
    assert studio.project(studio.project_id(project_name))["model_version"] == base.model_version
