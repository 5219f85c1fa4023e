"""English sources and their speakers: descriptions learnt from the article, a spokesperson
speaking for an organisation, and a quotation before "she told reporters"."""

from __future__ import annotations

from functools import partial

from test_quotes_rules import found as found_in

found = partial(found_in, lang="en")


def test_description_resolves_to_the_person_it_described_not_the_latest_one():
    text = ("Prosecutor Laura Chen and defense attorney Robert Hale spoke on Friday. Chen told "
            "the jury that the accounts were false. The defense lawyer insisted that his client "
            "never saw the ledgers. According to the prosecutor, the losses are large.")
    first, second, third = found(text)
    assert first["speaker"] == "Laura Chen"
    assert second["source"] == "The defense lawyer" and second["speaker"] == "Robert Hale"
    assert third["speaker"] == "Laura Chen"


def test_spokesperson_speaks_for_the_organisation_and_anonymous_sources_for_no_one():
    text = ("A Northwind Energy spokesperson denied that the study was paid for. A source close "
            "to the council said that the vote was rushed.")
    first, second = found(text)
    assert first["speaker"] == "Northwind Energy"
    assert second["source"] == "A source close to the council" and second["speaker"] is None


def test_quotation_before_a_cue_with_its_addressee():
    text = ("Mayor Karen Walsh visited the site. \u201cThis is the cleanest power we have,\u201d "
            "she told reporters.")
    [a] = found(text)
    assert a["content"] == ["\u201cThis is the cleanest power we have,\u201d"]
    assert a["source"] == "she" and a["speaker"] == "Karen Walsh"


def test_abbreviated_titles_and_a_final_according_to():
    text = ("Gov. Marcus Webb met Tanya Brooks, president of the union. The governor wants to "
            "recover the money. The closure had been discussed for months, according to two "
            "people familiar with the plans.")
    first, second = found(text)
    assert first["source"] == "The governor" and first["speaker"] == "Marcus Webb"
    assert second["cue"] == ["according to"]
    assert second["content"] == ["The closure had been discussed for months"]
    assert second["speaker"] is None


def test_surname_goes_to_the_full_name_written_last_and_institution_names_are_trimmed():
    text = ("Bill Clinton campaigned in Ohio. Hillary Clinton spoke in Iowa on Monday. Clinton "
            "said that taxes would fall. The Republican National Committee this week said that "
            "the plan would fail.")
    first, second = found(text)
    assert first["speaker"] == "Hillary Clinton"
    assert second["speaker"] == "Republican National Committee"


def test_addressee_of_told_and_impersonal_passive():
    text = ("Superintendent Linda Alvarez met parents. The superintendent told reporters she "
            "understood the anger. It was announced that a hearing would be held in April.")
    first, second = found(text)
    assert first["content"] == ["she understood the anger"]
    assert first["speaker"] == "Linda Alvarez"
    assert second["source"] is None and second["cue"] == ["It was announced"]
    assert second["content"] == ["that a hearing would be held in April"]


def test_descriptions_with_a_capitalised_modifier_or_an_age():
    text = ("Sen. Maria Lopez spoke to voters on Monday. The California Democrat said that the "
            "bill would pass. Her rival, businessman Tom Hart, disagreed. \u201cIt will cost "
            "jobs,\u201d the 58-year-old said. The Republican National Committee said that it "
            "would fight.")
    first, second, third = found(text)
    assert first["speaker"] == "Maria Lopez"
    assert second["speaker"] == "Tom Hart"
    assert third["speaker"] == "Republican National Committee"


def test_common_noun_opening_a_sentence_names_no_one():
    [a] = found("Police said the suspect fled on foot.")
    assert a["source"] == "Police" and a["speaker"] is None


def test_apposed_name_plural_common_nouns_and_a_poll():
    text = ("The mayor, Karen Walsh, spoke first. Walsh\u2019s spokesman, Ben Ortiz, said the "
            "city would appeal. Residents say the noise is unbearable. According to a Gallup "
            "poll released Tuesday, most voters back the plan.")
    first, second, third = found(text)
    assert first["speaker"] == "Ben Ortiz"
    assert second["source"] == "Residents" and second["speaker"] is None
    assert third["speaker"] == "Gallup"
