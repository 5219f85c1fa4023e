"""`workbench projects` and `workbench projects delete`: what is on the server, and clean-up."""

from __future__ import annotations

import json
import sys

import click

from workbench import api
from workbench.cli.app import cli, connect
from workbench.core.errors import ConfigError


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on one line.")
@click.pass_context
def projects(ctx, as_json):
    """List the projects with their task, annotation and prediction counts and model version.

    Example: workbench projects
    """
    if ctx.invoked_subcommand:
        return
    studio = connect()
    rows = api.projects(studio)
    if as_json:
        click.echo(json.dumps({"projects": rows}, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"no project on {studio.url}")
        return
    width = max(len(r["title"]) for r in rows)
    click.echo(f"{'id':>5}  {'title':<{width}}  {'tasks':>7}  {'annotations':>11}  "
               f"{'predictions':>11}  model_version")
    for r in rows:
        click.echo(f"{r['id']:>5}  {r['title']:<{width}}  {r['tasks']:>7}  {r['annotations']:>11}  "
                   f"{r['predictions']:>11}  {r['model_version'] or '-'}")


@projects.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Also delete a project that holds annotations.")
def delete(name, yes, force):
    """Delete a project (asks first; refuses one with annotations unless --force).

    Example: workbench projects delete "Claims demo" --yes
    """
    studio = connect()
    pid = studio.project_id(name)
    if not yes and not sys.stdin.isatty():
        raise ConfigError(f"deleting project {name!r} needs a confirmation and nobody can answer "
                          f"(standard input is not a terminal); pass --yes to delete it")
    if not yes:
        click.confirm(f"delete project {name!r} (id {pid}) on {studio.url}? This cannot be undone",
                      abort=True, err=True)
    found = api.delete_project(studio, name, force=force)
    click.echo(f"deleted project {name!r} (id {found['id']}: {found['tasks']} tasks, "
               f"{found['annotations']} annotations)")
