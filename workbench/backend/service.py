"""The ML backend's state: the served models, background retraining, the versions kept.

`workbench.backend.server` puts HTTP in front of it; this module knows nothing of HTTP
but the status code a refused request deserves (`BadRequest`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from workbench.backend import learning
from workbench.claims.classifier import Model
from workbench.core.errors import ConfigError, WorkbenchError
from workbench.core.records import model_record
from workbench.studio.labelconfig import parse_config
from workbench.studio.predictions import (WORTHINESS_NAME, check_model_against, prediction,
                                           worthiness_result)

log = logging.getLogger(__name__)

ANNOTATION_EVENTS = {"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED",
                     "ANNOTATIONS_CREATED", "ANNOTATIONS_DELETED"}
TRAIN_EVENT = "START_TRAINING"
MAX_TASKS = 100_000


@dataclass(frozen=True)
class Served:
    """One model and its version, swapped as a whole: a request reads it once, start to end."""

    model: Model
    version: str


class BadRequest(Exception):
    """A request the backend refuses, with the HTTP status and a message for the caller."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class _Jobs:
    """Training bookkeeping of one project: one run at a time, at most one more queued."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    running: bool = False
    pending: bool = False
    idle: threading.Event = field(default_factory=lambda: _set_event())
    since_training: int = 0
    last: dict | None = None


def _set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


def project_id(value) -> int | None:
    """The project id in what Label Studio sends: 12, "12" or "12.1700000000" (id.created)."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.split(".", 1)[0].isdigit():
        return int(value.split(".", 1)[0])
    return None


@lru_cache(maxsize=64)
def _schema_error(label_config: str, labels: tuple[str, ...], from_name: str, to_name: str) -> str:
    """'' when predictions of these labels fit the config, else why not (cached per config)."""

    class _Labels:
        pass

    probe = _Labels()
    probe.labels = list(labels)
    try:
        check_model_against(parse_config(label_config, "the project's label config"), probe,
                            from_name=from_name, to_name=to_name)
    except ConfigError as exc:
        return str(exc)
    return ""


@lru_cache(maxsize=64)
def _text_field(label_config: str, to_name: str) -> str:
    """The task data field holding the text the predictions label."""
    return parse_config(label_config).objects.get(to_name) or "text"


class Backend:
    """The state behind the app: the served models, the trainers, the kept versions."""

    def __init__(self, base: Model, *, project: int | None, studio, basic_auth, retrain_every: int,
                 store: learning.ModelStore | None, heldout_fraction: float, min_heldout: int,
                 tolerance: float, refresh: bool, from_name: str, to_name: str,
                 on_training: Callable[[int, dict], None] | None = None,
                 base_records: list[dict] | None = None):
        self.on_training = on_training  # told of every training run: (project id, its entry)
        self.base_records = base_records  # the base model's training sentences, when kept
        self.base = Served(base, base.model_version)
        self.project = project
        self.studio = studio
        self.basic_auth = basic_auth
        self.retrain_every = max(1, int(retrain_every))
        self.store = store
        self.heldout_fraction = heldout_fraction
        self.min_heldout = min_heldout
        self.tolerance = tolerance
        self.refresh = refresh
        self.from_name, self.to_name = from_name, to_name
        self._served: dict[int, Served] = {}
        self._lock = threading.Lock()
        self._jobs: dict[int, _Jobs] = {}
        self.started = time.time()

    # -- models -------------------------------------------------------------------------------

    def current(self, pid: int | None) -> Served:
        """The model serving a project: its latest swap, else its latest kept version, else base."""
        if pid is None:
            return self.base
        served = self._served.get(pid)
        if served is not None:
            return served
        with self._lock:
            if pid not in self._served:
                kept = self.store.latest(pid, self.base.version) if self.store else None
                self._served[pid] = Served(kept, kept.model_version) if kept else self.base
            return self._served[pid]

    def swap(self, pid: int, model: Model) -> Served:
        """Serve `model` for a project from the next request on (one reference assignment)."""
        served = Served(model, model.model_version)
        with self._lock:
            self._served[pid] = served
        return served

    def predict(self, body: dict) -> dict:
        tasks = body.get("tasks")
        if not isinstance(tasks, list):
            raise BadRequest("missing \"tasks\": a list of tasks, each with \"data\"")
        if len(tasks) > MAX_TASKS:
            raise BadRequest(f"{len(tasks)} tasks in one request; send at most {MAX_TASKS}", 413)
        served = self.current(project_id(body.get("project")))  # read once: one version
        field_name = "text"
        config = body.get("label_config")
        if config is not None:
            if not isinstance(config, str):
                raise BadRequest("\"label_config\" must be the project's XML config as a string")
            problem = _schema_error(config, tuple(served.model.labels), self.from_name,
                                    self.to_name)
            if problem:
                raise BadRequest(f"model {served.version} cannot predict for this project: "
                                 f"{problem}", 422)
            field_name = _text_field(config, self.to_name)
        # the "Worth checking?" choice only where the project's config has that control
        with_worth = config is None or f'name="{WORTHINESS_NAME}"' in config
        records = []
        for i, task in enumerate(tasks):
            data = task.get("data") if isinstance(task, dict) else None
            if not isinstance(data, dict) or not isinstance(data.get(field_name), str):
                where = f"task {i}" + (f" (id {task.get('id')})" if isinstance(task, dict) else "")
                raise BadRequest(f"{where} has no text in data.{field_name}")
            records.append(model_record({**data, "text": data[field_name]}))
        outputs = served.model.predict(records)
        results = [prediction(label, score, served.version, from_name=self.from_name,
                              to_name=self.to_name) for label, score, _u in outputs]
        head = getattr(served.model, "worthiness", None)
        if head is not None and with_worth:
            for result, w_score, worth in zip(results, *head.score_and_decide(records)):
                result["result"].append(worthiness_result(w_score, worth, to_name=self.to_name))
        return {"results": results, "model_version": served.version}

    def setup(self, body: dict) -> dict:
        schema = body.get("schema")
        if not isinstance(schema, str) or not schema.strip():
            raise BadRequest("missing \"schema\": the project's label config (XML)")
        served = self.current(project_id(body.get("project")))
        problem = _schema_error(schema, tuple(served.model.labels), self.from_name, self.to_name)
        if problem:
            raise BadRequest(f"this backend predicts <Choices name=\"{self.from_name}\" toName="
                             f"\"{self.to_name}\">: {problem}", 422)
        return {"model_version": served.version}

    def versions(self, pid: int | None) -> dict:
        served = self.current(pid)
        cards = self.store.cards(pid) if (self.store and pid is not None) else []
        kept = [c["model_version"] for c in cards if c["kept"]]
        versions = kept + ([self.base.version] if self.base.version not in kept else [])
        return {"model_version": served.version, "versions": versions, "cards": cards,
                "training": self.training_status(pid)}

    # -- training -----------------------------------------------------------------------------

    def jobs(self, pid: int) -> _Jobs:
        with self._lock:
            return self._jobs.setdefault(pid, _Jobs())

    def training_status(self, pid: int | None) -> dict:
        if pid is None or pid not in self._jobs:
            return {"running": False}
        jobs = self._jobs[pid]
        return {"running": jobs.running, "queued": jobs.pending,
                "annotations_since_training": jobs.since_training, "last": jobs.last}

    def webhook(self, body: dict) -> dict:
        action = body.get("action")
        if not isinstance(action, str) or not action:
            raise BadRequest("missing \"action\" (e.g. ANNOTATION_CREATED, START_TRAINING)")
        if action not in ANNOTATION_EVENTS and action != TRAIN_EVENT:
            return {"status": "unknown event", "action": action}
        pid = project_id(body.get("project"))
        if pid is None:
            raise BadRequest(f"{action} without \"project\": {{\"id\": ...}}")
        if self.project is not None and pid != self.project:
            return {"status": "ignored", "reason": f"this backend trains project {self.project}"}
        if action == TRAIN_EVENT:
            return {"status": self.schedule(pid, "START_TRAINING"), "project": pid}
        jobs = self.jobs(pid)
        count = len(body["annotations"]) if isinstance(body.get("annotations"), list) else 1
        with jobs.lock:
            jobs.since_training += count
            due = jobs.since_training >= self.retrain_every
        if not due or self.studio is None:  # predict-only backends just acknowledge
            return {"status": "counted", "project": pid,
                    "annotations_since_training": jobs.since_training,
                    "retrain_every": self.retrain_every}
        return {"status": self.schedule(pid, f"{jobs.since_training} new annotations"),
                "project": pid}

    def schedule(self, pid: int, trigger: str) -> str:
        """Start training in the background, or queue one more run if one is going."""
        if self.studio is None:
            raise BadRequest("this backend was started without Label Studio credentials, so it "
                             "cannot pull annotations; restart `workbench serve` with "
                             "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY set", 503)
        jobs = self.jobs(pid)
        with jobs.lock:
            jobs.since_training = 0
            if jobs.running:
                jobs.pending = True
                return "queued"
            jobs.running = True
            jobs.idle.clear()
        thread = threading.Thread(target=self._train_loop, args=(pid, trigger),
                                  name=f"train-project-{pid}", daemon=True)
        thread.start()
        return "training started"

    def _train_loop(self, pid: int, trigger: str) -> None:
        jobs = self.jobs(pid)
        while True:
            try:
                jobs.last = self.train_once(pid, trigger)
            except Exception as exc:  # a background thread has nobody to raise to: record it
                log.exception("training project %s failed", pid)
                jobs.last = {"status": "failed", "at": learning.now(), "trigger": trigger,
                             "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
            if self.on_training:
                try:
                    self.on_training(pid, jobs.last)
                except Exception:  # a broken listener must not stop training
                    log.exception("the training listener failed")
            with jobs.lock:
                if jobs.pending:
                    jobs.pending = False
                    trigger = "queued while training"
                    continue
                jobs.running = False
                jobs.idle.set()
                return

    def train_once(self, pid: int, trigger: str) -> dict:
        """Pull labels, train, compare on the held-out part, swap and publish when not worse."""
        started = time.monotonic()
        incumbent = self.current(pid)
        records = learning.pull_records(self.studio, pid, self.from_name)
        candidate, decision = learning.retrain(
            records, incumbent.model, heldout_fraction=self.heldout_fraction,
            min_heldout=self.min_heldout, tolerance=self.tolerance,
            base_records=self.base_records)
        entry = {"at": learning.now(), "trigger": trigger, **decision.to_dict(),
                 "seconds": round(time.monotonic() - started, 2)}
        if candidate is not None and decision.accepted:
            try:
                check_model_against(self.studio.schema(pid), candidate,
                                    from_name=self.from_name, to_name=self.to_name)
            except ConfigError as exc:
                decision = learning.Decision(False, f"labels do not fit the project: {exc}")
                entry.update(accepted=False, reason=decision.reason)
        if candidate is None or not decision.accepted:
            entry["status"] = "kept " + incumbent.version
            if self.store:
                self.store.record_attempt(pid, entry)
            return entry
        card = {"trigger": trigger, "base_model": self.base.version,
                "previous_version": incumbent.version, "rule": learning.SWAP_RULE,
                "tolerance": self.tolerance, "heldout_fraction": self.heldout_fraction,
                "heldout": decision.candidate, "previous_heldout": decision.incumbent,
                "n_labelled": decision.n_labelled, "n_heldout": decision.n_heldout,
                "created_at": entry["at"]}
        if self.store:
            candidate = self.store.save(pid, candidate, card)
        else:  # no directory to keep versions in: still a fresh, unique version
            digest = hashlib.sha256(json.dumps(card, sort_keys=True).encode()).hexdigest()[:10]
            candidate = Model(candidate.estimator,
                              {**candidate.manifest, "model_version": f"p{pid}-{digest}"})
        served = self.swap(pid, candidate)
        entry.update(status="swapped to " + served.version, model_version=served.version)
        if self.refresh:
            try:
                report = learning.refresh_queue(self.studio, pid, served.model)
            except WorkbenchError as exc:  # served already; the next swap or `queue` publishes
                log.warning("project %s: %s serves but was not published: %s", pid,
                            served.version, exc)
                entry["published"] = {"error": str(exc)[:300]}
            else:
                entry["published"] = {"predictions_added": report.predictions_added,
                                      "data_updated": report.data_updated,
                                      "model_version_set": report.model_version_set}
        entry["seconds"] = round(time.monotonic() - started, 2)
        return entry

    def wait_idle(self, pid: int, timeout: float) -> bool:
        """Wait until no training runs for a project (tests and scripts)."""
        return self.jobs(pid).idle.wait(timeout)
