"""A team on a real Label Studio: team add, overlap, agreement, adjudication, ground truth, gold."""

from __future__ import annotations

import json
import os
import stat
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import REPO, run_workbench, view_tasks
from workbench.core.labels import FACT, NOT_A_CLAIM, OPINION, QUOTE, label_to_choice
from workbench.studio.users import members

pytestmark = pytest.mark.integration

F, O, Q, N = FACT, OPINION, QUOTE, NOT_A_CLAIM

# Gold sentences of our own: the first keyed by its sentence_id, the second by its text.
GOLD = [{"sentence_id": "gold-harbour-1", "text": "The harbour authority counted 412 ferry "
         "crossings in March, nine more than a year earlier.", "label": F},
        {"text": "Frankly, the new timetable is the worst idea the council has had in years.",
         "label": O}]

# Who labels what: t1..t6 are sentences of the article, g1 g2 the gold ones (g1 F, g2 O).
PLAN = {"t1": {"a": F, "b": F, "c": F}, "t2": {"a": F, "b": F, "c": O},
        "t3": {"a": O, "b": Q, "c": N}, "t4": {"a": Q, "b": Q, "c": Q},
        "t5": {"a": F, "b": O}, "t6": {"a": N},
        "g1": {"a": F, "b": O, "c": F}, "g2": {"a": O, "b": O, "c": Q}}
ORDER = ["t1", "t2", "t3", "t4", "t5", "t6", "g1", "g2"]
BASE_SECONDS = {"a": 10, "b": 20, "c": 30}  # lead_time = base + the task's place in ORDER


@pytest.fixture(scope="module")
def embedded_env(label_studio, tmp_path_factory):
    """The command's environment for the embedded test server (passwords are set only there)."""
    from workbench.studio.local import read_env_file

    if os.environ.get("LABEL_STUDIO_URL"):
        pytest.skip("an external server: passwords are set only on the embedded one")
    homes = [f.parent for f in tmp_path_factory.getbasetemp().glob("studio*/studio.env")
             if read_env_file(f).get("LABEL_STUDIO_URL") == label_studio.url]
    assert homes, "the label_studio fixture's home holds its studio.env"
    venv = homes[0] / "studio-venv"
    if not venv.exists():  # the fixture shares one install between homes
        venv.symlink_to(Path(os.environ.get("WORKBENCH_STUDIO_VENV")
                             or REPO / ".workbench" / "studio-venv"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    return {**env, "WORKBENCH_HOME": str(homes[0])}


def run(args, env, cwd, check=True):
    return run_workbench(args, env, cwd, check=check)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def login(url: str, email: str, password: str) -> httpx.Client:
    """A browser-like session of a member (fails the test when the password is refused)."""
    client = httpx.Client(base_url=url)
    client.get("/user/login/")
    answer = client.post("/user/login/", data={"csrfmiddlewaretoken": client.cookies["csrftoken"],
                                               "email": email, "password": password},
                         headers={"Referer": f"{url}/user/login/"})
    assert answer.status_code == 302, f"{email} cannot log in with the password handed out"
    return client


def annotate(label_studio, task_id: int, user_id: int, label: str, seconds: float) -> int:
    """An annotation as a member would submit it (completed_by, lead_time), through the API."""
    answer = httpx.post(f"{label_studio.url}/api/tasks/{task_id}/annotations/",
                        headers={"Authorization": f"Token {label_studio.api_key}"},
                        json={"completed_by": user_id, "lead_time": seconds, "result": [
                            {"from_name": "claim_type", "to_name": "text", "type": "choices",
                             "value": {"choices": [label_to_choice(label)]}}]})
    answer.raise_for_status()
    return answer.json()["id"]


def test_a_team_labels_an_overlapped_project(label_studio, studio, embedded_env, project_name,
                                             tmp_path, example_articles):
    env = label_studio.env()
    uid = uuid.uuid4().hex[:8]
    emails = {k: f"{name}-{uid}@example.org" for k, name in
              (("a", "ana"), ("b", "ben"), ("c", "cleo"), ("r", "rita"))}

    # -- team add: accounts with passwords handed out once, in a 0600 file; idempotent
    passwords = tmp_path / "team.txt"
    added = run(["team", "add", *emails.values(), "--passwords-file", str(passwords)],
                embedded_env, tmp_path)
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600
    handed = dict(line.split("\t") for line in passwords.read_text().splitlines())
    assert set(handed) == set(emails.values())
    assert not any(p in added.stdout + added.stderr for p in handed.values())
    login(label_studio.url, emails["a"], handed[emails["a"]]).close()
    again = run(["team", "add", emails["a"]], embedded_env, tmp_path)
    assert "already a member" in again.stdout and "password" not in again.stdout
    ids = {m["email"]: m["id"] for m in members(studio)}
    # on a server that is not the embedded one: the invite link, and no account without password
    outsider = f"olga-{uid}@example.org"
    invited = run(["team", "add", outsider], env, tmp_path)
    assert f"{label_studio.url}/user/signup/?token=" in invited.stdout and outsider in invited.stdout
    assert outsider not in {m["email"] for m in members(studio)}
    who = {k: ids[e] for k, e in emails.items()}

    # -- push with overlap and gold sentences; re-pushing keeps the overlap
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD))
    article = str(example_articles[0])
    pushed = run(["push", article, "--project", project_name, "--overlap", "3", "--gold",
                  str(gold), "--no-predictions"], env, tmp_path)
    assert "2 gold sentences" in pushed.stdout
    run(["push", article, "--project", project_name, "--gold", str(gold), "--no-predictions"],
        env, tmp_path)
    pid = studio.project_id(project_name)
    project = studio.project(pid)
    assert (project["maximum_annotations"], project["overlap_cohort_percentage"]) == (3, 100)
    tasks = list(studio.iter_tasks(pid))
    by_text = {t["data"]["text"]: t for t in tasks}
    assert len(by_text) == len(tasks)  # the re-push duplicated nothing
    gold_tasks = [by_text[g["text"]] for g in GOLD]
    assert gold_tasks[0]["data"]["sentence_id"] == "gold-harbour-1"
    for task in gold_tasks:  # the answer never reaches Label Studio
        assert "label" not in task["data"] and F not in json.dumps(task["data"])
    article_tasks = [t for t in tasks if t not in gold_tasks][:6]
    task_of = dict(zip(ORDER, [t["id"] for t in article_tasks + gold_tasks]))

    for place, name in enumerate(ORDER):
        for k, label in PLAN[name].items():
            annotate(label_studio, task_of[name], who[k], label, BASE_SECONDS[k] + place)

    # -- agreement, against figures computed by hand (see test_team_stats for the formulas)
    out = tmp_path / "report"
    result = last_json(run(["agreement", "--project", project_name, "--json", "--gold",
                            str(gold), "-o", str(out)], env, tmp_path).stdout)
    # count vectors (F, O, Q, N): t1 3000, t2 2100, t3 0111, t4 0030, t5 1100, g1 2100, g2 0210
    # alpha: n = 20 values; D = 0+2+3+0+2+2+2 = 11; n_c = 8, 6, 5, 1; D_e = 400 - 126 = 274;
    #   alpha = 1 - 19 * 11 / 274 = 65/274
    # Fleiss: P_u = 1, 1/3, 0, 1, 0, 1/3, 1/3: mean 3/7; P_e = .16 + .09 + .0625 + .0025 = .315;
    #   kappa = (3/7 - 63/200) / (137/200) = 159/959
    assert result["n_sentences"] == 7
    assert result["alpha"] == pytest.approx(65 / 274, abs=1e-9)
    assert result["fleiss_kappa"] == pytest.approx(159 / 959, abs=1e-9)
    # one-vs-rest for F: (3,0) (2,1) (0,3) (0,3) (1,1) (2,1) (0,3): D = 6, D_e = 400 - 64 - 144
    assert result["per_label"][F]["alpha"] == pytest.approx(1 - 19 * 6 / 192, abs=1e-9)
    assert result["per_label"][F]["n"] == 8
    # Cohen: a-b 7 shared, p_o 4/7, p_e 16/49 -> 4/11; a-c 6 shared, p_o 1/2, p_e 10/36 -> 4/13;
    #   b-c 6 shared, p_o 1/3, p_e 10/36 -> 1/13
    pairs = result["pairwise"]
    A, B, C = emails["a"], emails["b"], emails["c"]
    assert pairs[A][B] == {"kappa": pytest.approx(4 / 11), "n": 7}
    assert pairs[A][C] == {"kappa": pytest.approx(4 / 13), "n": 6}
    assert pairs[B][C] == {"kappa": pytest.approx(1 / 13), "n": 6}
    people = result["annotators"]
    assert {k: people[e]["n"] for k, e in emails.items() if e in people} == {"a": 8, "b": 7, "c": 6}
    # agreeing pairs: a 7 of 13, b 6 of 13, c 5 of 12; gold: a 2/2, b 1/2 (g1), c 1/2 (g2)
    assert people[A]["agreement"] == pytest.approx(7 / 13)
    assert people[B]["agreement"] == pytest.approx(6 / 13)
    assert people[C]["agreement"] == pytest.approx(5 / 12)
    assert [people[x]["gold_accuracy"] for x in (A, B, C)] == [1.0, 0.5, 0.5]
    # lead times: a 10..17 -> 13.5; b 20..24, 26, 27 -> 23; c 30..33, 36, 37 -> 32.5
    assert [people[x]["median_seconds"] for x in (A, B, C)] == [13.5, 23.0, 32.5]
    assert result["confusion"][F][O] == 5  # t2 2x1, t5 1x1, g1 2x1
    assert result["alpha_ci"][0] <= result["alpha"] <= result["alpha_ci"][1]
    assert (out / "team_report.md").is_file() and (out / "confusion.png").stat().st_size > 1000

    # -- adjudicate: exactly the disagreeing tasks, least agreement first; a re-run sends nothing
    first = run(["adjudicate", "--project", project_name], env, tmp_path)
    assert "5 disagreements among 7" in first.stdout and "5 tasks updated" in first.stdout
    view = next(v for v in studio.call("tabs", studio.sdk.views.list, project=pid)
                if (v.data or {}).get("title") == "Disagreements")
    shown = view_tasks(label_studio, pid, view.id)
    assert sorted(t["id"] for t in shown) == sorted(task_of[n] for n in ("t2", "t3", "t5", "g1", "g2"))
    values = [t["data"]["agreement"] for t in shown]
    assert values == sorted(values) and values[:2] == [pytest.approx(1 / 3, abs=1e-4), 0.5]
    assert "0 tasks updated" in run(["adjudicate", "--project", project_name], env, tmp_path).stdout

    # -- the reviewer decides t2 against the majority; marked as ground truth by the command
    annotate(label_studio, task_of["t2"], who["r"], O, 5.0)
    marked = run(["adjudicate", "--project", project_name, "--mark-reviewer", emails["r"]],
                 env, tmp_path).stdout
    assert "1 annotations of" in marked and "1 decided by ground truth" in marked
    assert "1 tasks updated" in marked  # t2: F 2, O 2 of 4 now

    # -- pull: ground truth first, then majority; ties out; agreement and source on each line
    labels = tmp_path / "labels.jsonl"
    run(["pull", "--project", project_name, "-o", str(labels)], env, tmp_path)
    lines = {rec["task_id"]: rec for rec in map(json.loads, labels.read_text().splitlines())}
    got = {name: lines.get(task_of[name]) for name in ORDER}
    assert got["t3"] is None and got["t5"] is None  # ties without ground truth stay out
    assert (got["t2"]["label"], got["t2"]["source"], got["t2"]["agreement"]) == (O, "ground_truth", 0.5)
    assert (got["t1"]["label"], got["t1"]["source"], got["t1"]["agreement"]) == (F, "majority", 1.0)
    assert (got["t6"]["label"], got["t6"]["source"], got["t6"]["agreement"]) == (N, "single", 1.0)
    assert got["g1"]["agreement"] == pytest.approx(2 / 3) and got["g1"]["label"] == F
    run(["pull", "--project", project_name, "-o", str(labels), "--min-agreement", "0.7"],
        env, tmp_path)
    kept = {rec["task_id"] for rec in map(json.loads, labels.read_text().splitlines())}
    assert kept == {task_of[n] for n in ("t1", "t4", "t6")}

    # -- team list: each member's annotations in the project
    listed = last_json(run(["team", "list", "--project", project_name, "--json"], env,
                           tmp_path).stdout)
    counts = {m["email"]: m["annotations"] for m in listed["members"]}
    assert [counts[emails[k]] for k in "abcr"] == [8, 7, 6, 1]


def test_bad_team_input_is_one_clear_line(label_studio, studio, embedded_env, project_name,
                                         tmp_path, example_articles):
    env = label_studio.env()
    uid = uuid.uuid4().hex[:8]
    member = f"dora-{uid}@example.org"
    handed = tmp_path / "pw.txt"
    run(["team", "add", member, "--passwords-file", str(handed)], embedded_env, tmp_path)
    password = handed.read_text().split("\t")[1].strip()
    session = login(label_studio.url, member, password)
    try:
        key = session.get("/api/current-user/token").json()["token"]
    finally:
        session.close()

    def fails(args, environ, code, *words):
        done = run(args, environ, tmp_path, check=False)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == code, done.stdout + done.stderr
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        for word in words:
            assert word in lines[0], lines[0]

    # a member's key is not an admin's
    fails(["team", "add", f"eve-{uid}@example.org"], {**env, "LABEL_STUDIO_API_KEY": key}, 5,
          member, "owner")
    fails(["team", "add", "not-an-address"], embedded_env, 2, "not-an-address")
    # a project labelled once per sentence: nothing to compare, and that is not an error
    run(["push", str(example_articles[0]), "--project", project_name, "--no-predictions"],
        env, tmp_path)
    pid = studio.project_id(project_name)
    first = next(iter(studio.iter_tasks(pid)))
    studio.create_annotation(first["id"], [{"from_name": "claim_type", "to_name": "text",
                                            "type": "choices", "value": {"choices": ["Opinion"]}}])
    single = run(["agreement", "--project", project_name, "--json"], env, tmp_path)
    assert "nothing to compare" in single.stdout and last_json(single.stdout)["n_sentences"] == 0
    # an unknown reviewer, a gold file naming sentences the project does not have
    fails(["adjudicate", "--project", project_name, "--mark-reviewer", f"nobody-{uid}@example.org"],
          env, 2, f"nobody-{uid}@example.org", "team add")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"sentence_id": "no-such-id", "text": "A sentence.", "label": F})
                    + "\n" + json.dumps({"sentence_id": "nor-this", "text": "B.", "label": O}) + "\n")
    fails(["agreement", "--project", project_name, "--gold", str(gold)], env, 2,
          f"{gold}:1", "no-such-id", "1 more", "push --gold")
