"""Attribution records: spans, the JSON Lines form, offsets as workbench.text reads articles."""

from __future__ import annotations

import codecs
import json

import pytest

from workbench.core.errors import InputError
from workbench.core.records import Article
from workbench.quotes.records import (Attribution, Span, iter_tokens, merge_spans,
                                      sentence_ids_for)
from workbench.text.articles import iter_articles
from workbench.text.segment import segment_article

TEXT = '"The plan," he said, "is dead." Nobody answered.'


def _at(text: str, piece: str, after: int = 0) -> Span:
    start = text.index(piece, after)
    return Span(start, start + len(piece))


def _quote() -> Attribution:
    return Attribution("a1", (_at(TEXT, "he"),), (_at(TEXT, "said"),),
                       (_at(TEXT, "is dead."), _at(TEXT, "The plan,")),
                       speaker="Ann Lee", direct=True)


def test_span_reads_its_text_and_refuses_empty_or_reversed_spans():
    assert _at(TEXT, "said").text(TEXT) == "said"
    for start, end in [(3, 3), (5, 2), (-1, 4), (1.0, 4), (True, 4)]:
        with pytest.raises(ValueError):
            Span(start, end)


def test_spans_are_kept_sorted_so_equal_annotations_are_equal_records():
    quote = _quote()
    assert [s.text(TEXT) for s in quote.content] == ["The plan,", "is dead."]
    assert quote == Attribution("a1", [_at(TEXT, "he")], [_at(TEXT, "said")],
                                [_at(TEXT, "The plan,"), _at(TEXT, "is dead.")], "Ann Lee", True)
    assert quote.spans("source") == quote.source
    assert Attribution("a1", None, quote.cue, quote.content).spans("source") == ()


def test_json_lines_form_round_trips_through_json():
    for quote in [_quote(), Attribution("a1", None, (_at(TEXT, "said"),), (_at(TEXT, "dead"),),
                                        sentence_ids=("s1", "s2"))]:
        line = json.dumps(quote.to_dict(TEXT), ensure_ascii=False)
        record = json.loads(line)
        assert Attribution.from_dict(record, TEXT) == quote
        assert Attribution.from_dict(record) == quote
    record = _quote().to_dict(TEXT)
    assert list(record) == ["article_id", "source", "cue", "content", "speaker", "direct",
                            "sentence_ids"]
    assert record["content"] == [{"start": 1, "end": 10, "text": "The plan,"},
                                 {"start": 22, "end": 30, "text": "is dead."}]
    assert Attribution("a1", None, (Span(0, 1),), (Span(1, 2),)).to_dict(TEXT)["source"] is None


@pytest.mark.parametrize("change, message", [
    ({"cue": [{"start": 15, "end": 19, "text": "told"}]}, "reads 'said' in the article"),
    ({"cue": [{"start": 15, "end": 400, "text": "x"}]}, "ends after the article"),
    ({"cue": []}, "cue must be a non-empty list"),
    ({"content": None}, "content must be a non-empty list"),
    ({"cue": [{"start": 19, "end": 15}]}, "start < end"),
    ({"cue": ["14-18"]}, "each cue span"),
    ({"article_id": 3}, "article_id"),
    ({"direct": "yes"}, "direct"),
    ({"speaker": 1}, "speaker"),
    ({"sentence_ids": "s1"}, "sentence_ids"),
])
def test_a_bad_record_says_what_is_wrong_and_where(change, message):
    record = {**_quote().to_dict(TEXT), **change}
    with pytest.raises(InputError, match=message) as caught:
        Attribution.from_dict(record, TEXT, where="quotes.jsonl:7")
    assert str(caught.value).startswith("quotes.jsonl:7: ")


def test_a_record_without_a_role_is_refused():
    record = _quote().to_dict(TEXT)
    del record["source"]
    with pytest.raises(InputError, match="missing source"):
        Attribution.from_dict(record)


def test_tokens_are_word_runs_or_single_marks_cut_at_span_edges():
    text = "Il a dit: « C'est faux ! »"
    tokens = [text[s:e] for s, e in iter_tokens(text, [Span(0, len(text))])]
    assert tokens == ["Il", "a", "dit", ":", "«", "C", "'", "est", "faux", "!", "»"]
    # a span ending inside a word keeps only the part of the word it covers
    assert [text[s:e] for s, e in iter_tokens(text, [Span(5, 7), Span(18, 21)])] == ["di", "fau"]


def test_merge_spans_joins_touching_and_overlapping_spans():
    assert merge_spans([Span(20, 30), Span(0, 10), Span(10, 12), Span(25, 40)]) == (
        Span(0, 12), Span(20, 40))


def test_offsets_index_the_text_exactly_as_workbench_text_reads_a_txt_file(tmp_path):
    # CRLF, a decomposed accent (e + U+0301), a no-break space and a tab all survive as is
    raw = "Titre\r\n\r\nLe maire a de\u0301clare\u0301 :\u00a0\t« Non. »\r\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF8 + raw.encode("utf-8"))
    (tmp_path / "c.txt").write_bytes(raw.encode("cp1252", errors="ignore"))
    articles = {a.article_id: a for a in iter_articles([tmp_path], strict=True)}
    assert articles["a"].text == raw
    # the byte-order mark is dropped: offsets counted with it are one higher than ours
    assert articles["b"].text == raw
    # a legacy code page is decoded: offsets count characters, not bytes
    assert articles["c"].text == raw.encode("cp1252", errors="ignore").decode("cp1252")
    cue = _at(raw, "a de\u0301clare\u0301")
    assert cue.text(articles["a"].text) == "a de\u0301clare\u0301"


def test_sentence_ids_are_the_sentences_any_span_touches():
    text = "Ann Lee said the bridge will close. It rained. Bob warned: it is unsafe."
    article = Article("a1", text, lang="en")
    sentences = segment_article(article)
    assert [s.text for s in sentences][-1] == "Bob warned: it is unsafe."
    quote = Attribution("a1", (_at(text, "Ann Lee"),), (_at(text, "said"),),
                        (_at(text, "the bridge will close"), _at(text, "it is unsafe")))
    assert sentence_ids_for(quote, sentences) == (sentences[0].sentence_id,
                                                  sentences[-1].sentence_id)
    other = Attribution("a2", None, quote.cue, quote.content)
    assert sentence_ids_for(other, sentences) == ()
