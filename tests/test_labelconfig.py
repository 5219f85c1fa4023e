"""The claims label config and the schema checks that keep predictions visible."""

import pytest

from workbench.core.errors import ConfigError
from workbench.core.labels import CHOICES as LABELS, choice_to_label, label_to_choice
from workbench.studio.labelconfig import (claims_schema,
                                   parse_config)


def test_claims_config_has_the_contracted_control():
    schema = claims_schema()
    control = schema.control("claim_type")
    assert control.to_name == "text" and control.single
    assert control.choices == ("Verifiable fact", "Opinion", "Attributed quote", "Not a claim")
    assert schema.objects["text"] == "text"
    assert {"context_before", "context_after"} <= set(schema.objects)


def test_every_choice_has_a_hotkey_and_maps_back():
    from workbench.studio.labelconfig import read_config
    import xml.etree.ElementTree as ET

    claim_type = next(c for c in ET.fromstring(read_config()).iter("Choices") if c.get("name") == "claim_type")
    choices = list(claim_type.iter("Choice"))
    assert sorted(c.get("hotkey") for c in choices) == ["1", "2", "3", "4"]
    for key, choice in LABELS.items():
        assert choice_to_label(label_to_choice(key)) == key


def test_prediction_checks_name_what_is_wrong():
    schema = claims_schema()
    schema.check_prediction("claim_type", "text", ["Opinion"])
    with pytest.raises(ConfigError, match="claim_types"):
        schema.check_prediction("claim_types", "text", ["Opinion"])
    with pytest.raises(ConfigError, match='to_name="sentence"'):
        schema.check_prediction("claim_type", "sentence", ["Opinion"])
    with pytest.raises(ConfigError, match="'Rumour'"):
        schema.check_prediction("claim_type", "text", ["Rumour"])
    with pytest.raises(ConfigError, match="'SUBJ'"):
        schema.check_labels(["SUBJ", "OBJ"])


def test_bad_xml_names_the_line():
    with pytest.raises(ConfigError, match=r"cfg.xml:2: not valid XML"):
        parse_config("<View>\n<Choices name='a'", "cfg.xml")


def test_control_pointing_nowhere_is_refused():
    with pytest.raises(ConfigError, match='toName="nothing"'):
        parse_config('<View><Text name="t" value="$text"/><Choices name="c" toName="nothing">'
                     '<Choice value="A"/></Choices></View>')
