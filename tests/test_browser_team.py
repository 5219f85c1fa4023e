"""A team in a real browser: two annotators disagree, the reviewer decides in "Disagreements".

Two members added by `workbench team add` log in one after the other and label the same
overlapped task through "Label All Tasks", neither seeing the other's choice pre-filled;
`workbench adjudicate` builds the "Disagreements" tab; the reviewer (the admin) opens it,
opens the task, sees both choices and submits a decision, which `adjudicate --mark-reviewer`
marks as ground truth (Label Studio Community's editor has no ground-truth star: its menu
offers none); `workbench pull` returns it with `source: ground_truth`. Debian's Chromium through playwright, as tests/test_browser.py.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid

import pytest

from conftest import REPO, log_in, run_workbench, wait_until
from test_browser import HOTKEYS, browser_context, need  # noqa: F401 (fixture)
from test_team_integration import embedded_env  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

# A checked choice of the label config (the Data Manager has radio buttons of its own).
CHOSEN = ", ".join(f"input[type=radio][name='{choice}']:checked" for choice in HOTKEYS)
SCREENSHOT = REPO / "docs" / "team-disagreements.png"
ARTICLE = ("Harbour works approved\n\n"
           "The harbour authority approved on Monday a plan to dredge the northern basin for "
           "twelve million euros, work to start in March.\n")


def label_the_next_task(page, url: str, pid: int, choice: str) -> str:
    """Open "Label All Tasks", check nothing is pre-selected, answer with a hotkey; the sentence."""
    page.goto(f"{url}/projects/{pid}/data?labeling=1")
    sentence = page.locator(".wb-sentence")
    sentence.wait_for()
    page.locator("input[type=radio]").first.wait_for()
    assert page.locator(CHOSEN).count() == 0, \
        "a choice is pre-filled: the annotator sees someone else's answer"
    shown = sentence.inner_text().strip()
    sentence.click()
    page.keyboard.press(HOTKEYS[choice])
    page.wait_for_selector(f"input[type=radio][name='{choice}']:checked")
    page.keyboard.press("Control+Enter")
    return shown


# The labelled check boxes on the page that are shown (the Columns menu's, once it is open).
LABELLED_BOXES = ("() => Array.from(document.querySelectorAll('label'))"
                  ".filter(l => l.querySelector('input[type=checkbox]') && l.offsetParent !== null)")


def ticked_columns(page) -> set[str]:
    """The columns ticked in the Data Manager's Columns menu (the page is loaded again, which
    closes the menu)."""
    menu = page.get_by_role("button", name="Columns")
    before = page.evaluate(f"({LABELLED_BOXES})().length")  # the table's own boxes
    menu.click()
    page.wait_for_function(f"() => ({LABELLED_BOXES})().length > {before}")
    shown = page.evaluate(f"({LABELLED_BOXES})()"
                          ".filter(l => l.querySelector('input[type=checkbox]:checked'))"
                          ".map(l => l.innerText.trim())")
    page.reload()
    page.wait_for_function(f"() => ({LABELLED_BOXES})().length == {before}")
    return {name for name in shown if name}


def test_two_annotators_disagree_and_the_reviewer_decides_in_the_disagreements_tab(
        label_studio, studio, embedded_env, project_name, tmp_path, browser_context):  # noqa: F811
    if not (label_studio.username and label_studio.password):
        need("no admin login for this Label Studio")
    env = label_studio.env()
    uid = uuid.uuid4().hex[:8]
    ana, ben = f"ana-{uid}@example.org", f"ben-{uid}@example.org"
    handed = tmp_path / "team.txt"
    run_workbench(["team", "add", ana, ben, "--passwords-file", str(handed)], embedded_env,
                  tmp_path)
    passwords = dict(line.split("\t") for line in handed.read_text().splitlines())
    article = tmp_path / "harbour.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    run_workbench(["push", str(article), "--project", project_name, "--overlap", "2",
                   "--no-predictions", "--skip-roles", "title,byline,heading"], env, tmp_path)
    pid = studio.project_id(project_name)
    (task,) = list(studio.iter_tasks(pid))
    assert "dredge the northern basin" in task["data"]["text"]

    # -- two annotators, one after the other, each through "Label All Tasks"
    answers = {ana: "Verifiable fact", ben: "Opinion"}
    for n, (email, choice) in enumerate(answers.items(), start=1):
        page = browser_context.new_page()
        log_in(page, label_studio.url, email, passwords[email].strip())
        shown = label_the_next_task(page, label_studio.url, pid, choice)
        assert shown == task["data"]["text"]
        wait_until(lambda: len(studio.task(task["id"]).get("annotations") or []) == n, 30,
                   f"{email}'s annotation did not reach Label Studio")
        page.goto(f"{label_studio.url}/logout")
        page.close()
    stored = studio.task(task["id"])["annotations"]
    assert sorted(a["result"][0]["value"]["choices"][0] for a in stored) == sorted(answers.values())

    # -- the command builds the tab, with only the columns that matter; the reviewer opens it
    done = run_workbench(["adjudicate", "--project", project_name], env, tmp_path).stdout
    assert "1 disagreements among 1 sentences" in done, done
    page = browser_context.new_page()
    log_in(page, label_studio.url, label_studio.username, label_studio.password)
    page.goto(f"{label_studio.url}/projects/{pid}/data")
    page.get_by_text("Disagreements", exact=True).first.click()
    page.get_by_text("dredge the northern basin").first.wait_for()
    assert ticked_columns(page) == {"ID", "Annotations", "Annotated by", "text", "agreement"}
    page.get_by_text("dredge the northern basin").first.wait_for()
    page.get_by_text("0.500").wait_for()  # the agreement column, read as a number
    for initials in ("AN", "BE"):  # both annotators in "Annotated by"
        page.get_by_text(initials, exact=True).first.wait_for()
    page.screenshot(path=str(tmp_path / "team-disagreements.png"))
    if os.environ.get("WORKBENCH_UPDATE_DOCS"):  # refresh the README's picture on purpose only
        shutil.copyfile(tmp_path / "team-disagreements.png", SCREENSHOT)

    # -- the task: each annotator's choice in their tab, then the reviewer's own decision
    page.get_by_text("dredge the northern basin").first.click()
    for email, choice in answers.items():
        page.locator(".lsf-annotation-button").filter(has_text=email[:8]).first.click()
        page.wait_for_selector(f"input[type=radio][name='{choice}']:checked")
    page.get_by_role("button", name="Create an annotation").click()
    page.wait_for_selector(CHOSEN, state="detached")  # a blank form
    page.locator(".wb-sentence").click()
    page.keyboard.press(HOTKEYS["Verifiable fact"])
    page.wait_for_selector("input[type=radio][name='Verifiable fact']:checked")
    page.keyboard.press("Control+Enter")
    wait_until(lambda: len(studio.task(task["id"]).get("annotations") or []) == 3, 30,
               "the reviewer's decision did not reach Label Studio")

    # -- Community's editor has no ground-truth star: the command marks the reviewer's decision
    marked = run_workbench(["adjudicate", "--project", project_name, "--mark-reviewer",
                            label_studio.username], env, tmp_path).stdout
    assert "1 decided by ground truth" in marked, marked
    (truth,) = [a for a in studio.task(task["id"])["annotations"] if a.get("ground_truth")]
    assert truth["result"][0]["value"]["choices"] == ["Verifiable fact"]

    # -- pull: the decision settles the tie, with its source
    out = tmp_path / "labels.jsonl"
    run_workbench(["pull", "--project", project_name, "-o", str(out)], env, tmp_path)
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert (line["label"], line["source"]) == ("verifiable_fact", "ground_truth"), line
    assert line["n_annotations"] == 3
