"""Gold sentences: a JSON Lines file the operator keeps (text, label, optional sentence_id).

The answers never go to Label Studio (every member can read task data there); `push --gold`
sends the sentences alone, and `agreement --gold` scores each annotator against this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.core.encoding import decode_bytes
from workbench.core.errors import InputError
from workbench.core.jsonl import read_jsonl
from workbench.core.labels import LABELS, choice_to_label
from workbench.core.records import sentence_key

GOLD_ARTICLE = "gold"  # the article id a gold sentence without sentence_id is keyed under


@dataclass(frozen=True)
class GoldSentence:
    """One gold sentence: where it is in the file, its id (given or derived), text and label."""

    line: int
    sentence_id: str
    text: str
    label: str
    given_id: bool


def _line_numbers(path: Path) -> list[int]:
    """The line number of each record read_jsonl returns (it skips blank lines)."""
    text, _ = decode_bytes(Path(path).read_bytes(), path)
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def read_gold(path: Path | str) -> list[GoldSentence]:
    """The gold sentences of a file; a bad line is one InputError naming the file and line."""
    path = Path(path)
    records = read_jsonl(path, "gold file")
    numbers = _line_numbers(path)
    gold, seen = [], {}
    for n, record in zip(numbers, records):
        text, label = record.get("text"), record.get("label")
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{path}:{n}: no `text`; each gold line needs the sentence's text "
                             f"and its `label`")
        key = choice_to_label(label) if isinstance(label, str) else None
        if key not in LABELS:
            raise InputError(f"{path}:{n}: label {label!r} is not one of {', '.join(LABELS)}; "
                             f"write the label key as `workbench pull` does")
        sid = record.get("sentence_id")
        if sid is not None and (not isinstance(sid, str) or not sid.strip()):
            raise InputError(f"{path}:{n}: sentence_id must be a non-empty string; fix it or "
                             f"leave it out (the sentence is then matched by its text)")
        item = GoldSentence(n, sid or sentence_key(GOLD_ARTICLE, 0, text), text, key, sid is not None)
        if item.sentence_id in seen:
            raise InputError(f"{path}:{n}: the same sentence as line {seen[item.sentence_id]}; "
                             f"keep one line per gold sentence")
        seen[item.sentence_id] = n
        gold.append(item)
    if not gold:
        raise InputError(f"{path}: no gold sentence; write one JSON object per line with "
                         f"`text` and `label`")
    return gold


def gold_answers(gold: list[GoldSentence]) -> dict[str, str]:
    """The answers as team statistics read them: by sentence_id when given, else by text."""
    return {(item.sentence_id if item.given_id else item.text): item.label for item in gold}


def unknown_gold(gold: list[GoldSentence], found_ids: set[str], found_texts: set[str],
                 path: Path | str, project: str) -> None:
    """One InputError when gold sentences are missing from the project (the first named)."""
    missing = [item for item in gold if (item.sentence_id not in found_ids if item.given_id
                                         else item.text not in found_texts)]
    if not missing:
        return
    first = missing[0]
    what = (f"sentence_id {first.sentence_id!r}" if first.given_id
            else f"the text {first.text[:60]!r}")
    more = f" (and {len(missing) - 1} more gold sentences)" if len(missing) > 1 else ""
    raise InputError(f"{path}:{first.line}: {what} is not in project {project!r}{more}; push "
                     f"the gold sentences with `workbench push --gold {path} --project "
                     f"{project}` or fix the ids")
