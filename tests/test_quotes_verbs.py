"""The wider French verb lexicon (fr_verbs.tsv): its forms, and where its verbs count."""

from __future__ import annotations

from workbench.quotes.lexicon import FRENCH_FORMS, INCISE_FORMS, NEEDS_CONTENT, WIDER_PHRASES
from workbench.quotes.verbs import listed_forms, load, regular_forms

from test_quotes_rules import found


def test_regular_and_listed_forms():
    assert {"annonce", "annonçait", "annonça", "annoncées", "annoncera"} <= regular_forms("annoncer")
    assert {"relève", "relèvent", "relevait"} <= regular_forms("relever")
    assert {"martèle", "martelle"} <= regular_forms("marteler")
    forms = listed_forms("prédit,prédisent,prédisait,prédit,prédite,prédit,prédira".split(","))
    assert {"prédisaient", "prédites", "prédiront"} <= forms


def test_the_lexicon_loads_with_its_uses():
    verbs = load()
    assert len(verbs.needs_content) > 1000 and verbs.incise and verbs.reflexive
    assert ("fait", "le", "point") in verbs.phrases  # "faire le point", verb part inflected
    assert ("tire", "la", "sonnette", "d", "’", "alarme") in verbs.phrases  # either apostrophe
    assert ("tire", "la", "sonnette", "d", "'", "alarme") in verbs.phrases
    # the hand-picked verbs keep their own rules; the wider ones only add
    assert "déclare" in FRENCH_FORMS and "déclare" not in NEEDS_CONTENT
    assert "suppose" in NEEDS_CONTENT and "sourit" in INCISE_FORMS
    assert ("fait", "valoir") not in WIDER_PHRASES


def test_wider_verbs_count_only_before_their_content():
    text = ("L'expert suppose que les délais vont exploser. La recette suppose une bonne "
            "organisation. Le préfet a fait le point sur place. Les élus tirent la sonnette "
            "d'alarme : les caisses sont vides.")
    said = found(text)
    assert [a["cue"] for a in said] == [["suppose"], ["tirent la sonnette d'alarme"]]
    assert said[1]["content"] == ["les caisses sont vides"]
