"""The cold-start quote rules on French and English constructions, and speaker resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.records import Article
from workbench.quotes.evaluate import match
from workbench.quotes.extract import extract, speakers_by_sentence
from workbench.quotes.files import read_attributions

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "sputnik-fr-2021-12-16.txt"
SEED_GOLD = REPO / "tests" / "data" / "quotes" / "seed.jsonl"


def found(text: str, lang: str = "fr") -> list[dict]:
    """Each attribution as the texts of its spans, in order."""
    article = Article("a1", text, lang=lang)
    result = []
    for a in extract(article):
        result.append({"source": a.source and text[a.source[0].start:a.source[0].end],
                       "cue": [s.text(text) for s in a.cue],
                       "content": [s.text(text) for s in a.content],
                       "speaker": a.speaker, "direct": a.direct})
    return result


def test_french_indirect_speech_with_que():
    [a] = found("Le conseil a voté mardi.\n\nLa maire Sophie Arnal a déclaré que le chantier "
                "reprendrait en mars.")
    assert a["source"] == "La maire Sophie Arnal"
    assert a["cue"] == ["a déclaré"]
    assert a["content"] == ["que le chantier reprendrait en mars"]
    assert a["speaker"] == "Sophie Arnal"
    assert a["direct"] is False


def test_french_incise_with_pronoun_speaker_and_quote_marks():
    text = ("Le préfet Marc Olivier a visité le port lundi. « Les quais seront rénovés avant "
            "l’été », a-t-il promis.")
    [a] = found(text)
    assert a["source"] == "il"
    assert a["cue"] == ["a", "promis"]
    assert a["content"] == ["« Les quais seront rénovés avant l’été »"]
    assert a["speaker"] == "Marc Olivier"
    assert a["direct"] is True


def test_interrupted_quote_gives_two_content_spans():
    text = ("Claire Dumas dirige la coopérative. « Nous tiendrons, a-t-elle assuré, même si "
            "l’hiver est long. »")
    [a] = found(text)
    assert a["cue"] == ["a", "assuré"]
    assert a["source"] == "elle"
    # one quotation around the incise: the comma before it stays with the first span
    assert a["content"] == ["« Nous tiendrons,", "même si l’hiver est long. »"]
    assert a["speaker"] == "Claire Dumas"


def test_selon_and_dapres():
    [a] = found("Selon la fédération des pêcheurs, les prises ont baissé de moitié.")
    assert a["cue"] == ["Selon"]
    assert a["source"] == "la fédération des pêcheurs"
    assert a["content"] == ["les prises ont baissé de moitié"]
    [b] = found("Les loyers ont augmenté de 4 %, d’après l’observatoire régional.")
    assert b["cue"] == ["d’après"]
    assert b["content"] == ["Les loyers ont augmenté de 4 %"]


def test_belief_and_description_speaker():
    text = ("Le ministre de la Santé, Paul Verrier, visitait l’hôpital. Le ministre estime que "
            "les urgences manquent de lits.")
    [a] = found(text)
    assert a["cue"] == ["estime"]
    assert a["content"] == ["que les urgences manquent de lits"]
    assert a["speaker"] == "Paul Verrier"


def test_quote_over_several_sentences_is_one_span():
    text = ("Jeanne Perrin a déclaré : « Le projet est prêt. Il reste à le financer. "
            "Nous y arriverons. »")
    [a] = found(text)
    assert a["content"] == ["« Le projet est prêt. Il reste à le financer. Nous y arriverons. »"]
    assert a["direct"] is True


def test_english_said_after_the_quote_and_pronoun():
    text = ("Senator Elizabeth Warren spoke in Boston on Friday.\n\n"
            "\u201cWe will not back down,\u201d she said.")
    [a] = found(text, "en")
    assert a["source"] == "she"
    assert a["cue"] == ["said"]
    assert a["content"] == ["\u201cWe will not back down,\u201d"]
    assert a["speaker"] == "Elizabeth Warren"


def test_english_forward_speech_description_and_according_to():
    text = ("Elizabeth Warren met voters in Ohio. The senator told reporters that the bill "
            "would pass. The vote is close, according to party officials.")
    first, second = found(text, "en")
    assert first["source"] == "The senator"
    assert first["cue"] == ["told"]
    assert first["content"] == ["that the bill would pass"]
    assert first["speaker"] == "Elizabeth Warren"
    assert second["cue"] == ["according to"]
    assert second["content"] == ["The vote is close"]
    assert second["source"] == "party officials"
    assert second["speaker"] is None  # nobody named


def test_english_intention_and_inverted_source():
    text = ("The mayor wants to close the bridge in May. \u201cIt is unsafe,\u201d said "
            "Tom Baker.")
    first, second = found(text, "en")
    assert first["cue"] == ["wants"]
    assert first["content"] == ["to close the bridge in May"]
    assert second["source"] == "Tom Baker"
    assert second["content"] == ["\u201cIt is unsafe,\u201d"]


def test_no_cue_no_attribution_and_scare_quotes_alone():
    assert found("La ville a ouvert un « tiers-lieu » près de la gare.") == []
    assert found("The bridge opened in 1931 and carries 20,000 cars a day.", "en") == []


def test_speakers_by_sentence_maps_the_quote_sentence():
    text = "Anne Roussel préside le club. « Nous gagnerons », a-t-elle dit."
    article = Article("a2", text, lang="fr")
    speakers = speakers_by_sentence(article)
    assert list(speakers.values()) == ["Anne Roussel"]


@pytest.mark.skipif(not SEED.exists() or not SEED_GOLD.exists(), reason="seed not available")
def test_every_seed_quote_found_with_its_speaker():
    from workbench.text.articles import iter_articles

    [article] = list(iter_articles([SEED]))
    gold = read_attributions(SEED_GOLD)
    predicted = extract(article)
    pairs = dict(match(gold, predicted, {article.article_id: article.text}))
    assert len(pairs) == len(gold)
    for i, g in enumerate(gold):
        p = predicted[pairs[i]]
        assert p.cue == g.cue, g.cue[0].text(article.text)
        assert p.speaker == g.speaker, g.cue[0].text(article.text)


def test_pronoun_speaker_agrees_in_gender():
    text = ("Paul Martin a rencontré Claire Dumas à la mairie. Elle a déclaré que le budget "
            "était bouclé. Il a ajouté que les travaux commenceraient en juin.")
    first, second = found(text)
    assert first["source"] == "Elle" and first["speaker"] == "Claire Dumas"
    assert second["source"] == "Il" and second["speaker"] == "Paul Martin"


def test_description_speaker_prefers_the_person_with_that_title():
    text = ("La ministre de la Santé, Claire Dumas, visitait l’hôpital avec le maire, "
            "Paul Martin. La ministre a affirmé que les urgences rouvriraient.")
    [a] = found(text)
    assert a["source"] == "La ministre"
    assert a["speaker"] == "Claire Dumas"


def test_institution_speaker_without_its_article():
    [a] = found("Selon l’Insee, les prix ont augmenté de 2 % en un an.")
    assert a["source"] == "l’Insee"
    assert a["speaker"] == "Insee"


def test_subject_with_apposition_is_one_source():
    text = ("Le ministre des Transports, Clément Beaune, a assuré mardi que les trains "
            "circuleraient. D’après lui, les retards seront rares.")
    first, second = found(text)
    assert first["source"] == "Le ministre des Transports, Clément Beaune"
    assert first["cue"] == ["a assuré"]
    assert first["content"] == ["que les trains circuleraient"]
    assert first["speaker"] == "Clément Beaune"
    assert second["source"] == "lui" and second["speaker"] == "Clément Beaune"
