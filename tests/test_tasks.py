"""Sentences to tasks and tasks to predictions."""

from workbench.studio.predictions import prediction
from workbench.core.records import Article, Sentence
from workbench.studio.tasks import article_tasks


def sentences():
    texts = [("Title here", "title"), ("First sentence.", "body"), ("Second one.", "body"),
             ("Third.", "body")]
    out, pos = [], 0
    for i, (t, role) in enumerate(texts):
        out.append(Sentence.make("art", i, t, pos, pos + len(t), role, "en"))
        pos += len(t) + 1
    return out


def test_tasks_carry_sentence_title_and_neighbours():
    article = Article("art", "x", title="Title here", lang="en")
    tasks = article_tasks(article, sentences())
    assert [t["data"]["text"] for t in tasks] == ["Title here", "First sentence.", "Second one.", "Third."]
    middle = tasks[2]["data"]
    assert middle["title"] == "Title here"
    assert middle["context_before"] == "First sentence." and middle["context_after"] == "Third."
    assert middle["sentence_id"] == sentences()[2].sentence_id and middle["article_id"] == "art"


def test_skip_roles_keeps_context_from_all_sentences():
    tasks = article_tasks(Article("art", "x"), sentences(), skip_roles=["title"])
    assert [t["data"]["role"] for t in tasks] == ["body"] * 3
    assert tasks[0]["data"]["context_before"] == "Title here"


def test_sentence_ids_are_stable_and_position_aware():
    a = Sentence.make("art", 1, "Same  text.", 0, 10)
    b = Sentence.make("art", 1, "Same text.", 5, 15)
    c = Sentence.make("art", 2, "Same text.", 0, 10)
    assert a.sentence_id == b.sentence_id != c.sentence_id


def test_prediction_shape():
    pred = prediction("opinion", 0.8123456789, "m-1")
    assert pred == {"model_version": "m-1", "score": 0.812346,
                    "result": [{"from_name": "claim_type", "to_name": "text", "type": "choices",
                                "value": {"choices": ["Opinion"]}}]}


def test_tasks_name_the_speaker_of_attributed_sentences():
    from workbench.text.segment import segment_article

    text = ("La maire de Brest, Anne Kervella, a présenté le budget lundi. "
            "« Nous ne fermerons aucune école », a-t-elle assuré. "
            "Le conseil se réunira de nouveau en mars.")
    article = Article("brest", text, lang="fr")
    data = [t["data"] for t in article_tasks(article, segment_article(article))]
    by_text = {d["text"]: d["speaker"] for d in data}
    assert by_text["« Nous ne fermerons aucune école », a-t-elle assuré."] == "Anne Kervella"
    assert by_text["Le conseil se réunira de nouveau en mars."] == ""
