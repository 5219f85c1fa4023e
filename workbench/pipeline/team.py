"""The team's members and their agreement, over a project's export snapshot streamed."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import ConfigError
from workbench.pipeline.pull import exported_tasks
from workbench.studio import users
from workbench.studio.exports import latest_annotations
from workbench.studio.labelconfig import FROM_NAME
from workbench.team.gold import gold_answers, read_gold, unknown_gold
from workbench.team.stats import TeamTally


@dataclass(frozen=True)
class TeamAdded:
    """What `team add` did: accounts created, members already there, passwords, or the link."""

    created: list[str]
    existing: list[str]
    passwords: dict[str, str] = field(default_factory=dict, repr=False)  # never in a repr
    invite_link: str | None = None


def team_add(studio, emails: Iterable[str], *, home=None, new_password: bool = False) -> TeamAdded:
    """Add people to the key's organisation (idempotent: members are left as they are).

    On the embedded server (`home`, a StudioHome) each new member gets a generated password
    (with `new_password`, existing ones too), returned once. On another server Community's
    API cannot set passwords: accounts are not created, the invite link is returned instead,
    for people to sign up with a password of their own.
    """
    wanted = list(dict.fromkeys(users.check_email(e) for e in emails))
    if new_password and home is None:
        raise ConfigError(f"new passwords can be set on the embedded server only, not on "
                          f"{studio.url}; there, people sign up with the invite link")
    users.check_admin(studio)
    present = {m["email"].lower() for m in users.members(studio)}
    existing = [e for e in wanted if e.lower() in present]
    missing = [e for e in wanted if e.lower() not in present]
    if home is None:
        link = users.invite_link(studio) if missing else None
        return TeamAdded([], existing, invite_link=link)
    for email in missing:
        users.create_member(studio, email)
    give = missing + (existing if new_password else [])
    passwords = {email: secrets.token_urlsafe(12) for email in give}
    users.set_passwords(home, passwords)
    return TeamAdded(missing, existing, passwords)


def team_list(studio, project: str | None = None) -> list[dict]:
    """Members with their annotations: [{"id", "email", "annotations", "projects": {title: n}}].

    Counted from each project's task list (who annotated each task), one paged listing per
    project; `project` restricts the counts to one project.
    """
    people = users.members(studio)
    counts: dict[int, Counter] = {m["id"]: Counter() for m in people}
    projects = ([{"id": studio.project_id(project), "title": project}] if project
                else studio.list_projects())
    for p in projects:
        for task in studio.iter_tasks(p["id"], include="id,annotators", computed=True):
            for who in task.get("annotators") or ():
                who = who.get("id") if isinstance(who, dict) else who
                if who in counts:
                    counts[who][p["title"]] += 1
    return [{**m, "annotations": sum(counts[m["id"]].values()),
             "projects": dict(counts[m["id"]])} for m in people]


def iter_units(tasks: Iterable[dict], names: dict[str, str], *,
               from_name: str = FROM_NAME, seen: Callable[[dict], None] | None = None) -> Iterator[dict]:
    """Team-statistics units of exported tasks: annotators named by email, lead_time in seconds."""
    for task in tasks:
        if seen:
            seen(task)
        latest = latest_annotations(task, from_name, names)
        if not latest:
            continue
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        yield {"sentence_id": data.get("sentence_id") or f"task-{task.get('id')}",
               "text": data.get("text"),
               "annotations": [{"annotator": who, **ann} for who, ann in latest.items()]}


def team_agreement(studio, pid: int, *, project: str = "", gold: Path | str | None = None,
                   bootstrap: int = 1000, seed: int = 0, from_name: str = FROM_NAME,
                   workdir: Path | None = None) -> dict:
    """The team report of a project (see `workbench.team.stats.team_report`).

    Streams the export snapshot once; annotators are named by their email. With `gold` (a
    gold file), each annotator is scored on it; gold sentences missing from the project
    are one InputError.
    """
    sentences = read_gold(gold) if gold else []
    tally = TeamTally(gold_answers(sentences))
    ids, texts = set(), set()
    wanted_ids = {s.sentence_id for s in sentences if s.given_id}
    wanted_texts = {s.text for s in sentences if not s.given_id}

    def seen(task: dict) -> None:  # which gold sentences the project holds
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        if data.get("sentence_id") in wanted_ids:
            ids.add(data["sentence_id"])
        if data.get("text") in wanted_texts:
            texts.add(data["text"])

    names = users.member_names(studio)
    with exported_tasks(studio, pid, workdir=workdir) as tasks:
        for unit in iter_units(tasks, names, from_name=from_name,
                               seen=seen if sentences else None):
            tally.add(unit)
    if sentences:
        unknown_gold(sentences, ids, texts, gold, project or str(pid))
    return tally.report(bootstrap=bootstrap, seed=seed)
