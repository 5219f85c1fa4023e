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


def test_governed_prepositions_and_clitics():
    verbs = load()
    assert verbs.governed["table"] == {"sur"} and "plaide" in verbs.governed
    assert "parle" in verbs.quoted and {"de", "d"} <= verbs.governed["parle"]
    assert ("y", "voit") in verbs.phrases and not any(p[0] == "y" and p[1] == "voir"
                                                      for p in verbs.phrases)
    text = ("Elle table sur une croissance de 1 %. La table sur la terrasse est mise. "
            "La maire, Anne Roux, parle d'« une double peine ». Il parle de son enfance. "
            "Le syndicat y voit « un recul ».")
    said = found(text)
    assert [a["cue"] for a in said] == [["table"], ["parle"], ["y voit"]]
    assert said[0]["content"] == ["sur une croissance de 1 %"]
    assert said[1]["content"] == ["d'« une double peine »"]


def test_reflexive_verbs_in_an_incise():
    text = ("« Ils sont venus », se réjouit-elle. « On a eu tort », s'amuse-t-il. "
            "« On ne m'a pas appelé », se désole l'élu.")
    said = found(text)
    assert [(a["cue"], a["source"]) for a in said] == [
        (["se réjouit"], "elle"), (["s'amuse"], "il"), (["se désole"], "l'élu")]
    assert [a["content"] for a in said] == [["« Ils sont venus »"], ["« On a eu tort »"],
                                            ["« On ne m'a pas appelé »"]]
