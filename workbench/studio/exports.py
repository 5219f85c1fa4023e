"""Label Studio exports to labelled sentence records, with majority vote and agreement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import combinations

from workbench.core.labels import choice_to_label
from workbench.studio.labelconfig import FROM_NAME


def annotation_label(annotation: dict, from_name: str = FROM_NAME) -> str | None:
    """The label key an annotation chose, or None (cancelled, empty, or other control)."""
    if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
        return None
    results = annotation.get("result")
    if not isinstance(results, list):
        return None
    for result in results:
        if not isinstance(result, dict) or result.get("from_name") != from_name:
            continue
        value = result.get("value")
        choices = value.get("choices") if isinstance(value, dict) else None
        if isinstance(choices, list) and choices and isinstance(choices[0], str) and choices[0]:
            return choice_to_label(choices[0])
    return None


def _annotator(annotation: dict) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return str(who) if who is not None else "?"


def task_record(task: dict, from_name: str = FROM_NAME) -> dict | None:
    """One labelled record from an exported task, or None when nobody labelled it.

    Several annotators are resolved by majority; a tie is flagged (`tie: true`, `label: null`).
    An annotator who labelled the task twice counts once (their latest answer).
    """
    if not isinstance(task, dict):
        return None
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    latest: dict[str, str] = {}
    annotations = task.get("annotations")
    for annotation in annotations if isinstance(annotations, list) else []:
        label = annotation_label(annotation, from_name)
        if label is not None:
            latest[_annotator(annotation)] = label
    if not latest:
        return None
    counts = Counter(latest.values()).most_common()
    tie = len(counts) > 1 and counts[0][1] == counts[1][1]
    return {
        "sentence_id": data.get("sentence_id") or f"task-{task.get('id')}",
        "article_id": data.get("article_id", ""),
        "text": data.get("text", "") if isinstance(data.get("text", ""), str) else "",
        "label": None if tie else counts[0][0],
        "tie": tie,
        "votes": dict(Counter(latest.values())),
        "annotators": sorted(latest),
        "n_annotations": len(latest),
        "role": data.get("role", ""),
        "lang": data.get("lang", ""),
        "task_id": task.get("id"),
    }


def iter_labelled(tasks: Iterable[dict], from_name: str = FROM_NAME) -> Iterator[dict]:
    """Labelled records for the exported tasks that have at least one usable annotation."""
    for task in tasks:
        record = task_record(task, from_name)
        if record is not None:
            yield record


def agreement(records: Iterable[dict]) -> dict:
    """Pairwise agreement and Krippendorff's alpha (nominal) over multiply-annotated records."""
    units = [rec["votes"] for rec in records if rec.get("n_annotations", 0) >= 2]
    pairs = agree = 0
    coincidence: Counter = Counter()
    for votes in units:
        values = [label for label, n in votes.items() for _ in range(n)]
        m = len(values)
        for a, b in combinations(values, 2):
            pairs += 1
            agree += a == b
        for a in values:
            for b in values:
                coincidence[(a, b)] += 1.0 / (m - 1)
        for a in values:  # remove self-pairs counted above
            coincidence[(a, a)] -= 1.0 / (m - 1)
    result = {"units": len(units), "pairs": pairs,
              "percent_agreement": (agree / pairs) if pairs else None, "krippendorff_alpha": None}
    n_total = sum(coincidence.values())
    if n_total > 1:
        marginals: Counter = Counter()
        for (a, _b), w in coincidence.items():
            marginals[a] += w
        observed = sum(w for (a, b), w in coincidence.items() if a != b) / n_total
        expected = sum(marginals[a] * marginals[b] for a in marginals for b in marginals if a != b)
        expected /= n_total * (n_total - 1)
        result["krippendorff_alpha"] = 1.0 - observed / expected if expected else 1.0
    return result
