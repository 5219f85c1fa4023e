"""The check-worthiness head: training on a small sample, labels files with one or both heads."""

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import run_main
from workbench.claims.worthiness import (WorthinessHead, best_threshold, parse_check_worthy,
                                         worthiness_records)
from workbench.core.errors import InputError

DATA = Path(__file__).parent / "data"
CLAIMBUSTER = Path(__file__).resolve().parents[2] / "shared" / "data" / "claimbuster" / "train.json"

# Written for these tests: sentences a desk would check (figures, causes, policies) and not.
WORTH = [
    "Unemployment fell to 4.2 percent last year, the lowest rate since 1999.",
    "The new law cut taxes for 12 million households by an average of $800.",
    "Crime in the city rose by 15 percent after the police budget was reduced.",
    "The government spent 3 billion dollars on the program in 2022.",
    "Half of all new jobs created since 2020 were part-time positions.",
    "The minimum wage has not been raised in fourteen years.",
    "Our state now imports 60 percent of its electricity from coal plants.",
    "The deficit doubled under the previous administration, reaching 1.4 trillion.",
    "Vaccination rates among children dropped to 85 percent in 2023.",
    "The treaty banned the export of 40,000 tons of plastic waste each year.",
    "Health insurance premiums increased by 20 percent since the reform passed.",
    "The senator voted against the veterans' funding bill three times.",
]
NOT_WORTH = [
    "Thank you all for being here tonight.",
    "I think we can do better than this.",
    "What will you do about it?",
    "Good evening and welcome to the second debate.",
    "We love this country and its people.",
    "Let me finish my answer, please.",
    "That is a very good question.",
    "I look forward to working with all of you.",
    "The weather was lovely at the rally this afternoon.",
    "My opponent and I have known each other for years.",
    "I want to talk about the future tonight.",
    "Believe me, it is going to be great.",
]


def records():
    return ([{"text": t, "check_worthy": True} for t in WORTH]
            + [{"text": t, "check_worthy": False} for t in NOT_WORTH])


def test_check_worthy_values_are_read_or_refused():
    assert parse_check_worthy(True, "x") is True and parse_check_worthy("false", "x") is False
    assert parse_check_worthy(1, "x") is True and parse_check_worthy(None, "x") is None
    with pytest.raises(ValueError, match="check_worthy is 'maybe'; write true or false"):
        parse_check_worthy("maybe", "x")
    with pytest.raises(InputError, match="record 2"):
        worthiness_records([{"text": "a", "check_worthy": True}, {"text": "b", "check_worthy": 7}])


def test_best_threshold_maximises_macro_f1():
    y = np.array([0, 0, 0, 1, 1, 1])
    proba = np.array([0.1, 0.2, 0.35, 0.4, 0.7, 0.9])
    t = best_threshold(y, proba)
    assert 0.35 < t <= 0.4


def test_the_head_learns_a_small_sample_and_ranks_unseen_sentences():
    recs = records()
    head = WorthinessHead(embeddings=None, cv=3).fit(recs, [r["check_worthy"] for r in recs])
    assert list(head.classes_) == [False, True] and 0.05 <= head.threshold_ <= 0.95
    scores = head.score(["Prices rose by 9 percent in 2022, the fastest rise in forty years.",
                         "Thank you, and good evening to everyone watching."])
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))
    assert scores[0] > scores[1]
    proba = head.predict_proba(["Thank you."])
    assert proba.shape == (1, 2) and abs(proba.sum() - 1) < 1e-9


@pytest.mark.skipif(not CLAIMBUSTER.exists(), reason="ClaimBuster data absent (../shared)")
def test_a_claimbuster_sample_gives_a_useful_head():
    rows = json.loads(CLAIMBUSTER.read_text(encoding="utf-8"))
    rng = np.random.default_rng(0)
    pick = rng.permutation(len(rows))[:900]
    train = [{"text": rows[i]["text"], "check_worthy": rows[i]["label"] == 1} for i in pick[:600]]
    test = [{"text": rows[i]["text"], "check_worthy": rows[i]["label"] == 1} for i in pick[600:]]
    head = WorthinessHead(embeddings=None).fit(train, [r["check_worthy"] for r in train])
    from sklearn.metrics import f1_score, roc_auc_score

    truth = [r["check_worthy"] for r in test]
    assert roc_auc_score(truth, head.score(test)) > 0.8
    assert f1_score(truth, head.predict(test), average="macro") > 0.65


def write_lines(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def claim_lines() -> list[dict]:
    return [json.loads(line) for line in (DATA / "train_en.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()][:160]


def test_one_labels_file_trains_both_heads(workdir, capsys):
    lines = claim_lines()
    for row, extra in zip(lines, records()):  # some lines carry both, the rest one of them
        row["check_worthy"] = extra["check_worthy"]
    lines += [r for r in records()]
    path = write_lines(workdir / "labels.jsonl", lines)
    code, out, err = run_main(["train", str(path), "-o", "m.joblib", "--no-learning-curve"], capsys)
    assert code == 0, err
    manifest = json.loads((workdir / "m.joblib.manifest.json").read_text(encoding="utf-8"))
    assert manifest["heads"] == ["claim_type", "check_worthy"]
    assert manifest["worthiness"]["n_train"] == 48 and manifest["worthiness"]["cv_metrics"]["n"] == 48
    assert (workdir / "m.joblib.worthiness.joblib").is_file()
    card = (workdir / "m-report" / "model_card.md").read_text(encoding="utf-8")
    assert "## Check-worthiness head" in card and "## Cross-validation" in card
    code, out, err = run_main(["evaluate", "--model", "m.joblib", str(path), "--json"], capsys)
    result = json.loads(out)
    assert code == 0 and "macro_f1" in result
    cw = result["check_worthy"]
    assert set(cw) >= {"macro_f1", "f1", "auc", "n"} and cw["n"] == 48 and cw["macro_f1"] > 0.5


def test_a_file_with_only_check_worthy_trains_only_that_head(workdir, capsys):
    path = write_lines(workdir / "worth.jsonl", records())
    code, out, err = run_main(["train", str(path), "-o", "w.joblib"], capsys)
    assert code == 0, err
    manifest = json.loads((workdir / "w.joblib.manifest.json").read_text(encoding="utf-8"))
    assert manifest["heads"] == ["check_worthy"] and manifest["labels"] == []
    code, out, err = run_main(["evaluate", "--model", "w.joblib", str(path), "--json"], capsys)
    result = json.loads(out)
    assert code == 0 and "macro_f1" not in result and result["check_worthy"]["n"] == 24
    from workbench.claims.classifier import load_model

    model = load_model(workdir / "w.joblib")
    assert model.estimator is None and model.worthiness is not None


def test_a_file_with_only_labels_has_no_worthiness_head(workdir, capsys):
    path = write_lines(workdir / "labels.jsonl", claim_lines())
    code, out, err = run_main(["train", str(path), "-o", "c.joblib", "--no-learning-curve"], capsys)
    assert code == 0, err
    manifest = json.loads((workdir / "c.joblib.manifest.json").read_text(encoding="utf-8"))
    assert manifest["heads"] == ["claim_type"] and "worthiness" not in manifest
    code, out, err = run_main(["evaluate", "--model", "c.joblib", str(path), "--json"], capsys)
    assert code == 0 and "check_worthy" not in json.loads(out)


def test_a_bad_check_worthy_value_is_one_line(workdir, capsys):
    path = write_lines(workdir / "bad.jsonl", records() + [{"text": "x", "check_worthy": "perhaps"}])
    code, out, err = run_main(["train", str(path), "-o", "b.joblib"], capsys)
    assert code == 2 and err.count("\n") == 1 and "record 25" in err and "write true or false" in err


def test_the_worth_checking_control_is_shown_for_facts_and_quotes_with_its_own_keys():
    import xml.etree.ElementTree as ET

    from workbench.studio.labelconfig import claims_schema, read_config
    from workbench.studio.predictions import WORTHINESS_CHOICES, WORTHINESS_NAME

    root = ET.fromstring(read_config())
    keys = [c.get("hotkey") for c in root.iter("Choice")]
    assert len(keys) == len(set(keys)) == 6 and None not in keys
    control = claims_schema().control(WORTHINESS_NAME)
    assert control.to_name == "text" and set(control.choices) == set(WORTHINESS_CHOICES.values())
    parent = next(v for v in root.iter("View") if any(c.get("name") == WORTHINESS_NAME
                                                      for c in v.findall("Choices")))
    assert parent.get("visibleWhen") == "choice-selected" and parent.get("whenTagName") == "claim_type"
    assert set(parent.get("whenChoiceValue").split(",")) == {"Verifiable fact", "Attributed quote"}
    assert any(h.get("value") == "$checked_match" for h in root.iter("Header"))


def test_the_ml_backend_pre_selects_worth_checking_where_the_config_has_it(workdir, capsys):
    from starlette.testclient import TestClient

    from workbench.backend.server import create_app
    from workbench.studio.labelconfig import read_config
    from workbench.studio.predictions import WORTHINESS_NAME

    lines = claim_lines() + records()
    path = write_lines(workdir / "labels.jsonl", lines)
    code, _out, err = run_main(["train", str(path), "-o", "m.joblib", "--no-learning-curve"], capsys)
    assert code == 0, err
    client = TestClient(create_app(workdir / "m.joblib"))
    tasks = [{"id": i, "data": {"text": t}} for i, t in enumerate([WORTH[0], NOT_WORTH[0]])]
    config = read_config()
    answer = client.post("/predict", json={"tasks": tasks, "label_config": config}).json()
    worth = [[r for r in p["result"] if r["from_name"] == WORTHINESS_NAME] for p in answer["results"]]
    assert [len(w) for w in worth] == [1, 1]
    assert worth[0][0]["score"] > worth[1][0]["score"]
    # a project whose config lacks the control gets the claim type only
    bare = config.replace(f'name="{WORTHINESS_NAME}"', 'name="other_control"')
    answer = client.post("/predict", json={"tasks": tasks, "label_config": bare}).json()
    assert all(len(p["result"]) == 1 for p in answer["results"])
