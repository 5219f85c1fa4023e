"""The learning loop around Label Studio: retrain on a project's labels, keep versions, rank the queue.

The ML backend (`workbench.backend.server`) and the `serve`, `connect`, `queue` and `models` commands
call these functions; none of them reads the environment or knows about HTTP.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from workbench.claims.classifier import Model, evaluate, load_model, save_model, train, training_records
from workbench.core.errors import ModelError, StudioError
from workbench.studio.labelconfig import FROM_NAME, TO_NAME
from workbench.claims.modelfile import arrays_file, manifest_path
from workbench.studio.predictions import check_model_against, prediction
from workbench.studio.ml import (ml_backend, register_ml_backend, retrieve_predictions, set_sampling,
                                 update_tasks_data, version_predictions)
from workbench.studio.views import ensure_view
from workbench.core.batching import iter_batches
from workbench.core.files import write_text
from workbench.core.records import model_record
from workbench.pipeline.pull import labelled_records

log = logging.getLogger(__name__)

UNCERTAINTY_SAMPLING = "Uncertainty sampling"
QUEUE_VIEW = "Uncertainty first"
UNCERTAINTY_COLUMN = "tasks:data.uncertainty"
SWAP_RULE = ("swap when the candidate's macro-F1 on the held-out labels is at least the "
             "serving model's macro-F1 on the same labels (minus the tolerance)")


# -- held-out split and the swap decision -------------------------------------------------------

def heldout_key(record: dict) -> str:
    """What decides whether a labelled record is held out: its sentence, never its position."""
    return str(record.get("sentence_id") or record.get("text") or "")


def is_heldout(record: dict, fraction: float) -> bool:
    """Deterministic: a sentence held out once stays held out in every later retrain."""
    digest = hashlib.sha256(heldout_key(record).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64 < fraction


def split_heldout(records: list[dict], fraction: float) -> tuple[list[dict], list[dict]]:
    """(training part, held-out part) of labelled records."""
    fit, held = [], []
    for record in records:
        (held if is_heldout(record, fraction) else fit).append(record)
    return fit, held


@dataclass(frozen=True)
class Decision:
    """What one retrain decided and why, with both models' held-out scores."""

    accepted: bool
    reason: str
    n_labelled: int = 0
    n_train: int = 0
    n_heldout: int = 0
    candidate: dict | None = None
    incumbent: dict | None = None
    incumbent_version: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _summary(metrics: dict | None) -> dict | None:
    if not metrics:
        return None
    return {"macro_f1": round(metrics["macro_f1"], 4), "accuracy": round(metrics["accuracy"], 4),
            "n": metrics["n"],
            "per_label_f1": {k: round(v["f1"], 4) for k, v in metrics["per_label"].items()}}


PROJECT_WEIGHT = 3


def _with_base(fit: list[dict], held: list[dict], base_records: list[dict] | None,
               weight: int) -> list[dict]:
    """The project's training labels, each counted `weight` times, plus the base model's
    training sentences that the project did not label (its held-out ones included)."""
    if not base_records:
        return fit
    project_texts = {r["text"] for r in fit} | {r["text"] for r in held}
    base = [r for r in base_records if r.get("text") not in project_texts]
    return base + [r for r in fit for _ in range(max(1, weight))]


def retrain(records: list[dict], incumbent: Model, *, heldout_fraction: float = 0.2,
            min_heldout: int = 4, tolerance: float = 0.0, random_state: int = 0,
            base_records: list[dict] | None = None, project_weight: int = PROJECT_WEIGHT,
            warn=None) -> tuple[Model | None, Decision]:
    """Train a candidate on the labels outside the held-out part and decide whether to swap.

    The held-out part (a fixed share of sentences, chosen by hash) is never trained on, so
    the serving model and the candidate are compared on labels neither has seen (except a
    base model trained elsewhere on the same sentences, which only makes swaps rarer). With
    `base_records` (the base model's own training sentences) the candidate learns from them
    too, the project's labels counted `project_weight` times: a few dozen labels then adapt
    the base model instead of replacing it.
    """
    warn = warn or (lambda message: log.info("%s", message))
    records = training_records(records)
    fit, held = split_heldout(records, heldout_fraction)
    base = {"n_labelled": len(records), "n_train": len(fit), "n_heldout": len(held),
            "incumbent_version": incumbent.model_version}
    if len({r["label"] for r in fit}) < 2:
        return None, Decision(False, "fewer than two labels outside the held-out part", **base)
    if len(held) < min_heldout:
        return None, Decision(False, f"only {len(held)} held-out labels (need {min_heldout}) to "
                                     f"compare models; annotate more", **base)
    from workbench.claims.embeddings import embedding_cache

    # The candidate is built like the serving model (e.g. with the same sentence embeddings).
    options = (incumbent.manifest or {}).get("options") or {}
    with warnings.catch_warnings(), embedding_cache():
        warnings.simplefilter("ignore")
        candidate = train(_with_base(fit, held, base_records, project_weight), folds=0,
                          random_state=random_state, warn=warn, options=options)
        theirs = evaluate(incumbent, held)
        ours = evaluate(candidate, held)
    accepted = ours["macro_f1"] >= theirs["macro_f1"] - tolerance
    reason = (f"held-out macro-F1 {ours['macro_f1']:.3f} vs {theirs['macro_f1']:.3f} for "
              f"{incumbent.model_version or 'the serving model'}: "
              + ("not worse, swapped" if accepted else "worse, kept the serving model"))
    return candidate, Decision(accepted, reason, candidate=_summary(ours),
                               incumbent=_summary(theirs), **base)


# -- versions kept on disk ----------------------------------------------------------------------

def _write_json(path: Path, value) -> None:
    write_text(path, json.dumps(value, indent=2, ensure_ascii=False))


class ModelStore:
    """Model versions per project under one directory: every card, the last `keep` model files.

    Layout: ROOT/project-<id>/p<id>-v<n>.joblib (+ .manifest.json), ROOT/project-<id>/cards/
    <model_version>.json for every version ever served, and attempts.jsonl for rejected ones.
    """

    def __init__(self, root: Path, keep: int = 3):
        self.root = Path(root)
        self.keep = max(1, keep)

    def project_dir(self, pid: int) -> Path:
        return self.root / f"project-{int(pid)}"

    def cards(self, pid: int) -> list[dict]:
        """Every version's card, newest first, with `kept` telling whether its file is on disk."""
        cards = []
        for path in (self.project_dir(pid) / "cards").glob("*.json"):
            try:
                card = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            card["kept"] = (self.project_dir(pid) / card.get("model_file", "-")).exists()
            cards.append(card)
        return sorted(cards, key=lambda c: c.get("number", 0), reverse=True)

    def attempts(self, pid: int) -> list[dict]:
        """Rejected or skipped retrains, oldest first."""
        path = self.project_dir(pid) / "attempts.jsonl"
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def record_attempt(self, pid: int, entry: dict) -> None:
        """Append one retrain that did not produce a version (for `workbench models`)."""
        path = self.project_dir(pid) / "attempts.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def save(self, pid: int, model: Model, card: dict) -> Model:
        """Write the next version's model file and card; prune model files beyond `keep`."""
        number = max((c.get("number", 0) for c in self.cards(pid)), default=0) + 1
        path = self.project_dir(pid) / f"p{int(pid)}-v{number}.joblib"
        saved = save_model(model, path)
        m = saved.manifest
        full = {**card, "number": number, "project": int(pid),
                "model_version": saved.model_version, "model_file": path.name,
                "labels": m.get("labels"), "label_counts": m.get("label_counts"),
                "n_train": m.get("n_train"), "data_sha256": m.get("data_sha256"),
                "trained_at": m.get("trained_at"), "versions": m.get("versions")}
        _write_json(self.project_dir(pid) / "cards" / f"{saved.model_version}.json", full)
        self.prune(pid)
        return saved

    def prune(self, pid: int) -> list[str]:
        """Delete model files of all but the newest `keep` versions (their cards stay)."""
        removed = []
        for card in self.cards(pid)[self.keep:]:
            path = self.project_dir(pid) / card.get("model_file", "-")
            if path.exists():
                path.unlink()
                for beside in (arrays_file(path), manifest_path(path)):  # what save_model writes
                    beside.unlink(missing_ok=True)
                removed.append(card["model_version"])
        return removed

    def record_base(self, model_path: Path) -> None:
        """Remember the model a backend serves first, so `workbench queue` can rank with it
        before any retrained version exists."""
        _write_json(self.root / "base.json", {"model_file": str(Path(model_path).resolve())})

    def base(self) -> Model | None:
        """The base model recorded by the last `workbench serve` (hash-checked), or None."""
        try:
            recorded = json.loads((self.root / "base.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            return load_model(Path(recorded["model_file"]))
        except (ModelError, KeyError, TypeError) as exc:
            log.warning("the recorded base model cannot be used: %s", exc)
            return None

    def latest(self, pid: int, base_version: str | None = None) -> Model | None:
        """The newest kept version (hash-checked), optionally only one grown from `base_version`."""
        for card in self.cards(pid):
            if not card["kept"]:
                continue
            if base_version is not None and card.get("base_model") != base_version:
                return None
            try:
                return load_model(self.project_dir(pid) / card["model_file"])
            except ModelError as exc:
                log.warning("skipping kept version %s: %s", card["model_version"], exc)
        return None


# -- pulling labels -----------------------------------------------------------------------------

def pull_records(studio, pid: int, from_name: str = FROM_NAME) -> list[dict]:
    """The project's labelled sentences without ties (as `workbench pull` writes them)."""
    with labelled_records(studio, pid, from_name=from_name) as records:
        return [r for r in records if r.get("label")]


# -- the uncertainty-first queue ----------------------------------------------------------------

@dataclass(frozen=True)
class QueueReport:
    """What one refresh of a project's queue did."""

    model_version: str
    tasks: int = 0
    predictions_added: int = 0
    data_updated: int = 0
    model_version_set: bool = False
    sampling: str | None = None
    view_id: int | None = None


def queue_view() -> dict:
    """The Data Manager tab: most uncertain first, the column read as a number."""
    return {"ordering": [f"-{UNCERTAINTY_COLUMN}"],
            "columnsDisplayType": {UNCERTAINTY_COLUMN: "Number"},
            "filters": {"conjunction": "and", "items": []}}


def refresh_queue(studio, pid: int, model: Model, *, sampling: bool = False, view: bool = False,
                  update_data: bool = True, batch_size: int = 2000, from_name: str = FROM_NAME,
                  to_name: str = TO_NAME, progress=None) -> QueueReport:
    """Give every task a prediction of `model`, its uncertainty in the data, and make it current.

    Label Studio pre-fills the form and runs uncertainty sampling only over predictions of the
    project's model_version, so the version is set once its predictions are there.
    """
    check_model_against(studio.schema(pid), model, from_name=from_name, to_name=to_name)
    version = model.model_version
    tasks = list(studio.iter_tasks(pid, include="id,data"))
    have = version_predictions(studio, pid, version) if tasks else set()
    added = updated = 0
    for batch in iter_batches(tasks, batch_size):
        stale = [t for t in batch if t["id"] not in have
                 or (update_data and (t.get("data") or {}).get("uncertainty_version") != version)]
        if not stale:
            continue
        outputs = model.predict([model_record(t.get("data") or {}) for t in stale])
        new = [{**prediction(label, score, version, from_name=from_name, to_name=to_name),
                "task": t["id"]}
               for t, (label, score, _u) in zip(stale, outputs) if t["id"] not in have]
        if new:
            added += studio.import_predictions(pid, new)
        if update_data:
            changes = {t["id"]: {**(t.get("data") or {}), "uncertainty": round(u, 6),
                                 "predicted_label": label, "uncertainty_version": version}
                       for t, (label, _s, u) in zip(stale, outputs)
                       if (t.get("data") or {}).get("uncertainty_version") != version}
            updated += update_tasks_data(studio, changes, progress=progress)
    is_set = studio.set_model_version(pid, version) if tasks else False
    if sampling:
        set_sampling(studio, pid, UNCERTAINTY_SAMPLING)
    view_id = ensure_view(studio, pid, QUEUE_VIEW, queue_view()) if view else None
    return QueueReport(model_version=version, tasks=len(tasks), predictions_added=added,
                       data_updated=updated, model_version_set=bool(is_set),
                       sampling=UNCERTAINTY_SAMPLING if sampling else None, view_id=view_id)


# -- connecting a backend -----------------------------------------------------------------------

@dataclass(frozen=True)
class ConnectReport:
    """What `connect` did: the backend's id, the version it serves, and the project's version."""

    backend_id: int
    model_version: str
    tasks: int
    project_model_version: str


LOCAL_HINT = ("Label Studio refuses ML backends on loopback or private addresses unless it was "
              "started with ML_BLOCK_LOCAL_IP=false and SSRF_PROTECTION_ENABLED=false (`workbench "
              "studio up` sets both); restart your server with them or use a public address")


def _is_local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return (host in {"localhost", "0.0.0.0", "::1"} or host.endswith(".local")
            or bool(re.match(r"^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)", host)))


def connect_backend(studio, pid: int, url: str, *, title: str = "workbench",
                    basic_auth: tuple[str, str] | None = None, chunk: int = 1000) -> ConnectReport:
    """Register the backend with a project, fetch its predictions, make its version current.

    Registering a backend sets an empty project model_version to the backend's title, which no
    prediction carries (uncertainty sampling then silently turns random): once Label Studio
    has fetched the backend's predictions, the project is set to the version actually served.
    """
    try:
        backend = register_ml_backend(studio, pid, url, title=title, basic_auth=basic_auth)
    except StudioError as exc:
        text = str(exc)
        hints = []
        if "health check" in text or "connect" in text.lower():
            hints.append(f"check that `workbench serve` runs at {url} and that the Label Studio "
                         f"server can reach that address")
        if _is_local(url) or "reserved network" in text or "not allowed" in text:
            hints.append(LOCAL_HINT)
        if hints:
            raise type(exc)(f"{text} — {'; '.join(hints)}") from None
        raise
    info = ml_backend(studio, backend["id"])
    version = info.get("model_version") or ""
    if not version or info.get("state") not in ("CO", None):
        raise StudioError(f"Label Studio registered {url} with project {pid} but cannot use it "
                          f"(state {info.get('readable_state') or info.get('state')}: "
                          f"{info.get('error_message') or 'no model_version from /setup'}); check "
                          f"the backend's log and that it matches the project's label config")
    ids = [t["id"] for t in studio.iter_tasks(pid, include="id")]
    for batch in iter_batches(ids, chunk):
        retrieve_predictions(studio, pid, batch)
    if ids:
        studio.set_model_version(pid, version)
    current = studio.project(pid).get("model_version") or ""
    return ConnectReport(backend_id=backend["id"], model_version=version, tasks=len(ids),
                         project_model_version=current)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
