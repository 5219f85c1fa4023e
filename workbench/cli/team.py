"""The team commands: `team add|list`, `agreement`, `adjudicate`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench import api
from workbench.cli import settings
from workbench.cli.app import cli, connect, echo_err, project_link
from workbench.core.labels import label_to_choice


def _embedded_home():
    """The embedded server's home when it is the server in use (passwords can be set there)."""
    from workbench.studio.local import StudioHome

    found = settings.studio_settings()
    return StudioHome(found.home) if found.home is not None else None


def _write_passwords(path: Path, passwords: dict[str, str]) -> None:
    """Add `email<TAB>password` lines to a file only the user can read (0600)."""
    from workbench.core.files import write_text

    kept = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            email, _, password = line.partition("\t")
            if email and password:
                kept[email] = password
    kept.update(passwords)
    write_text(path, "".join(f"{e}\t{p}\n" for e, p in kept.items()), private=True)


@cli.group()
def team():
    """The annotation team: add people to Label Studio, list them with their annotations.

    Example: workbench team add ana@example.org ben@example.org
    """


@team.command("add")
@click.argument("emails", nargs=-1, required=True)
@click.option("--passwords-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write new passwords to this file (mode 0600, email<TAB>password lines) "
                   "instead of printing them.")
@click.option("--new-password", is_flag=True,
              help="Also give people who are already members a new password (embedded server).")
def team_add(emails, passwords_file, new_password):
    """Create annotator accounts (idempotent); the API key must be the organisation owner's.

    On the embedded server each new person gets a generated password, shown once (or written
    to --passwords-file). On another server no account is created: the organisation's invite
    link is printed, for people to sign up with a password of their own.

    Example: workbench team add ana@example.org ben@example.org --passwords-file team.txt
    """
    studio = connect()
    added = api.team_add(studio, emails, home=_embedded_home(), new_password=new_password)
    for email in added.existing:
        click.echo(f"{email}: already a member")
    if added.invite_link:
        click.echo(f"{studio.url} is not the embedded server: Label Studio's API cannot set "
                   f"passwords there. Send this sign-up link to "
                   f"{', '.join(e for e in emails if e not in added.existing)}:")
        click.echo(f"  {added.invite_link}")
        return
    for email in added.created:
        click.echo(f"{email}: account created")
    if added.passwords and passwords_file:
        _write_passwords(passwords_file, added.passwords)
        click.echo(f"{len(added.passwords)} passwords written to {passwords_file} (mode 0600); "
                   f"hand each person theirs, then delete the file")
    else:
        for email, password in added.passwords.items():
            click.echo(f"  login {email}  password {password}  (shown once)")
    if added.passwords:
        click.echo(f"  log in at {studio.url}/user/login/")


@team.command("list")
@click.option("--project", help="Count annotations in this project only (default: every project).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on one line.")
def team_list(project, as_json):
    """List the organisation's members with how many tasks each annotated.

    Example: workbench team list --project Claims
    """
    studio = connect()
    people = api.team_list(studio, project)
    if as_json:
        click.echo(json.dumps({"members": people}, ensure_ascii=False))
        return
    width = max([len(p["email"]) for p in people] + [5])
    click.echo(f"{'email':<{width}}  annotations  projects")
    for p in people:
        where = ", ".join(f"{title} {n}" for title, n in sorted(p["projects"].items()))
        click.echo(f"{p['email']:<{width}}  {p['annotations']:>11}  {where}")


def _figure(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _interval(interval) -> str:
    return f" [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else ""


def _echo_report(result: dict) -> None:
    """The report's headline figures, in a few lines."""
    click.echo(f"{result['n_sentences']} sentences with two or more annotators (of "
               f"{result['n_units']} labelled, {result['n_annotators']} annotators)")
    click.echo(f"  Krippendorff's alpha {_figure(result['alpha'])}{_interval(result['alpha_ci'])}, "
               f"Fleiss' kappa {_figure(result['fleiss_kappa'])}"
               f"{_interval(result['fleiss_kappa_ci'])} (bootstrap 95%)")
    for label, row in result["per_label"].items():
        if row["n"]:
            click.echo(f"  {label_to_choice(label):<18} alpha {_figure(row['alpha'])}  "
                       f"kappa {_figure(row['fleiss_kappa'])}  n={row['n']}")
    for name, person in result["annotators"].items():
        gold = (f"  gold {person['gold_accuracy']:.1%} of {person['n_gold']}"
                if person["gold_accuracy"] is not None else "")
        agree = f"{person['agreement']:.1%}" if person["agreement"] is not None else "n/a"
        click.echo(f"  {name}: {person['n']} annotations, agrees {agree}, median "
                   f"{_figure(person['median_seconds'], 1)} s{gold}")


@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the Markdown report and its heatmaps (PNG) here.")
@click.option("--gold", type=click.Path(dir_okay=False, path_type=Path),
              help="Gold file (JSON Lines: text, label, optional sentence_id): score each annotator.")
@click.option("--json", "as_json", is_flag=True,
              help="The last line of standard output is the whole report as one JSON object.")
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(0),
              help="Bootstrap resamples for the 95% intervals (0: none).")
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
def agreement(project, output_dir, gold, as_json, bootstrap, seed):
    """Agreement between annotators: alpha, Fleiss' and Cohen's kappas, per label and person.

    Over sentences labelled by two or more people (push with --overlap to have them).

    Example: workbench agreement --project Claims -o team-report/ --gold gold.jsonl
    """
    studio = connect()
    result = api.agreement(studio, project, output_dir=output_dir, gold=gold,
                           bootstrap=bootstrap, seed=seed)
    if not result["n_sentences"]:
        click.echo(f"project {project!r}: no sentence has two or more annotators: nothing to "
                   f"compare (push with --overlap 2 or more to have sentences labelled twice)")
    else:
        _echo_report(result)
    if output_dir:
        click.echo(f"  report: {output_dir / 'team_report.md'} (with confusion.png, pairwise.png)")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))


@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("--mark-reviewer", "reviewer", metavar="EMAIL",
              help="Mark this member's annotations in the project as ground truth (their "
                   "decisions win on pull).")
def adjudicate(project, reviewer):
    """Find disagreements; keep a "Disagreements" tab, least agreement first (idempotent).

    Writes each disagreeing task's agreement (share of annotators on its most chosen label)
    into its data, sending only tasks whose value changed. A reviewer opens the tab, submits
    the decision and stars it (ground truth), or the command marks a reviewer's annotations.

    Example: workbench adjudicate --project Claims --mark-reviewer rita@example.org
    """
    studio = connect()
    done = api.adjudicate(studio, project, reviewer=reviewer)
    if reviewer:
        click.echo(f"{done.marked} annotations of {reviewer} marked as ground truth")
    if not done.compared:
        echo_err(f"project {project!r}: no sentence has two or more annotators: nothing to "
                 f"adjudicate (push with --overlap 2 or more)")
    click.echo(f"{done.disagreements} disagreements among {done.compared} sentences with two or "
               f"more annotators ({done.resolved} decided by ground truth); {done.updated} tasks "
               f"updated")
    click.echo(f"  tab 'Disagreements': {project_link(studio, studio.project_id(project))}"
               f"?tab={done.view_id}")
