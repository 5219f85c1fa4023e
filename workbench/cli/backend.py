"""The ML backend commands of `workbench` (serve, connect, queue, models)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from workbench.cli import settings
from workbench.cli.app import cli, echo_err
from workbench.cli.app import connect as connect_studio
from workbench.core.errors import ConfigError

AUTH_USER = "WORKBENCH_BACKEND_USER"
AUTH_PASSWORD = "WORKBENCH_BACKEND_PASSWORD"


def backend_auth() -> tuple[str, str] | None:
    """HTTP basic auth for the backend, from the environment only (never argv: `ps` shows it)."""
    user, password = os.environ.get(AUTH_USER), os.environ.get(AUTH_PASSWORD)
    if bool(user) != bool(password):
        missing = AUTH_PASSWORD if user else AUTH_USER
        raise ConfigError(f"{missing} is not set while its partner is; set both to protect the "
                          f"backend with HTTP basic auth, or unset both")
    return (user, password) if user else None


def models_dir_option(f):
    return click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Where model versions are kept (default: .workbench/models).")(f)


def _models_dir(value: Path | None) -> Path:
    return Path(value) if value else settings.find_home().path / "models"


def echo_training(pid: int, entry: dict) -> None:
    """One line per training run: the version, both held-out scores, swapped or kept."""
    ours, theirs = entry.get("candidate") or {}, entry.get("incumbent") or {}
    scores = (f"candidate macro-F1 {ours['macro_f1']:.3f} vs serving {theirs['macro_f1']:.3f} "
              f"on {entry.get('n_heldout')} held-out labels; " if ours and theirs else "")
    outcome = entry.get("status") or "failed"
    why = entry.get("error") or ("" if scores else entry.get("reason", ""))
    click.echo(f"training project {pid} ({entry.get('trigger')}): {scores}{outcome}"
               + (f" ({why})" if why else ""), err=True)


@cli.command()
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False),
              help="Model file to serve first (checked against its manifest).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9090, show_default=True, type=int)
@click.option("--project", help="Train for this project only (resumes its latest version).")
@click.option("--retrain-every", default=10, show_default=True, type=click.IntRange(1),
              help="Retrain after this many annotation events (START_TRAINING always does).")
@click.option("--keep", default=3, show_default=True, type=click.IntRange(1),
              help="Model files kept per project (every version's card is kept).")
@models_dir_option
def serve(model_path, host, port, project, retrain_every, keep, models_dir):
    """Run the ML backend Label Studio calls: predictions, retraining, versions.

    Basic auth: set WORKBENCH_BACKEND_USER and WORKBENCH_BACKEND_PASSWORD.

    Example: workbench serve --model claims.joblib --port 9090 --project Claims
    """
    from workbench.backend.server import create_app
    from workbench.backend.server import serve as run

    from workbench.studio.local import port_is_free

    auth = backend_auth()
    if not port_is_free(port, host):
        raise ConfigError(f"{host}:{port} is already in use (another `workbench serve`?); "
                          f"stop it or choose another --port")
    try:
        studio = connect_studio()
    except ConfigError as exc:
        if project:
            raise
        studio = None
        echo_err(f"warning: {exc}; serving predictions only (no retraining)")
    pid = studio.project_id(project) if project else None
    app = create_app(Path(model_path), project=pid, studio=studio, basic_auth=auth,
                     retrain_every=retrain_every, models_dir=_models_dir(models_dir),
                     keep=keep, on_training=echo_training)
    backend = app.state.backend
    echo_err(f"serving {backend.current(pid).version} on http://{host}:{port}"
             + (f" for project {project!r} (id {pid})" if pid else "")
             + (" with basic auth" if auth else ""))
    name = shlex.quote(project) if project else "NAME"
    echo_err(f"  connect it: workbench connect --project {name} --url http://{host}:{port}")
    run(app, host=host, port=port)


@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("--url", required=True, help="URL of a running `workbench serve`, as Label "
              "Studio reaches it.")
@click.option("--title", default="workbench", show_default=True,
              help="Name of the backend in Label Studio's settings.")
def connect(project, url, title):
    """Register a running backend with a project and make its version the one annotators see.

    Example: workbench connect --project Claims --url http://127.0.0.1:9090
    """
    from workbench import api

    studio = connect_studio()
    report = api.connect(studio, project, url, title=title, basic_auth=backend_auth())
    click.echo(f"backend {url} connected to project {project!r} (backend id "
               f"{report.backend_id}), serving {report.model_version}")
    if report.project_model_version == report.model_version:
        click.echo(f"  predictions retrieved for {report.tasks} tasks; the project shows "
                   f"{report.model_version}")
    else:
        click.echo(f"  the project has no task yet: push tasks, then run "
                   f"`workbench queue --project {project!r}`")

@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Model to rank with (default: the project's latest kept version).")
@click.option("--no-data", is_flag=True, help="Do not write uncertainty into task data.")
@click.option("--by", type=click.Choice(["uncertainty", "worthiness"]), default="uncertainty",
              show_default=True, help="worthiness: a 'Check first' tab of facts and quotes, most "
                                      "worth checking first (a model with that head).")
@models_dir_option
def queue(project, model_path, no_data, by, models_dir):
    """Uncertainty-first queue: sampling, current predictions, an uncertainty tab.

    Example: workbench queue --project Claims
    """
    from workbench import api

    studio = connect_studio()
    pid = studio.project_id(project)
    report = api.queue(studio, project, models_dir=_models_dir(models_dir), model=model_path,
                       update_data=not no_data, by=by)
    if by == "worthiness":
        click.echo(f"project {project!r}: {report.tasks} tasks scored by {report.model_version} "
                   f"({report.data_updated} worthiness scores written)")
        click.echo(f"  tab 'Check first': {studio.url}/projects/{pid}/data?tab={report.view_id}")
        return
    click.echo(f"project {project!r}: {report.tasks} tasks ranked by {report.model_version} "
               f"({report.predictions_added} predictions added, {report.data_updated} "
               f"uncertainties written)")
    click.echo(f"  sampling: {report.sampling}; project model_version "
               + (report.model_version if report.model_version_set else "unchanged (no task)"))
    click.echo(f"  tab 'Uncertainty first': {studio.url}/projects/{pid}/data?tab="
               f"{report.view_id}")

@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("--json", "as_json", is_flag=True, help="Print the cards as one JSON object.")
@click.option("--prune", is_flag=True,
              help="Delete the predictions of every model_version but the project's current one.")
@models_dir_option
def models(project, as_json, prune, models_dir):
    """List a project's model versions with their held-out metrics, newest first.

    Example: workbench models --project Claims
    """
    import json

    from workbench.backend.learning import ModelStore

    studio = connect_studio()
    pid = studio.project_id(project)
    if prune:
        current = studio.project(pid).get("model_version")
        if not current:
            raise ConfigError(f"project {project!r} has no model_version set, so nothing tells "
                              f"which predictions to keep; push or connect a model first")
        for version, count in studio.model_versions(pid).items():
            if version != current:
                deleted = studio.delete_predictions(pid, version)
                click.echo(f"deleted {deleted} predictions of {version} (had {count})")
        click.echo(f"kept the predictions of {current}, the project's model_version")
        return
    store = ModelStore(_models_dir(models_dir))
    cards, attempts = store.cards(pid), store.attempts(pid)
    if as_json:
        click.echo(json.dumps({"project": pid, "versions": cards, "rejected": attempts},
                              ensure_ascii=False))
        return
    if not cards:
        click.echo(f"no retrained version for project {project!r} in {store.root}")
    current = studio.project(pid).get("model_version")
    for card in cards:
        held, prev = card.get("heldout") or {}, card.get("previous_heldout") or {}
        mark = "*" if card["model_version"] == current else " "
        click.echo(f"{mark} {card['model_version']:<24} {card.get('created_at', '')}  "
                   f"n={card.get('n_train')}  held-out macro-F1 "
                   f"{held.get('macro_f1', float('nan')):.3f} (was "
                   f"{prev.get('macro_f1', float('nan')):.3f} for "
                   f"{card.get('previous_version')})  "
                   f"{'kept' if card['kept'] else 'card only'}  [{card.get('trigger')}]")
    for entry in attempts[-5:]:
        click.echo(f"  not swapped {entry.get('at')}: {entry.get('reason')}")
    if cards:
        click.echo("* the version the project shows")
