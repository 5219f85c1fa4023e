"""The ML backend through its test client: protocol, errors, auth, retraining, safe swaps."""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from conftest import wait_until
from workbench.claims.classifier import save_model, train
from workbench.core.labels import label_to_choice
from workbench.studio.labelconfig import read_config
from workbench.backend.learning import ModelStore, retrain, split_heldout
from workbench.backend.server import create_app, project_id, start_in_thread

CONFIG = read_config()
FACTS = ["The council approved a budget of {} million euros on Tuesday.",
         "The bridge will close for {} months from June.",
         "Unemployment fell to {} percent in March, the statistics office reported.",
         "The company employs {} people at its plant near Lyon."]
OPINIONS = ["This is a shameful decision and {} voters deserve better.",
            "Frankly, the plan is a disaster for {} families.",
            "We should stop pretending that {} reforms will work.",
            "It is an outrage that nobody cares about {} workers."]
QUOTES = ['"We will not back down," the mayor said on day {}.',
          "According to the minister, {} schools will reopen.",
          "The union said {} members would strike next week.",
          'The coach told reporters: "We played {} good minutes."']


def records(labels=("verifiable_fact", "opinion", "attributed_quote"), n=4) -> list[dict]:
    """Small labelled sentences, distinct per index, with stable sentence ids."""
    templates = {"verifiable_fact": FACTS, "opinion": OPINIONS, "attributed_quote": QUOTES}
    out = []
    for label in labels:
        for k in range(n):
            text = templates[label][k % 4].format(k + 3)
            out.append({"text": text, "label": label, "sentence_id": f"{label}-{k}",
                        "article_id": f"a{k}", "lang": "en", "role": "body"})
    return out


@pytest.fixture(scope="session")
def model_files(tmp_path_factory) -> dict[str, Path]:
    """Two small trained models with different label sets (told apart in swap tests)."""
    root = tmp_path_factory.mktemp("models")
    a = save_model(train(records(("verifiable_fact", "opinion")), folds=0, warn=lambda m: None),
                   root / "a.joblib")
    b = save_model(train(records(("attributed_quote", "opinion")), folds=0, warn=lambda m: None),
                   root / "b.joblib")
    return {"a": root / "a.joblib", "b": root / "b.joblib", "a_version": a.model_version,
            "b_version": b.model_version}


@pytest.fixture
def client(model_files):
    return TestClient(create_app(model_files["a"]))


def task(i: int, text: str | None = None) -> dict:
    return {"id": i, "data": {"text": text or FACTS[i % 4].format(i), "role": "body", "lang": "en"}}


# -- protocol -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/health"])
def test_health_is_up(client, model_files, path):
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.json()["status"] == "UP"
    assert answer.json()["model_version"] == model_files["a_version"]


def test_setup_answers_the_version_and_checks_the_schema(client, model_files):
    answer = client.post("/setup", json={"project": "3.1700000000", "schema": CONFIG,
                                         "hostname": "http://localhost:8080",
                                         "access_token": "x", "extra_params": None})
    assert answer.status_code == 200 and answer.json() == {"model_version": model_files["a_version"]}
    other = CONFIG.replace('name="claim_type"', 'name="sentiment"')
    answer = client.post("/setup", json={"project": "3.1", "schema": other})
    assert answer.status_code == 422 and "claim_type" in answer.json()["error"]
    fewer = CONFIG.replace('<Choice value="Opinion" hotkey="2"', '<Choice value="Opinionated" hotkey="2"')
    answer = client.post("/setup", json={"project": "3.1", "schema": fewer})
    assert answer.status_code == 422 and "opinion" in answer.json()["error"]


def test_predict_answers_one_result_per_task_in_order(client, model_files):
    texts = [FACTS[0].format(9), OPINIONS[1].format(9), FACTS[2].format(1)]
    body = {"tasks": [task(i, t) for i, t in enumerate(texts)], "project": "3.1700000000",
            "label_config": CONFIG, "params": {"login": None, "password": None, "context": None}}
    answer = client.post("/predict", json=body)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert len(results) == 3
    for result in results:
        assert result["model_version"] == model_files["a_version"]
        assert 0 < result["score"] <= 1
        (item,) = result["result"]
        assert (item["from_name"], item["to_name"], item["type"]) == ("claim_type", "text", "choices")
        assert item["value"]["choices"][0] in {label_to_choice("verifiable_fact"), label_to_choice("opinion")}
    # Order is kept: predicting tasks one by one gives the same answers.
    singles = [client.post("/predict", json={"tasks": [task(i, t)]}).json()["results"][0]
               for i, t in enumerate(texts)]
    assert singles == results


def test_predict_checks_the_model_against_the_config(client):
    other = CONFIG.replace('toName="text"', 'toName="context_after"')
    answer = client.post("/predict", json={"tasks": [task(1)], "label_config": other})
    assert answer.status_code == 422 and "context_after" in answer.json()["error"]


def test_predict_reads_the_field_the_config_names(client):
    config = CONFIG.replace('value="$text"', 'value="$sentence"')
    body = {"tasks": [{"id": 1, "data": {"sentence": FACTS[0].format(4)}}], "label_config": config}
    answer = client.post("/predict", json=body)
    assert answer.status_code == 200 and len(answer.json()["results"]) == 1


@pytest.mark.parametrize("path", ["/predict", "/setup", "/webhook"])
@pytest.mark.parametrize("raw,expect", [
    (b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object"), (b"", "empty body"),
    (b"\xff\xfe", "not valid JSON"), (b"{}", "missing")])
def test_bad_json_and_missing_fields_are_400(client, path, raw, expect):
    answer = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert expect in answer.json()["error"]


@pytest.mark.parametrize("body,expect", [
    ({"tasks": "nope"}, "tasks"),
    ({"tasks": [{"id": 1}]}, "task 0 (id 1) has no text"),
    ({"tasks": [task(1), {"id": 7, "data": {"text": 5}}]}, "task 1 (id 7)"),
    ({"tasks": [task(1)], "label_config": 12}, "label_config"),
    ({"tasks": [task(1)], "label_config": "<View><oops"}, "not valid XML"),
])
def test_bad_predict_fields_are_4xx_with_a_message(client, body, expect):
    answer = client.post("/predict", json=body)
    assert answer.status_code in (400, 422)
    assert expect in answer.json()["error"]


def test_unknown_events_are_acknowledged(client):
    for action in ("PROJECT_UPDATED", "TASKS_CREATED", "SOMETHING_NEW"):
        answer = client.post("/webhook", json={"action": action, "project": {"id": 1}})
        assert answer.status_code == 200 and answer.json()["status"] == "unknown event"


def test_annotation_event_without_project_is_400(client):
    answer = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "annotation": {}})
    assert answer.status_code == 400 and "project" in answer.json()["error"]


def test_training_needs_label_studio(client):
    answer = client.post("/webhook", json={"action": "START_TRAINING", "project": {"id": 1}})
    assert answer.status_code == 503 and "LABEL_STUDIO_URL" in answer.json()["error"]
    for _ in range(12):  # annotation events are still acknowledged, never trained on
        answer = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 1}})
        assert answer.status_code == 200 and answer.json()["status"] == "counted"


def test_versions_lists_the_served_version(client, model_files):
    answer = client.get("/versions")
    assert answer.status_code == 200
    assert answer.json()["versions"] == [model_files["a_version"]]


@pytest.mark.parametrize("value,pid", [("12.1700000000", 12), (12, 12), ("7", 7), ({"id": 4}, 4),
                                       (None, None), ("x.1", None), (True, None)])
def test_project_id_reads_what_label_studio_sends(value, pid):
    assert project_id(value) == pid


# -- basic auth ---------------------------------------------------------------------------------

def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_basic_auth(model_files):
    client = TestClient(create_app(model_files["a"], basic_auth=("ls", "s3cret")))
    assert client.get("/health").status_code == 401
    assert client.get("/health").headers["www-authenticate"].startswith("Basic")
    assert client.get("/health", headers=basic("ls", "wrong")).status_code == 401
    assert client.get("/health", headers={"Authorization": "Basic %%%"}).status_code == 401
    assert client.post("/predict", json={"tasks": [task(1)]}).status_code == 401
    assert client.get("/health", headers=basic("ls", "s3cret")).json()["status"] == "UP"
    ok = client.post("/predict", json={"tasks": [task(1)]}, headers=basic("ls", "s3cret"))
    assert ok.status_code == 200


# -- retraining ---------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def studio_functions_reach_the_fake(monkeypatch):
    """The learning loop calls functions over a Studio: route them to FakeStudio's methods."""
    monkeypatch.setattr("workbench.pipeline.pull.export_to_file",
                        lambda studio, pid, path: studio.export_to_file(pid, path))
    monkeypatch.setattr("workbench.backend.learning.version_predictions",
                        lambda studio, pid, version: studio.version_predictions(pid, version))
    monkeypatch.setattr("workbench.backend.learning.update_tasks_data",
                        lambda studio, updates, progress=None: studio.update_tasks_data(updates, progress))


class FakeStudio:
    """What the backend asks of Label Studio, in memory: an export, tasks, predictions."""

    def __init__(self, labelled: list[dict], hold: bool = False):
        self.labelled = labelled
        self.release = threading.Event()  # exports wait for it: a test holds training mid-run
        if not hold:
            self.release.set()
        self.tasks = [{"id": 100 + i, "data": {"text": r["text"], "sentence_id": r["sentence_id"]}}
                      for i, r in enumerate(labelled)]
        self.predictions: list[dict] = []
        self.versions_set: list[str] = []
        self.running = 0
        self.max_running = 0
        self.exports_done = 0
        self.lock = threading.Lock()

    def export_to_file(self, pid, path):
        with self.lock:
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        self.release.wait(60)  # bounded: a webhook that waits for training fails, never hangs
        exported = [{"id": t["id"], "data": t["data"], "annotations": [{
            "completed_by": 1, "result": [{"from_name": "claim_type", "to_name": "text",
                                           "type": "choices",
                                           "value": {"choices": [label_to_choice(r["label"])]}}]}]}
            for t, r in zip(self.tasks, self.labelled)]
        Path(path).write_text(json.dumps(exported))
        with self.lock:
            self.running -= 1
            self.exports_done += 1
        return path

    def schema(self, pid):
        from workbench.studio.labelconfig import claims_schema
        return claims_schema()

    def iter_tasks(self, pid, include="id,data"):
        return iter([dict(t) for t in self.tasks])

    def version_predictions(self, pid, version):
        return {p["task"] for p in self.predictions if p["model_version"] == version}

    def import_predictions(self, pid, predictions):
        self.predictions += predictions
        return len(predictions)

    def update_tasks_data(self, updates, progress=None):
        for t in self.tasks:
            if t["id"] in updates:
                t["data"] = updates[t["id"]]
        return len(updates)

    def set_model_version(self, pid, version):
        self.versions_set.append(version)
        return True


def three_labels(n=10):
    return records(("verifiable_fact", "opinion", "attributed_quote"), n=n)


def test_retrain_swaps_on_not_worse_and_keeps_versions(model_files, tmp_path):
    studio = FakeStudio(three_labels())
    app = create_app(model_files["a"], studio=studio, retrain_every=3, models_dir=tmp_path,
                     min_heldout=2, tolerance=1.0)
    client, backend = TestClient(app), app.state.backend
    for n in range(2):
        answer = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 5},
                                               "annotation": {"id": n}})
        assert answer.json()["status"] == "counted"
    answer = client.post("/webhook", json={"action": "ANNOTATION_UPDATED", "project": {"id": 5}})
    assert answer.json()["status"] == "training started"
    assert backend.wait_idle(5, 120)
    last = backend.training_status(5)["last"]
    assert last["status"].startswith("swapped to p5-v1-"), last
    version = last["model_version"]
    # Next predictions for project 5 come from the new version; other projects keep the base.
    body = {"tasks": [task(1)], "project": "5.1700000000"}
    assert client.post("/predict", json=body).json()["results"][0]["model_version"] == version
    other = client.post("/predict", json={"tasks": [task(1)], "project": "6.1"}).json()
    assert other["model_version"] == model_files["a_version"]
    # Published: every task has a prediction of the new version, its uncertainty, and the version is set.
    assert studio.versions_set == [version]
    assert {p["task"] for p in studio.predictions} == {t["id"] for t in studio.tasks}
    assert all(t["data"]["uncertainty_version"] == version and 0 <= t["data"]["uncertainty"] <= 1
               for t in studio.tasks)
    # Kept on disk with its card; /versions lists it first.
    cards = ModelStore(tmp_path).cards(5)
    assert [c["model_version"] for c in cards] == [version]
    assert cards[0]["heldout"]["n"] >= 2 and cards[0]["previous_version"] == model_files["a_version"]
    assert client.get("/versions?project=5").json()["versions"][0] == version
    # A restarted backend on the same base resumes from the kept version.
    again = create_app(model_files["a"], studio=studio, models_dir=tmp_path)
    assert again.state.backend.current(5).version == version
    assert create_app(model_files["b"], models_dir=tmp_path).state.backend.current(5).version \
        == model_files["b_version"]


def test_retrain_keeps_the_serving_model_when_worse(model_files, tmp_path):
    studio = FakeStudio(three_labels())
    app = create_app(model_files["a"], studio=studio, models_dir=tmp_path, min_heldout=2,
                     tolerance=-1.0)  # a candidate would have to beat it by more than 1.0
    client, backend = TestClient(app), app.state.backend
    assert client.post("/webhook", json={"action": "START_TRAINING",
                                         "project": {"id": 5, "title": "x"}}).status_code == 200
    assert backend.wait_idle(5, 120)
    assert backend.training_status(5)["last"]["status"] == "kept " + model_files["a_version"]
    assert backend.current(5).version == model_files["a_version"]
    assert studio.versions_set == [] and ModelStore(tmp_path).cards(5) == []
    assert "worse" in ModelStore(tmp_path).attempts(5)[0]["reason"]


def test_too_few_labels_do_not_train(model_files, tmp_path):
    studio = FakeStudio(records(("opinion",), n=3))
    app = create_app(model_files["a"], studio=studio, models_dir=tmp_path)
    TestClient(app).post("/webhook", json={"action": "START_TRAINING", "project": {"id": 2}})
    assert app.state.backend.wait_idle(2, 60)
    assert "fewer than two labels" in app.state.backend.training_status(2)["last"]["reason"]


def test_training_runs_one_at_a_time_and_answers_at_once(model_files, tmp_path):
    studio = FakeStudio(three_labels(6), hold=True)  # the first training stops at its export
    app = create_app(model_files["a"], studio=studio, models_dir=tmp_path, min_heldout=1,
                     tolerance=1.0)
    client, backend = TestClient(app), app.state.backend
    statuses = []
    for _ in range(4):
        answer = client.post("/webhook", json={"action": "START_TRAINING", "project": {"id": 9}})
        # Label Studio gives webhooks 1 s: the answer comes while the training is still held.
        assert studio.exports_done == 0, "the webhook answered only after a training ran"
        assert backend.training_status(9)["running"]
        statuses.append(answer.json()["status"])
    assert statuses == ["training started", "queued", "queued", "queued"]
    wait_until(lambda: studio.running == 1, 30, "the first training never reached the export")
    studio.release.set()
    assert backend.wait_idle(9, 180)
    assert studio.max_running == 1
    cards = ModelStore(tmp_path).cards(9)
    assert len(cards) == 2  # the running one, then one more for everything queued meanwhile


def test_a_backend_bound_to_a_project_ignores_others(model_files, tmp_path):
    app = create_app(model_files["a"], project=4, studio=FakeStudio(three_labels()))
    answer = TestClient(app).post("/webhook", json={"action": "START_TRAINING", "project": {"id": 8}})
    assert answer.status_code == 200 and answer.json()["status"] == "ignored"


def test_model_store_prunes_files_but_keeps_cards(model_files, tmp_path):
    from workbench.claims.classifier import load_model

    store = ModelStore(tmp_path, keep=2)
    model = load_model(model_files["a"])
    versions = [store.save(1, model, {"base_model": "x"}).model_version for _ in range(4)]
    assert len(set(versions)) == 4 and all(v.startswith(f"p1-v{i + 1}-") for i, v in enumerate(versions))
    cards = store.cards(1)
    assert [c["model_version"] for c in cards] == versions[::-1]
    assert [c["kept"] for c in cards] == [True, True, False, False]
    # each kept version: its model, arrays and manifest; nothing left of the pruned ones
    assert len(list(store.project_dir(1).glob("*.joblib"))) == 2
    assert len(list(store.project_dir(1).glob("*.joblib.arrays.npz"))) == 2
    assert len(list(store.project_dir(1).glob("*.joblib.manifest.json"))) == 2
    assert store.latest(1).model_version == versions[-1]
    assert store.latest(1, base_version="other") is None


def test_heldout_split_is_stable_and_by_sentence():
    rows = three_labels(30)
    fit, held = split_heldout(rows, 0.2)
    assert 5 <= len(held) <= 35 and len(fit) + len(held) == len(rows)
    again_fit, again_held = split_heldout(list(reversed(rows)) + records(("opinion",), n=3), 0.2)
    assert {r["sentence_id"] for r in held} <= {r["sentence_id"] for r in again_held}


def test_retrain_rule_compares_on_the_heldout_part(model_files):
    from workbench.claims.classifier import load_model

    base = load_model(model_files["a"])
    _, accepted = retrain(three_labels(), base, min_heldout=2, tolerance=1.0)
    _, rejected = retrain(three_labels(), base, min_heldout=2, tolerance=-1.0)
    assert accepted.accepted and not rejected.accepted
    assert accepted.n_heldout == rejected.n_heldout >= 2
    assert accepted.incumbent_version == base.model_version


# -- swaps under load ---------------------------------------------------------------------------

def test_concurrent_predict_during_swaps_is_consistent(model_files):
    from workbench.claims.classifier import load_model

    a, b = load_model(model_files["a"]), load_model(model_files["b"])
    labels = {a.model_version: {label_to_choice(x) for x in a.labels},
              b.model_version: {label_to_choice(x) for x in b.labels}}
    app = create_app(model_files["a"])
    backend = app.state.backend
    running = start_in_thread(app)
    errors: list = []
    seen: set = set()
    answered = [0]
    count = threading.Lock()
    stop = threading.Event()
    body = {"tasks": [task(i) for i in range(40)], "project": "1.1", "label_config": CONFIG}

    def hammer():
        with httpx.Client(base_url=running.url, timeout=30) as http:
            while not stop.is_set():
                answer = http.post("/predict", json=body)
                if answer.status_code != 200:
                    errors.append(answer.text)
                    continue
                payload = answer.json()
                versions = {r["model_version"] for r in payload["results"]}
                chosen = {r["result"][0]["value"]["choices"][0] for r in payload["results"]}
                if versions != {payload["model_version"]} or not chosen <= labels[payload["model_version"]]:
                    errors.append(payload)
                seen.add(payload["model_version"])
                with count:
                    answered[0] += 1

    threads = [threading.Thread(target=hammer) for _ in range(6)]
    try:
        for t in threads:
            t.start()
        for i in range(200):
            backend.swap(1, b if i % 2 == 0 else a)
            # each swap lands between answers: wait for one more before the next swap
            before = answered[0]
            wait_until(lambda: answered[0] > before or errors, 30,
                       f"no prediction answered after swap {i}")
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        running.stop()
    assert not errors, errors[:3]
    assert seen == set(labels)
