"""Check first, against a real Label Studio: worthiness scores and checked-claim matches in task
data, the "Check first" tab, and the annotator's worthiness label back through pull."""

from __future__ import annotations

import json
import pytest

from conftest import DATA, run_workbench, view_tasks
from test_worthiness import claim_lines, records, write_lines

pytestmark = pytest.mark.integration

# Written for this test: an article whose sentences a desk would and would not check; the
# second restates a claim of tests/data/checked/sample_store.csv.
ARTICLE = """Budget municipal : la ville vote ses comptes

Le conseil municipal a adopté lundi soir le budget de l'année, en hausse de 4 % sur un an.
En 2024, le SMIC a progressé de 10 %, selon un élu de l'opposition.
« Nous avons réduit la dette de la ville de 12 millions d'euros en trois ans », a affirmé le maire.
La séance s'est terminée vers 23 heures, dans une salle à moitié vide.
Franchement, cette majorité manque cruellement d'ambition.
"""


def test_check_first_loop(label_studio, studio, project_name, tmp_path):
    env = label_studio.env(WORKBENCH_HOME=str(tmp_path / ".workbench"))  # no home store
    run = lambda args: run_workbench(args, env, tmp_path)  # noqa: E731
    lines = claim_lines() + [json.loads(line) for line in
                             (DATA / "train_fr.jsonl").read_text(encoding="utf-8").splitlines()[:160]]
    labels = write_lines(tmp_path / "labels.jsonl", lines + records())
    run(["train", str(labels), "-o", "m.joblib", "--no-learning-curve"])
    version = json.loads((tmp_path / "m.joblib.manifest.json").read_text())["model_version"]
    store = tmp_path / "store.sqlite"
    run(["checked", "add", str(DATA / "checked" / "sample_store.csv"), "--store", str(store)])
    (tmp_path / "budget.txt").write_text(ARTICLE, encoding="utf-8")

    run(["push", "budget.txt", "--project", project_name, "--model", "m.joblib",
         "--checked-store", str(store), "--checked-method", "tfidf"])
    pid = studio.project_id(project_name)
    tasks = {t["data"]["text"]: t for t in studio.iter_tasks(pid)}
    assert len(tasks) == 6
    for task in tasks.values():  # the score and the match in every task's data
        data = task["data"]
        assert 0.0 <= data["worthiness"] <= 1.0 and "checked_match" in data
        (pred,) = studio.predictions(task["id"])
        worth = [r for r in pred["result"] if r["from_name"] == "check_worthy"]
        assert len(worth) == 1 and worth[0]["score"] == pytest.approx(data["worthiness"], abs=1e-3)
        assert worth[0]["value"]["choices"][0] in ("Worth checking", "Not worth checking")
    smic = tasks["En 2024, le SMIC a progressé de 10 %, selon un élu de l'opposition."]["data"]
    assert smic["checked_claim"] == "Le SMIC a augmenté de 10 % en 2024."
    assert smic["checked_verdict"] == "misleading" and smic["checked_similarity"] >= 0.3
    assert "misleading" in smic["checked_match"] and smic["checked_url"] in smic["checked_match"]

    # The Check first tab: facts and quotes only, highest score first.
    queued = run(["queue", "--project", project_name, "--model", "m.joblib", "--by", "worthiness"])
    assert "tab 'Check first'" in queued.stdout
    view = next(v for v in studio.call("tabs", studio.sdk.views.list, project=pid)
                if (v.data or {}).get("title") == "Check first")
    shown = view_tasks(label_studio, pid, view.id)
    everything = list(studio.iter_tasks(pid))
    checkable = [t for t in everything
                 if t["data"]["predicted_label"] in ("verifiable_fact", "attributed_quote")]
    assert 0 < len(checkable) < len(everything)  # the opinion is left out of the tab
    assert sorted(t["id"] for t in shown) == sorted(t["id"] for t in checkable)
    scores = [t["data"]["worthiness"] for t in shown]
    assert scores == sorted(scores, reverse=True)
    assert all(t["data"]["worthiness_version"] == version for t in everything)
    assert "0 worthiness scores written" in run(["queue", "--project", project_name, "--model",
                                                 "m.joblib", "--by", "worthiness"]).stdout

    # An annotator labels two sentences, one worth checking; pull brings both labels back.
    debt, late = shown[0], next(t for t in everything if "23 heures" in t["data"]["text"])
    for task, claim_type, worth in ((debt, "Attributed quote", "Worth checking"),
                                    (late, "Verifiable fact", "Not worth checking")):
        studio.create_annotation(task["id"], [
            {"from_name": "claim_type", "to_name": "text", "type": "choices",
             "value": {"choices": [claim_type]}},
            {"from_name": "check_worthy", "to_name": "text", "type": "choices",
             "value": {"choices": [worth]}}])
    out = tmp_path / "pulled.jsonl"
    run(["pull", "--project", project_name, "-o", str(out)])
    pulled = {r["text"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert pulled[debt["data"]["text"]]["check_worthy"] is True
    assert pulled[late["data"]["text"]]["check_worthy"] is False
    assert pulled[late["data"]["text"]]["label"] == "verifiable_fact"


def test_queue_by_worthiness_without_the_head_is_one_line(label_studio, project_name, tmp_path):
    env = label_studio.env(WORKBENCH_HOME=str(tmp_path / ".workbench"))  # no home store
    run = lambda args, check=True: run_workbench(args, env, tmp_path, check)  # noqa: E731
    run(["train", str(write_lines(tmp_path / "l.jsonl", claim_lines())), "-o", "c.joblib",
         "--no-learning-curve"])
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run(["push", "a.txt", "--project", project_name, "--model", "c.joblib"])
    done = run(["queue", "--project", project_name, "--model", "c.joblib", "--by", "worthiness"],
               check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "has no check-worthiness head" in done.stderr

