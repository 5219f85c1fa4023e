"""Property-based tests: hostile input never raises anything but our own errors."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.text.articles import iter_articles
from workbench.core.errors import WorkbenchError
from workbench.studio.exports import iter_labelled, task_record
from workbench.team.agreement import agreement
from workbench.studio.labelconfig import parse_config
from workbench.core.records import Article
from workbench.text.segment import segment_article

ODD = st.sampled_from(["\u200b", "\u00a0", "\ufeff", "e\u0301", "\u202e", "\U0001F600", "\x00",
                       "«", "»", "“", "”", "...", "…", "M.", "U.S.", "\r\n", "\n\n", "\t", "é", "Ⅻ"])
TEXT = st.lists(st.one_of(st.text(max_size=40), ODD), max_size=40).map("".join)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(text=TEXT, title=st.text(max_size=30))
def test_segmentation_offsets_always_point_into_the_text(text, title):
    sentences = segment_article(Article("a", text, title=title))
    for i, s in enumerate(sentences):
        assert s.index == i
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
        assert s.role in {"title", "lead", "byline", "heading", "body"}
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)


@SETTINGS
@given(payload=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl", ".csv"]))
def test_article_files_of_any_bytes_give_articles_or_our_errors(tmp_path, payload, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_bytes(payload)
    errors: list = []
    articles = list(iter_articles([path], errors=errors))
    assert all(isinstance(e, WorkbenchError) and str(path) in str(e) for e in errors)
    for article in articles:
        for s in segment_article(article):
            assert article.text[s.start:s.end] == s.text


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["result", "value", "choices", "from_name",
                                                       "was_cancelled", "completed_by", "data",
                                                       "annotations", "text", "id", "sentence_id"]),
                                      children, max_size=5), max_leaves=25)
CHOICE = st.sampled_from(["Opinion", "Verifiable fact", "Attributed quote", "Not a claim", "", "Rumour"])
ANNOTATION = st.fixed_dictionaries({
    "completed_by": st.one_of(st.integers(1, 4), st.none(), st.fixed_dictionaries({"email": st.text(max_size=5)})),
    "was_cancelled": st.booleans(),
    "result": st.lists(st.fixed_dictionaries({
        "from_name": st.sampled_from(["claim_type", "other", ""]),
        "value": st.one_of(JSON, st.fixed_dictionaries({"choices": st.lists(CHOICE, max_size=3)})),
    }), max_size=3),
})
TASK = st.fixed_dictionaries({"id": st.integers(), "data": st.one_of(JSON, st.fixed_dictionaries(
    {"text": TEXT, "sentence_id": st.text(max_size=8)})), "annotations": st.lists(ANNOTATION, max_size=4)})


@SETTINGS
@given(tasks=st.lists(st.one_of(TASK, JSON), max_size=8))
def test_export_parsing_survives_anything(tasks):
    records = list(iter_labelled(tasks))
    for rec in records:
        assert rec["n_annotations"] >= 1
        assert rec["tie"] == (rec["label"] is None)
        json.dumps(rec)  # what pull writes must serialise
    stats = agreement(records)
    assert stats["percent_agreement"] is None or 0 <= stats["percent_agreement"] <= 1


@SETTINGS
@given(task=JSON)
def test_single_task_record_never_raises(task):
    task_record(task)


@SETTINGS
@given(xml=st.one_of(TEXT, st.builds(lambda a, b: f"<View>{a}<Choices name='{b}' toName='text'>"
                                                   f"<Choice value='{a}'/></Choices></View>", TEXT, TEXT)))
def test_label_config_parsing_raises_only_config_errors(xml):
    try:
        parse_config(xml)
    except WorkbenchError:
        pass


def test_huge_strings_pass_through_export():
    huge = "x" * 5_000_000
    task = {"id": 1, "data": {"text": huge, "sentence_id": "s"},
            "annotations": [{"completed_by": 1, "result": [{"from_name": "claim_type",
                                                            "value": {"choices": [huge]}}]}]}
    rec = task_record(task)
    assert rec["text"] == huge and rec["label"] == huge


LINE = st.one_of(TEXT, st.just('{"text": "x", "label": "opinion"}'), st.just("[1, 2]"),
                 st.just('{"text": 3}'), st.just('{"text": "y", "label": null, "tie": true}'),
                 st.builds(json.dumps, JSON))
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])


@SETTINGS
@given(lines=st.lists(LINE, max_size=6), encoding=ENCODING, junk=st.binary(max_size=40))
def test_labels_and_gold_files_of_any_content_train_or_give_our_errors(tmp_path, lines, encoding,
                                                                       junk):
    """A labels (or gold) file a user can pass: read, or one InputError naming the file."""
    from workbench.claims.classifier import training_records
    from workbench.core.jsonl import read_jsonl

    path = tmp_path / "labels.jsonl"
    data = "\n".join(lines).encode(encoding, errors="replace") + junk
    path.write_bytes(data)
    try:
        records = read_jsonl(path)
        training_records(records, where=str(path))
    except WorkbenchError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)


@SETTINGS
@given(manifest=st.one_of(st.binary(max_size=200), st.builds(lambda v: json.dumps(v).encode(), JSON),
                          st.builds(lambda d: json.dumps(d).encode(), st.fixed_dictionaries({
                              "format": st.sampled_from(["workbench-model/1", "x"]),
                              "sha256": st.one_of(st.text(max_size=64), st.integers()),
                              "labels": st.one_of(st.lists(st.text(max_size=5)), st.none()),
                              "arrays": st.one_of(st.none(), JSON)}))),
       model=st.binary(max_size=64))
def test_model_files_with_any_manifest_load_or_give_our_errors(tmp_path, manifest, model):
    """A model file and manifest a user can pass: refused with one ModelError, never a crash."""
    from workbench.claims.classifier import load_model
    from workbench.claims.loading import load_predictor
    from workbench.claims.modelfile import manifest_path
    from workbench.core.errors import ModelError

    path = tmp_path / "m.joblib"
    path.write_bytes(model)
    manifest_path(path).write_bytes(manifest)
    for load in (load_model, load_predictor):
        try:
            load(path)
        except ModelError as exc:
            assert "m.joblib" in str(exc) and "\n" not in str(exc)
        else:  # pragma: no cover - random bytes are never a valid, hash-checked model
            raise AssertionError("junk loaded as a model")
