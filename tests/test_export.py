"""Export parsing: majority vote, ties, cancelled annotations, agreement."""

import pytest

from workbench.studio.exports import annotation_label, iter_labelled, task_record
from workbench.team.agreement import agreement


def ann(choice, who=1, cancelled=False, from_name="claim_type"):
    return {"completed_by": who, "was_cancelled": cancelled,
            "result": [{"from_name": from_name, "to_name": "text", "type": "choices",
                        "value": {"choices": [choice]}}]}


def task(*annotations, tid=1, sid="s1"):
    return {"id": tid, "data": {"text": "A sentence.", "sentence_id": sid, "article_id": "a1"},
            "annotations": list(annotations)}


def test_majority_wins_and_cancelled_are_ignored():
    rec = task_record(task(ann("Opinion", 1), ann("Opinion", 2), ann("Verifiable fact", 3),
                           ann("Verifiable fact", 4, cancelled=True)))
    assert rec["label"] == "opinion" and not rec["tie"]
    assert rec["n_annotations"] == 3 and rec["annotators"] == ["1", "2", "3"]
    assert rec["votes"] == {"opinion": 2, "verifiable_fact": 1}


def test_tie_is_flagged_and_unlabelled():
    rec = task_record(task(ann("Opinion", 1), ann("Not a claim", 2)))
    assert rec["tie"] and rec["label"] is None


def test_same_annotator_counts_once_latest_answer():
    rec = task_record(task(ann("Opinion", 1), ann("Attributed quote", 1)))
    assert rec["label"] == "attributed_quote" and rec["n_annotations"] == 1


def test_unlabelled_tasks_and_other_controls_give_nothing():
    assert task_record(task()) is None
    assert task_record(task(ann("Opinion", from_name="other"))) is None
    assert task_record(task(ann("Opinion", cancelled=True))) is None
    assert list(iter_labelled([task(), task(ann("Opinion"), tid=2, sid="s2")]))[0]["sentence_id"] == "s2"


@pytest.mark.parametrize("junk", [None, {}, {"result": None}, {"result": [None]},
                                  {"result": [{"from_name": "claim_type", "value": {"choices": []}}]},
                                  {"result": [{"from_name": "claim_type", "value": "x"}]}])
def test_malformed_annotations_are_skipped(junk):
    assert annotation_label(junk) is None


def test_unknown_choice_passes_through_as_its_own_label():
    assert task_record(task(ann("Rumour")))["label"] == "Rumour"


def test_agreement_perfect_and_split():
    same = [task_record(task(ann("Opinion", 1), ann("Opinion", 2), tid=i, sid=f"s{i}")) for i in range(3)]
    mixed = same + [task_record(task(ann("Opinion", 1), ann("Not a claim", 2), tid=9, sid="s9"))]
    assert agreement(same)["percent_agreement"] == 1.0
    stats = agreement(mixed)
    assert stats["units"] == 4 and stats["percent_agreement"] == 0.75
    assert stats["krippendorff_alpha"] < 1.0


def test_krippendorff_alpha_matches_a_hand_computation():
    # Two coders, four units: (a,a) (a,b) (b,b) (b,b). Coincidences: a-a 2, a-b 1, b-a 1, b-b 4;
    # n=8, n_a=3, n_b=5: D_o = 2/8, D_e = 2*3*5/(8*7); alpha = 1 - D_o/D_e = 1 - 0.25/0.5357...
    recs = [task_record(task(ann(x, 1), ann(y, 2), tid=i, sid=f"s{i}"))
            for i, (x, y) in enumerate([("Opinion", "Opinion"), ("Opinion", "Not a claim"),
                                        ("Not a claim", "Not a claim"), ("Not a claim", "Not a claim")])]
    assert agreement(recs)["krippendorff_alpha"] == pytest.approx(1 - 0.25 / (30 / 56))
