"""`workbench studio up|down|status|install`: the embedded local Label Studio."""

from __future__ import annotations

import click

from workbench.cli import settings
from workbench.cli.app import cli, echo_err


def embedded_home():
    """The embedded server's folder (see `settings.find_home`) as a StudioHome, and why."""
    from workbench.studio.local import StudioHome

    home = settings.find_home()
    return StudioHome(home.path), home.why


def start_embedded(port: int | None = None, database: str | None = None) -> dict[str, str]:
    """Start (installing once) the embedded server and remember its folder; returns its env."""
    from workbench.studio import local

    home, why = embedded_home()
    values = local.up(home, port=port, database=database, echo=echo_err)
    settings.remember_home(home.root)
    return values


@cli.group()
def studio():
    """Manage the embedded local Label Studio (used when LABEL_STUDIO_URL is not set).

    Example: workbench studio up
    """


@studio.command("up")
@click.option("--port", type=click.IntRange(1, 65535),
              help="Port to serve on (default: the one used last, else 8080). A running server "
                   "on another port is restarted on this one.")
@click.option("--database", type=click.Choice(["sqlite", "postgresql"]),
              help="Label Studio's database (default: the one this folder used last, else "
                   "sqlite). postgresql starts Debian's PostgreSQL (apt-get install postgresql) "
                   "under .workbench/postgres on a free loopback port; as root it runs as the "
                   "`postgres` system user, since PostgreSQL refuses root.")
def studio_up(port, database):
    """Install (once) and start the local Label Studio on 127.0.0.1, then write studio.env.

    The database is remembered: `up` again restarts the same one.

    Example: workbench studio up --port 8080 --database postgresql
    """
    if settings.external_url():
        click.echo(f"LABEL_STUDIO_URL is set ({settings.external_url()}): using that server, "
                   f"nothing started")
        return
    home, why = embedded_home()
    values = start_embedded(port, database)
    click.echo(f"Label Studio is up at {values['LABEL_STUDIO_URL']}")
    click.echo(f"  login: {values['LABEL_STUDIO_USERNAME']}  password: {values['LABEL_STUDIO_PASSWORD']}")
    click.echo(f"  settings: {home.env_file} (mode 0600; other commands read it from any folder)")


@studio.command("install")
def studio_install():
    """Install Label Studio into .workbench/studio-venv without starting it.

    Example: workbench studio install
    """
    from workbench.studio import local

    home, _why = embedded_home()
    exe = local.install(home, echo=echo_err)
    settings.remember_home(home.root)
    click.echo(f"Label Studio installed: {exe}")


@studio.command("down")
def studio_down():
    """Stop the local Label Studio and its PostgreSQL if it has one (data stays in .workbench/).

    Example: workbench studio down
    """
    from workbench.studio import local

    home, _why = embedded_home()
    stopped = local.down(home)
    click.echo("Label Studio stopped" if stopped else "Label Studio was not running")


@studio.command("status")
def studio_status():
    """Say whether the local Label Studio runs, where, and which folder is used (exit 1 when not).

    Example: workbench studio status
    """
    from workbench.studio import local, postgres

    if settings.external_url():
        click.echo(f"using external Label Studio at {settings.external_url()} (LABEL_STUDIO_URL)")
        return
    home, why = embedded_home()
    state = local.status(home)
    click.echo(f"folder: {home.root} ({why})")
    click.echo(f"database: {postgres.describe(home.root)}")
    if state.running:
        click.echo(f"running at {state.url} (pid {state.pid})")
    else:
        click.echo("not running" + ("" if state.installed else " (not installed yet)")
                   + "; start it with `workbench studio up`")
        raise click.exceptions.Exit(1)
