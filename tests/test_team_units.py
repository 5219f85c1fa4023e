"""Team pieces without a server: resolution, gold files, overlap options, adjudication's changes."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from workbench.core.errors import ConfigError, InputError
from workbench.core.labels import FACT, NOT_A_CLAIM, OPINION, QUOTE, label_to_choice
from workbench.pipeline.adjudicate import FIELD, _changes, disagreements_view, hidden_columns, task_agreement
from workbench.pipeline.push import check_overlap, gold_task, mix_gold
from workbench.studio.exports import latest_annotations, resolve, task_record
from workbench.studio.users import check_email
from workbench.studio.views import ensure_view
from workbench.team.gold import gold_answers, read_gold, unknown_gold


def ann(label, who, *, gt=False, seconds=None, aid=None, cancelled=False):
    return {"id": aid, "completed_by": who, "ground_truth": gt, "lead_time": seconds,
            "was_cancelled": cancelled,
            "result": [{"from_name": "claim_type", "to_name": "text", "type": "choices",
                        "value": {"choices": [label_to_choice(label)]}}]}


def task(*annotations, tid=1, **data):
    return {"id": tid, "data": {"text": "t", "sentence_id": f"s{tid}", **data},
            "annotations": list(annotations)}


def test_ground_truth_decides_then_majority_and_ties_stay_out():
    rec = task_record(task(ann(FACT, 1), ann(FACT, 2), ann(OPINION, 3, gt=True)))
    assert (rec["label"], rec["source"], rec["agreement"]) == (OPINION, "ground_truth", 1 / 3)
    rec = task_record(task(ann(FACT, 1), ann(FACT, 2), ann(OPINION, 3)))
    assert (rec["label"], rec["source"], rec["agreement"]) == (FACT, "majority", 2 / 3)
    rec = task_record(task(ann(QUOTE, 1)))
    assert (rec["label"], rec["source"], rec["agreement"]) == (QUOTE, "single", 1.0)
    rec = task_record(task(ann(FACT, 1), ann(OPINION, 2)))
    assert rec["tie"] and rec["label"] is rec["source"] is rec["agreement"] is None
    # two ground truths that disagree decide nothing: the majority does
    rec = task_record(task(ann(FACT, 1, gt=True), ann(OPINION, 2, gt=True), ann(FACT, 3)))
    assert (rec["label"], rec["source"]) == (FACT, "majority")
    # a cancelled ground truth is no decision
    rec = task_record(task(ann(FACT, 1), ann(FACT, 2), ann(OPINION, 3, gt=True, cancelled=True)))
    assert (rec["label"], rec["source"], rec["n_annotations"]) == (FACT, "majority", 2)


def test_latest_annotations_name_people_and_keep_lead_times():
    latest = latest_annotations(task(ann(FACT, 7, seconds=3.5, aid=1), ann(OPINION, 7, seconds=9, aid=2),
                                     ann(QUOTE, 8, seconds=True)), names={"7": "ana@example.org"})
    assert latest == {"ana@example.org": {"label": OPINION, "ground_truth": False, "seconds": 9.0, "id": 2},
                      "8": {"label": QUOTE, "ground_truth": False, "seconds": None, "id": None}}
    assert resolve(latest)["consensus"] == 0.5


def test_gold_files_read_with_lines_and_clear_errors(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"text": "A.", "label": FACT, "sentence_id": "g1"}) + "\n\n"
                    + json.dumps({"text": "B.", "label": "Opinion"}) + "\n")
    gold = read_gold(path)
    assert [(g.line, g.label, g.given_id) for g in gold] == [(1, FACT, True), (3, OPINION, False)]
    assert gold_answers(gold) == {"g1": FACT, "B.": OPINION}
    for line, message in ((json.dumps({"text": "C.", "label": "rumour"}), ":2: label 'rumour'"),
                          (json.dumps({"label": FACT}), ":2: no `text`"),
                          (json.dumps({"text": "A.", "label": FACT, "sentence_id": "g1"}),
                           ":2: the same sentence as line 1")):
        path.write_text(json.dumps({"text": "A.", "label": FACT, "sentence_id": "g1"}) + "\n" + line + "\n")
        with pytest.raises(InputError, match=message):
            read_gold(path)
    path.write_text("\n")
    with pytest.raises(InputError, match="no gold sentence"):
        read_gold(path)


def test_unknown_gold_sentences_are_one_error_naming_the_first(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (
        {"text": "A.", "label": FACT, "sentence_id": "g1"}, {"text": "B.", "label": OPINION},
        {"text": "C.", "label": OPINION, "sentence_id": "g3"})))
    gold = read_gold(path)
    unknown_gold(gold, {"g1", "g3"}, {"B."}, path, "P")
    with pytest.raises(InputError, match=r"gold.jsonl:3: sentence_id 'g3' is not in project 'P'; push"):
        unknown_gold(gold, {"g1"}, {"B."}, path, "P")
    with pytest.raises(InputError, match=r":2: the text 'B.' is not in project 'P' \(and 1 more"):
        unknown_gold(gold, {"g1"}, set(), path, "P")


def test_gold_tasks_hold_no_answer_and_are_mixed_in():
    made = gold_task("The bridge reopened on Monday.", "g1")
    assert made["data"]["sentence_id"] == "g1" and "label" not in json.dumps(made)
    assert set(made["data"]) >= {"text", "title", "context_before", "context_after"}
    mixed = list(mix_gold(range(25), ["a", "b", "c", "d"], every=10))
    assert mixed[10] == "a" and mixed[21] == "b" and mixed[-2:] == ["c", "d"] and len(mixed) == 29


def test_overlap_options_become_the_project_fields():
    assert check_overlap(None, None) is None
    assert check_overlap(3, None) == {"maximum_annotations": 3, "overlap_cohort_percentage": 100}
    assert check_overlap(2, 0.2) == {"maximum_annotations": 2, "overlap_cohort_percentage": 20}
    for overlap, share, message in ((None, 0.5, "needs --overlap"), (0, None, "1 or more"),
                                    (2, 1.5, "at most 1"), (2, 0, "above 0")):
        with pytest.raises(ConfigError, match=message):
            check_overlap(overlap, share)


def test_emails_are_checked():
    assert check_email(" ana@example.org ") == "ana@example.org"
    with pytest.raises(ConfigError, match="'ana' is not an email address"):
        check_email("ana")


def test_adjudication_sends_only_changed_tasks():
    tasks = [task(ann(FACT, 1), ann(FACT, 2), tid=1),                          # agree: nothing
             task(ann(FACT, 1), ann(OPINION, 2), ann(OPINION, 3), tid=2),       # new: 0.6667
             task(ann(FACT, 1), ann(OPINION, 2), tid=3, **{FIELD: 0.5}),       # unchanged
             task(ann(FACT, 1), ann(FACT, 2), tid=4, **{FIELD: 0.5}),          # agrees now: drop
             task(ann(FACT, 1), tid=5, **{FIELD: 0.5}),                         # one left: drop
             task(tid=6)]
    counts, marks = Counter(), []
    changed = dict(_changes(tasks, "claim_type", counts, None, marks))
    assert set(changed) == {2, 4, 5}
    assert changed[2][FIELD] == pytest.approx(2 / 3, abs=1e-4) and changed[2]["text"] == "t"
    assert FIELD not in changed[4] and FIELD not in changed[5]
    assert (counts["compared"], counts["disagreements"], counts["resolved"]) == (4, 2, 0)
    assert task_agreement(tasks[0]) is None and task_agreement(tasks[2]) == 0.5
    # the reviewer's annotations become ground truth; those already marked are not sent again
    reviewed = [task(ann(FACT, 1), ann(OPINION, 9, aid=41), tid=7),
                task(ann(FACT, 1), ann(NOT_A_CLAIM, 9, aid=42, gt=True), ann(FACT, 2), tid=8)]
    counts = Counter()
    list(_changes(reviewed, "claim_type", counts, 9, marks))
    assert marks == [41] and counts["resolved"] == 2


class FakeViews:
    """The views part of a Studio, counting writes."""

    def __init__(self, data):
        self.data, self.writes = data, []
        self.sdk = self

    @property
    def views(self):
        return self

    def call(self, what, fn, *args, **kwargs):
        return fn(*args, **kwargs)

    def list(self, project):
        return [type("V", (), {"dict": lambda _s: {"id": 5, "data": self.data}})()]

    def update(self, **kwargs):
        self.writes.append(kwargs)


def test_a_tab_that_holds_its_settings_is_left_alone():
    body = {**disagreements_view(), "title": "Disagreements"}
    same = FakeViews(dict(body, hiddenColumns={"explore": []}))
    assert ensure_view(same, 1, "Disagreements", disagreements_view()) == 5 and same.writes == []
    stale = FakeViews({"title": "Disagreements", "ordering": ["-tasks:data.agreement"]})
    ensure_view(stale, 1, "Disagreements", disagreements_view())
    assert stale.writes and stale.writes[0]["data"] == body


def test_the_tab_hides_the_other_columns_until_its_users_choose_their_own():
    initial = hidden_columns({"text", "agreement", "speaker", "article_id"})
    hidden = initial["hiddenColumns"]["explore"]
    assert {"tasks:data.speaker", "tasks:data.article_id", "tasks:predictions_results"} <= set(hidden)
    assert not {"tasks:data.text", "tasks:data.agreement", "tasks:id", "tasks:annotators",
                "tasks:total_annotations"} & set(hidden)
    stale = FakeViews({"title": "Disagreements"})  # an older tab, no column choice
    ensure_view(stale, 1, "Disagreements", disagreements_view(), initial=initial)
    assert stale.writes[0]["data"]["hiddenColumns"] == initial["hiddenColumns"]
    chosen = {"explore": ["tasks:data.text"]}  # the reviewer's own choice is kept
    theirs = FakeViews({"title": "Disagreements", "hiddenColumns": chosen})
    ensure_view(theirs, 1, "Disagreements", disagreements_view(), initial=initial)
    assert theirs.writes[0]["data"]["hiddenColumns"] == chosen


def test_the_pull_summary_counts_a_weighted_record_as_that_many_sentences():
    from workbench.team.agreement import agreement

    votes = [{FACT: 2, OPINION: 1}, {FACT: 3}, {OPINION: 1, QUOTE: 1}, {FACT: 1}]
    repeated = [{"votes": v, "n_annotations": sum(v.values())} for v in votes for _ in range(3)]
    weighted = [{"votes": v, "n_annotations": sum(v.values()), "weight": 3} for v in votes]
    assert agreement(weighted) == pytest.approx(agreement(repeated))
    assert agreement(weighted)["units"] == 9 and agreement([])["units"] == 0
