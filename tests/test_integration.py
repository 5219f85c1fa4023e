"""The whole annotation loop against a real Label Studio, driven as annotators and operators would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, SEED_GOLD, copy_article, run_workbench

pytestmark = pytest.mark.integration


run = run_workbench


def gold_article(lang: str) -> tuple[Path, list[dict]]:
    """One of our own gold articles with its labelled sentences."""
    txt = sorted((DATA / "gold" / lang).glob("*.txt"))[0]
    gold = [json.loads(line) for line in txt.with_suffix(".gold.jsonl").read_text().splitlines()]
    return txt, gold


def count_sentences(paths) -> int:
    """How many sentences the workbench cuts these articles into."""
    from workbench.text.articles import iter_articles
    from workbench.text.segment import iter_sentences

    return sum(1 for _ in iter_sentences(iter_articles(paths, strict=True)))


def annotate(studio, pid, labels_by_text: dict[str, str]) -> int:
    """Submit one annotation per task whose text has a known label, as an annotator would."""
    from workbench.core.labels import label_to_choice

    n = 0
    for task in studio.iter_tasks(pid):
        label = labels_by_text.get(task["data"]["text"])
        if label is None:
            continue
        studio.create_annotation(task["id"], [{
            "from_name": "claim_type", "to_name": "text", "type": "choices",
            "value": {"choices": [label_to_choice(label)]}}])
        n += 1
    return n


def test_full_loop(label_studio, studio, project_name, tmp_path, seed_txt):
    env = label_studio.env()
    fr_txt, fr_gold = gold_article("fr")
    en_txt, en_gold = gold_article("en")
    seed_gold = [json.loads(line) for line in SEED_GOLD.read_text().splitlines()]
    articles = [str(seed_txt), str(copy_article(fr_txt, tmp_path)), str(copy_article(en_txt, tmp_path))]

    first = run(["push", *articles, "--project", project_name], env, tmp_path)
    pid = studio.project_id(project_name)
    expected = count_sentences(articles)
    tasks = list(studio.iter_tasks(pid))
    assert len(tasks) == expected, first.stdout
    assert f"{expected} tasks created, 0 already present" in first.stdout

    # Pushing the same articles again changes nothing.
    again = run(["push", *articles, "--project", project_name], env, tmp_path)
    assert "0 tasks created" in again.stdout and f"{expected} already present" in again.stdout
    assert len(list(studio.iter_tasks(pid))) == expected

    # Cold-start predictions are there, and the project shows their version.
    project = studio.project(pid)
    assert project["model_version"].startswith("rules-")
    one = tasks[0]
    preds = studio.predictions(one["id"])
    assert preds and preds[0]["model_version"] == project["model_version"]

    # Annotators label every sentence (our gold labels stand in for their answers).
    labels = {g["text"]: g["label"] for g in seed_gold + fr_gold + en_gold}
    for task in tasks:  # a sentence cut differently from the gold still gets an answer
        labels.setdefault(task["data"]["text"], "verifiable_fact" if task["data"]["role"] == "body"
                          else "not_a_claim")
    assert annotate(studio, pid, labels) == expected

    out = tmp_path / "labels.jsonl"
    run(["pull", "--project", project_name, "-o", str(out)], env, tmp_path)
    pulled = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(pulled) == expected
    assert {r["label"] for r in pulled} <= {"verifiable_fact", "opinion", "attributed_quote", "not_a_claim"}
    assert all(r["n_annotations"] == 1 and r["sentence_id"] for r in pulled)
    assert sum(r["label"] == labels[r["text"]] for r in pulled) == expected

    model = tmp_path / "claims.joblib"
    run(["train", str(out), "-o", str(model)], env, tmp_path)
    manifest = json.loads((tmp_path / "claims.joblib.manifest.json").read_text())
    version = manifest["model_version"]

    evaluation = run(["evaluate", "--model", str(model), str(out), "--json"], env, tmp_path)
    result = json.loads(evaluation.stdout.strip().splitlines()[-1])
    assert result["n"] == expected and 0 <= result["macro_f1"] <= 1

    # Re-pushing the labelled articles with the new model adds its predictions, no task.
    repush = run(["push", *articles, "--project", project_name, "--model", str(model)], env, tmp_path)
    assert "0 tasks created" in repush.stdout
    assert studio.model_versions(pid)[version] == expected
    assert studio.project(pid)["model_version"] == version

    # Pre-annotate a new article into the project with the trained model.
    new_txt = sorted((DATA / "gold" / "fr").glob("*.txt"))[1]
    new = copy_article(new_txt, tmp_path)
    run(["preannotate", str(new), "--model", str(model), "--project", project_name], env, tmp_path)
    assert studio.project(pid)["model_version"] == version
    fresh = [t for t in studio.iter_tasks(pid, include="id,data,predictions")
             if t["data"]["article_id"] == new.stem]
    assert len(fresh) == count_sentences([new])
    for task in fresh:
        preds = studio.predictions(task["id"])
        assert len(preds) == 1
        pred = preds[0]
        assert pred["model_version"] == version
        assert 0.0 < pred["score"] <= 1.0
        (result,) = pred["result"]
        assert (result["from_name"], result["to_name"], result["type"]) == ("claim_type", "text", "choices")
        assert result["value"]["choices"][0] in {"Verifiable fact", "Opinion", "Attributed quote", "Not a claim"}
        assert 0.0 <= task["data"]["uncertainty"] <= 1.0

    # Pruning keeps only the predictions of the project's model_version.
    before = studio.model_versions(pid)
    rules = [v for v in before if v.startswith("rules-")]
    assert rules and before[rules[0]] == expected
    pruned = run(["models", "--project", project_name, "--prune"], env, tmp_path)
    assert f"deleted {expected} predictions of {rules[0]}" in pruned.stdout
    assert studio.model_versions(pid) == {version: before[version]}
    assert studio.project(pid)["model_version"] == version


def test_personal_access_token_works(label_studio, personal_access_token, project_name, tmp_path,
                                     example_articles):
    """A JWT personal access token (refresh token) is accepted as LABEL_STUDIO_API_KEY."""
    token = personal_access_token
    assert token.count(".") == 2  # a JWT, not a legacy token
    env = label_studio.env(LABEL_STUDIO_API_KEY=token)
    done = run(["push", str(example_articles[0]), "--project", project_name], env, tmp_path)
    assert "tasks created" in done.stdout
    assert token not in done.stdout + done.stderr


def test_preannotate_to_file_needs_no_server(tmp_path, example_articles):
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("LABEL_STUDIO")}
    out = tmp_path / "tasks.json"
    run(["preannotate", *map(str, example_articles), "-o", str(out)], env, tmp_path)
    tasks = json.loads(out.read_text())
    assert tasks and all(t["predictions"][0]["result"][0]["from_name"] == "claim_type" for t in tasks)
    assert len({t["data"]["sentence_id"] for t in tasks}) == len(tasks)


@pytest.mark.parametrize("case", ["wrong key", "unreachable", "missing file", "empty file"])
def test_bad_setup_gives_one_clear_line(case, label_studio, tmp_path, example_articles, project_name):
    from workbench.studio.local import free_port

    env = label_studio.env()
    article = str(example_articles[0])
    if case == "wrong key":
        env["LABEL_STUDIO_API_KEY"] = "0" * 40
        expect = "refused the API key"
    elif case == "unreachable":
        env["LABEL_STUDIO_URL"] = f"http://127.0.0.1:{free_port(0)}"
        expect = "cannot reach Label Studio at http://127.0.0.1:"
    elif case == "missing file":
        article = str(tmp_path / "nowhere.txt")
        expect = "nowhere.txt"
    else:
        (tmp_path / "empty.txt").write_text("")
        article = str(tmp_path / "empty.txt")
        expect = "empty.txt"
    done = run(["push", article, "--project", project_name], env, tmp_path, check=False)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expect in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    assert label_studio.api_key not in done.stdout + done.stderr
