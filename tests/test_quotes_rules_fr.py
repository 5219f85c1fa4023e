"""French constructions of the cold-start rules: passives without a source, impersonal
cues, subjects with an apposition or a relative clause, and the edges of inverted and
prepositional sources."""

from __future__ import annotations

from test_quotes_speakers import found


def test_passive_content_is_the_subject_and_impersonal_cue_keeps_its_il():
    text = ("La fermeture du musée est annoncée pour le mois de mai. Il lui est reproché "
            "d’avoir caché les comptes. La défense de l’accusé est assurée par Me Paul Roche.")
    first, second = found(text)
    assert first == {"source": None, "cue": ["est annoncée"],
                     "content": ["La fermeture du musée"], "speaker": None}
    assert second["source"] is None and second["cue"] == ["Il lui est reproché"]
    assert second["content"] == ["d’avoir caché les comptes"]


def test_apposition_with_a_name_beats_an_object_read_as_inverted_source():
    text = ("Le maire, Alain Fortier, promet un logement au futur médecin. La société "
            "Transports Morel, qui exploite la ligne, a fait savoir qu’elle changerait ses pneus.")
    first, second = found(text)
    assert first["source"] == "Le maire, Alain Fortier" and first["content"] == [
        "un logement au futur médecin"]
    assert first["speaker"] == "Alain Fortier"
    assert second["source"] == "La société Transports Morel"
    assert second["speaker"] == "Transports Morel"


def test_participial_apposition_and_participle_after_an_inverted_source():
    text = ("La jeune cinéaste, née à Nevers, explique avoir écrit le scénario chez elle. "
            "« Nous avons attendu », raconte une mère de famille croisée dans le hall.")
    first, second = found(text)
    assert first["source"] == "La jeune cinéaste"
    assert first["content"] == ["avoir écrit le scénario chez elle"]
    assert second["source"] == "une mère de famille"


def test_prepositional_source_read_to_its_comma():
    text = ("D’après les premières analyses de l’Office français de la biodiversité (OFB), "
            "la rivière a été polluée.")
    [a] = found(text)
    assert a["source"] == "les premières analyses de l’Office français de la biodiversité (OFB)"
    assert a["content"] == ["la rivière a été polluée"]
    assert a["speaker"] == "Office français de la biodiversité"


def test_adverbials_inside_and_after_the_verb_group():
    text = ("Pauline Girard préside le club. La présidente a de son côté affirmé que "
            "l’entraîneur restait. Yves Le Bihan a qualifié mercredi cette décision de « coup "
            "dur ». La vice-présidente s’est dite prête à en discuter.")
    first, second, third = found(text)
    assert first["cue"] == ["a", "affirmé"] and first["source"] == "La présidente"
    assert first["speaker"] == "Pauline Girard"
    assert second["content"] == ["cette décision de « coup dur »"]
    assert third["cue"] == ["s’est dite"] and third["content"] == ["prête à en discuter"]


def test_no_attribution_from_an_adjective_a_means_or_a_bare_apposition():
    text = ("Une école menacée de fermeture à Grenoble. L’inspecteur Bruno Castel a répondu "
            "par courrier. La présidente du groupe, Isabelle Roux, dément.")
    assert found(text) == []


def test_counted_source_after_the_cue():
    [a] = found("La mairie n’a pas été consultée, regrettent plusieurs élus.")
    assert a["source"] == "plusieurs élus" and a["speaker"] is None
    assert a["content"] == ["La mairie n’a pas été consultée"]


def test_reaction_after_a_quotation_attributes_the_quotation():
    text = ("« Les promesses ne suffisent plus », ont réagi plusieurs ONG dans un communiqué. "
            "Le ministère a réagi à l’annonce. Selon lui, le fonds sera doublé.")
    first, second = found(text)
    assert first["content"] == ["« Les promesses ne suffisent plus »"]
    assert first["source"] == "plusieurs ONG"
    # a reaction announced alone: its content is what the next sentence reports
    assert second["cue"] == ["a réagi"] and second["content"] == ["Selon lui, le fonds sera doublé"]


def test_incise_inside_reported_speech_and_pour_with_a_description():
    text = ("Marc Duval a quitté la salle. La réforme, a-t-il estimé, est injuste. Pour le "
            "syndicat, la réforme doit être retirée. Pour le moment, rien n’est décidé.")
    first, second = found(text)
    assert first["content"] == ["La réforme", "est injuste"] and first["speaker"] == "Marc Duval"
    assert second["source"] == "le syndicat" and second["content"] == ["la réforme doit être retirée"]


def test_incise_between_commas_reflexive_intentions_and_synonyms():
    text = ("La maire, Nathalie Guérin, a présenté le budget. « Mes clients ont tout perdu, "
            "a poursuivi Me Paul Kermarrec, et certains sont morts. » La première magistrate s’est "
            "engagée à ne plus augmenter les impôts. La ville a engagé des travaux. L’édile "
            "espère un vote rapide.")
    first, second, third = found(text)
    assert first["cue"] == ["a poursuivi"] and first["source"] == "Me Paul Kermarrec"
    assert second["cue"] == ["s’est engagée"] and second["speaker"] == "Nathalie Guérin"
    assert third["source"] == "L’édile" and third["speaker"] == "Nathalie Guérin"


def test_named_apposition_after_selon_participle_opener_and_object_pronoun():
    text = ("Selon le procureur de la République, Marc Vidal, les normes n’étaient pas "
            "respectées. Interrogée, la présidente de la métropole, Sandrine Moreau, a indiqué "
            "que le chantier serait suspendu. L’élue l’a assuré : « La sécurité passe avant "
            "tout ».")
    first, second, third = found(text)
    assert first["source"] == "le procureur de la République, Marc Vidal"
    assert first["speaker"] == "Marc Vidal"
    assert second["cue"] == ["a indiqué"] and second["speaker"] == "Sandrine Moreau"
    assert third["source"] == "L’élue" and third["speaker"] == "Sandrine Moreau"


def test_source_with_age_and_trade_before_or_after_the_cue():
    text = ("« La récolte est perdue », confie Marc Duval, 45 ans, agriculteur à Pontivy. "
            "Anne Riou, 52 ans, éleveuse à Loudéac, estime que l’État doit aider. Côté turc, "
            "le vice-ministre, Kemal Aydın, a insisté sur le rôle des ports.")
    first, second, third = found(text)
    assert first["source"] == "Marc Duval, 45 ans, agriculteur à Pontivy"
    assert second["source"] == "Anne Riou, 52 ans, éleveuse à Loudéac"
    assert third["source"] == "le vice-ministre, Kemal Aydın"


def test_reported_speech_going_on_in_the_next_sentence():
    text = ("La maire Claire Ménard affirme avoir reçu deux candidatures. Les deux médecins "
            "auraient renoncé en voyant le cabinet. Le conseil votera en mai.\n\nLe préfet "
            "Paul Roche a signalé que les routes étaient fermées.\n\nD’où la colère des "
            "habitants.")
    first, second = found(text)
    assert first["content"] == ["avoir reçu deux candidatures",
                                "Les deux médecins auraient renoncé en voyant le cabinet"]
    assert second["content"] == ["que les routes étaient fermées"]  # another paragraph


def test_adverbs_in_the_verb_group_locutions_around_the_pronoun_and_participles():
    text = ("Bruno Tessier a néanmoins glissé que l'arbitre s'était trompé. « J'ai "
            "l'expérience », fait-il valoir. Gérald Moutet espère le convaincre de rester. "
            "L'Autorité a infligé une amende aux trois groupes, estimant qu'ils s'étaient "
            "concertés. Mme Chabert entend la remettre au président. L'éditrice ne cachait "
            "pas sa joie. Les manifestants ont défilé.")
    said = found(text)
    assert [a["cue"] for a in said] == [["a néanmoins glissé"], ["fait", "valoir"], ["espère"],
                                        ["estimant"], ["entend"]]
    assert said[1]["source"] == "il" and said[1]["speaker"] == "Bruno Tessier"
    assert said[2]["content"] == ["le convaincre de rester"]
    assert said[3]["source"] == "L'Autorité" and said[3]["content"] == [
        "qu'ils s'étaient concertés"]
    assert said[4]["content"] == ["la remettre au président"]


def test_inverted_sources_a_passive_agent_and_a_relative_speaker():
    text = ("Claire Dumas dirige le festival depuis 2019, avec Yannick Le Floch. « Nous "
            "avons doublé », résume l'intéressée. La nouvelle a été confirmée mercredi par la "
            "directrice, Claire Dumas. « On était douze », s'exclame celui qui a fondé "
            "l'événement. Le ratio reste confortable, à 192 %, a souligné la directrice "
            "financière, Véronique Salles. « Rien à ajouter », se contente de répondre "
            "l'intéressée.")
    said = found(text)
    assert [(a["source"], a["speaker"]) for a in said] == [
        ("l'intéressée", "Claire Dumas"), ("la directrice, Claire Dumas", "Claire Dumas"),
        ("celui qui a fondé l'événement", "Yannick Le Floch"),
        ("la directrice financière, Véronique Salles", "Véronique Salles"),
        ("l'intéressée", "Véronique Salles")]
    assert said[1]["content"] == ["La nouvelle"] and said[3]["content"] == [
        "Le ratio reste confortable, à 192 %"]
    assert said[4]["cue"] == ["se contente de répondre"]


def test_an_addressee_before_an_incise_verb_is_no_source():
    [a] = found("« Je n'ai aucun problème avec elle », nous confie la sénatrice, entre deux "
                "réunions.")
    assert a["source"] == "la sénatrice" and a["cue"] == ["confie"]


def test_an_ambiguous_verb_in_an_incise_and_an_adverb_before_a_clitic():
    text = ("« On ne l'arrêtera pas, dit Mme Benali, mais on revoit la facture. » Le "
            "président espère encore le convaincre de rester. La directrice parle d'une "
            "décision « prise à contrecœur ».")
    said = found(text)
    assert [(a["source"], a["cue"]) for a in said] == [
        ("Mme Benali", ["dit"]), ("Le président", ["espère"]), ("La directrice", ["parle"])]
    assert len(said[0]["content"]) == 2
    assert said[1]["content"] == ["le convaincre de rester"]


def test_a_bare_participle_after_a_noun_is_no_cue():
    said = found("Quinze ans requis contre le meurtrier présumé. Le ministre dit que tout va "
                 "bien.")
    assert [a["cue"] for a in said] == [["dit"]]
