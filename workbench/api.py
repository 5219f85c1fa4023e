"""The workbench's verbs, for Python and notebooks: what each `workbench` command calls.

Every verb takes its options as arguments (nothing is read from the environment), reports
progress through an optional callback, and raises the errors of `workbench.core.errors`
(each says what failed, where, and how to fix it). The command line adds messages and
exit codes, nothing else.

    import workbench
    studio = workbench.open_studio("http://127.0.0.1:8080", api_key)
    result = workbench.push(studio, ["articles/"], "Claims")
    workbench.pull(studio, "Claims", "labels.jsonl")
    model = workbench.train("labels.jsonl", "claims.joblib")

Each verb imports the layers it needs when it is called: `import workbench` stays cheap
(a command that fails on its settings answers at once), and a cold-start push never
imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

Progress = Callable[[int], None]

__all__ = [
    "open_studio",
    "segment",
    "write_sentences",
    "push",
    "pull",
    "train",
    "evaluate",
    "preannotate",
    "load_model",
    "queue",
    "connect",
    "projects",
    "delete_project",
    "team_add",
    "team_list",
    "agreement",
    "adjudicate",
]


def open_studio(url: str, api_key: str, *, retry_seconds: float = 60.0,
                timeout: float = 120.0):
    """A checked connection to a Label Studio server (legacy token or personal access token)."""
    from workbench.studio.client import Studio

    studio = Studio(url, api_key, retry_seconds=retry_seconds, timeout=timeout)
    studio.whoami()
    return studio


def segment(articles: Iterable, *, engine=None, strict: bool = False,
            errors: list | None = None) -> Iterator:
    """Sentences (`workbench.core.records.Sentence`) of articles given as paths, folders or globs.

    Bad articles are appended to `errors` (or raise with `strict`); `engine` says where the
    work runs (`workbench.pipeline.engine.Engine`; default: every core).
    """
    from workbench.pipeline.engine import Engine, iter_sentences
    from workbench.text.articles import iter_articles

    return iter_sentences(iter_articles(articles, errors=errors, strict=strict),
                          engine or Engine())


def write_sentences(sentences: Iterable, output: Path | str) -> int:
    """Write sentences as JSON Lines (atomically); returns how many."""
    import json

    from workbench.core.files import atomic_write

    n = 0
    with atomic_write(Path(output)) as out:
        for sentence in sentences:
            out.write(json.dumps(sentence.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def load_model(path: Path | str | None = None):
    """A model ready to predict: the file at `path` (hash-checked), else the cold-start rules."""
    from workbench.pipeline.preannotate import load_model as load

    return load(path)


def _matcher(checked: Path | str | None, method: str):
    """The matcher over a store of claims already checked, or None without one."""
    if not checked:
        return None
    from workbench.checked.matching import open_matcher
    from workbench.checked.store import CheckedStore

    return open_matcher(CheckedStore(Path(checked)), method)


def push(studio, articles: Iterable, project: str, *, model: Path | str | None = None,
         skip_roles: Iterable[str] = (), predictions: bool = True, strict: bool = False,
         batch_size: int = 5000, engine=None, errors: list | None = None,
         progress: Progress | None = None,
         on_project: Callable[[int, bool], None] | None = None,
         overlap: int | None = None, overlap_share: float | None = None,
         gold: Path | str | None = None, checked: Path | str | None = None,
         checked_method: str = "auto"):
    """Push articles as one-sentence tasks, pre-annotated, idempotently by sentence_id.

    With `checked` (a store of claims already checked, `workbench checked add`), each
    sentence's best match goes into its task data (`checked_method`: auto, tfidf or e5).

    Creates the project (found by title) when missing. `overlap` N has each task (or a
    share `overlap_share` of them) labelled by N annotators; `gold` mixes the sentences of a
    gold file in, without their answers. Returns a `workbench.pipeline.push.PushResult`
    (project id, import report, model_version).
    """
    from workbench.pipeline.push import push_articles

    return push_articles(studio, articles, project, model, strict=strict,
                         checked=_matcher(checked, checked_method),
                         skip_roles=tuple(skip_roles), predictions=predictions, errors=errors,
                         batch_size=batch_size, engine=engine, progress=progress,
                         on_project=on_project, overlap=overlap, overlap_share=overlap_share,
                         gold=gold)


def pull(studio, project: str, output: Path | str, *, include_ties: bool = False,
         min_agreement: float | None = None):
    """Write a project's labelled sentences to JSON Lines (ground truth, else majority).

    Ties are flagged and left out unless `include_ties`; with `min_agreement`, so are
    sentences whose label fewer annotators chose. Returns a
    `workbench.pipeline.pull.PullResult` with the agreement statistics.
    """
    from workbench.pipeline.pull import pull_labels

    return pull_labels(studio, studio.project_id(project), Path(output),
                       include_ties=include_ties, min_agreement=min_agreement)


def train(data: Path | str | list[dict], output: Path | str, *, folds: int = 5, seed: int = 0,
          report_dir: Path | str | None = None, learning_curve: bool = True,
          embeddings: str | None = None, cascade: bool = False, share: float | None = None,
          base: Path | str | None = None, warn: Callable[[str], None] | None = None):
    """Train the claim classifier on labelled JSON Lines (or records); save model and report.

    `cascade` trains the fast model then e5 for the sentences it is unsure of (`share`: the
    share sent on, else chosen by cross-validation); `base` adapts that model file to the
    labels instead of training from scratch. Returns the saved `Model`, whose manifest holds
    the cross-validated metrics.
    """
    from workbench.core.jsonl import read_jsonl

    records = data if isinstance(data, list) else read_jsonl(Path(data))
    options = dict(folds=folds, seed=seed, report_dir=Path(report_dir) if report_dir else None,
                   learning_curve=learning_curve, embeddings=embeddings, warn=warn)
    if cascade or base is not None or share is not None:
        from workbench.claims.adapt import train_variant_to_file

        return train_variant_to_file(records, Path(output), cascade=cascade, share=share,
                                     base=Path(base) if base is not None else None, **options)
    from workbench.claims.training import train_to_file

    return train_to_file(records, Path(output), **options)


def evaluate(data: Path | str | list[dict], model: Path | str, *, errors: int = 0) -> dict:
    """macro-F1, per-label precision/recall/F1 and the confusion matrix of a model on labels.

    With `errors`, also the `errors` most confident mistakes (text, gold, predicted, score).
    """
    from workbench.claims.classifier import evaluate as evaluate_model
    from workbench.claims.classifier import load_model as load
    from workbench.core.jsonl import read_jsonl

    loaded = load(Path(model))  # a bad model file is the first thing to say
    records = data if isinstance(data, list) else read_jsonl(Path(data))
    return evaluate_model(loaded, records, errors=errors)


def preannotate(articles: Iterable, output: Path | str, *, model: Path | str | None = None,
                skip_roles: Iterable[str] = (), strict: bool = False,
                chunk_size: int | None = None, engine=None, errors: list | None = None,
                checked: Path | str | None = None, checked_method: str = "auto"):
    """Pre-annotate articles to Label Studio import files (no server needed).

    With `checked`, each sentence's best match among the claims already checked goes into its
    task data, as `push` does. Returns a `workbench.pipeline.preannotate.Written` (tasks, files).
    """
    from workbench.pipeline.preannotate import load_model as load, preannotate_to_file
    from workbench.studio.labelconfig import claims_schema
    from workbench.studio.predictions import check_model_against
    from workbench.text.articles import check_paths

    articles = list(articles)
    check_paths(articles)
    loaded = load(model)
    check_model_against(claims_schema(), loaded)
    return preannotate_to_file(articles, Path(output), loaded, engine=engine,
                               skip_roles=skip_roles, strict=strict, errors=errors,
                               chunk_size=chunk_size, checked=_matcher(checked, checked_method))


def queue(studio, project: str, *, models_dir: Path | str, model: Path | str | None = None,
          update_data: bool = True, by: str = "uncertainty"):
    """The uncertainty-first queue: sampling, current predictions, an "Uncertainty first" tab;
    `by="worthiness"`: the "Check first" tab (facts and quotes, most worth checking first,
    a `workbench.pipeline.checkfirst.CheckFirstReport`).

    The model is `model`, else the project's latest version kept in `models_dir`, else the
    base model the last `workbench serve` on `models_dir` serves.
    """
    from workbench.backend.learning import ModelStore, refresh_queue
    from workbench.claims.classifier import load_model as load
    from workbench.core.errors import ConfigError

    pid = studio.project_id(project)
    store = ModelStore(Path(models_dir))
    loaded = load(Path(model)) if model else (store.latest(pid) or store.base())
    if loaded is None:
        raise ConfigError(f"no model for project {project!r} in {store.root} (no `workbench "
                          f"serve` ran with it, no retrained version); pass --model MODEL")
    if by == "worthiness":
        from workbench.pipeline.checkfirst import check_first_queue

        return check_first_queue(studio, pid, loaded)
    return refresh_queue(studio, pid, loaded, sampling=True, view=True, update_data=update_data)


def connect(studio, project: str, url: str, *, title: str = "workbench",
            basic_auth: tuple[str, str] | None = None):
    """Register a running ML backend with a project and show its version to annotators."""
    from workbench.backend.learning import connect_backend

    return connect_backend(studio, studio.project_id(project), url, title=title,
                           basic_auth=basic_auth)


def _summary(project: dict) -> dict:
    """A project's id, title, counts and model_version, from Label Studio's project record."""
    return {"id": project["id"], "title": project.get("title") or "",
            "tasks": int(project.get("task_number") or 0),
            "annotations": int(project.get("total_annotations_number") or 0),
            "predictions": int(project.get("total_predictions_number") or 0),
            "model_version": project.get("model_version") or ""}


def projects(studio) -> list[dict]:
    """Every project with its counts: id, title, tasks, annotations, predictions, model_version."""
    return [_summary(p) for p in studio.list_projects()]


def delete_project(studio, project: str, *, force: bool = False) -> dict:
    """Delete a project by title; one with annotations only with `force`. Returns its counts."""
    from workbench.core.errors import ConfigError

    found = _summary(studio.project(studio.project_id(project)))
    if found["annotations"] and not force:
        raise ConfigError(f"project {project!r} holds {found['annotations']} annotations: pull "
                          f"them first (workbench pull), then delete with --force")
    studio.delete_project(found["id"])
    return found


def team_add(studio, emails: Iterable[str], *, home=None, new_password: bool = False):
    """Add people to the organisation (idempotent); the key must be an admin's.

    With `home` (the embedded server's `workbench.studio.local.StudioHome`) accounts are
    created with generated passwords, returned once; elsewhere the organisation's invite
    link is returned. Returns a `workbench.pipeline.team.TeamAdded`.
    """
    from workbench.pipeline.team import team_add as add

    return add(studio, emails, home=home, new_password=new_password)


def team_list(studio, project: str | None = None) -> list[dict]:
    """Members with their annotation counts: id, email, annotations, projects {title: n}."""
    from workbench.pipeline.team import team_list as members

    return members(studio, project)


def agreement(studio, project: str, *, output_dir: Path | str | None = None,
              gold: Path | str | None = None, bootstrap: int = 1000, seed: int = 0) -> dict:
    """The team's agreement on a project: alpha, Fleiss' and Cohen's kappas, per annotator.

    Over sentences with two or more annotators, from one export snapshot streamed; see
    `workbench.team.stats.team_report` for the keys. `gold` scores each annotator on a gold
    file; `output_dir` also writes the Markdown report and its heatmaps there.
    """
    from workbench.pipeline.team import team_agreement
    from workbench.team.report import write_team_report

    result = team_agreement(studio, studio.project_id(project), project=project, gold=gold,
                            bootstrap=bootstrap, seed=seed)
    if output_dir is not None:
        write_team_report(result, Path(output_dir))
    return result


def adjudicate(studio, project: str, *, reviewer: str | None = None, progress: Progress | None = None):
    """Write each disagreeing task's agreement and keep the "Disagreements" tab (idempotent).

    `reviewer` (an email) marks that member's annotations as ground truth. Returns a
    `workbench.pipeline.adjudicate.Adjudication`.
    """
    from workbench.pipeline.adjudicate import adjudicate as run

    return run(studio, studio.project_id(project), reviewer=reviewer, progress=progress)
