"""Label keys, the claims label config, and a schema read from any Label Studio XML config."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import ConfigError
from workbench.core.labels import label_to_choice


FROM_NAME = "claim_type"
TO_NAME = "text"
TEXT_FIELD = "text"

# label_config/ sits at the top of the repository and ships inside the wheel as the
# `workbench.label_config` package (pyproject.toml maps it), read through importlib.resources.
CONFIG_PACKAGE = "workbench.label_config"
CLAIMS_CONFIG = "claims.xml"

_OBJECT_TAGS = {"Text", "HyperText", "Paragraphs", "Header"}


@dataclass(frozen=True)
class ChoicesControl:
    """A <Choices> control: its name, the object it labels, and its choice values."""

    name: str
    to_name: str
    choices: tuple[str, ...]
    single: bool = True


@dataclass(frozen=True)
class Schema:
    """What a label config lets predictions target: controls, objects and their data fields."""

    controls: dict[str, ChoicesControl] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)  # object name -> task data field

    def control(self, name: str = FROM_NAME) -> ChoicesControl:
        """The named choices control, or a ConfigError saying which names exist."""
        if name not in self.controls:
            known = ", ".join(sorted(self.controls)) or "none"
            raise ConfigError(
                f"label config has no <Choices name=\"{name}\"> (choices controls: {known}); "
                f"use label_config/claims.xml or rename the control")
        return self.controls[name]

    def check_prediction(self, from_name: str, to_name: str, choices: list[str]) -> None:
        """Refuse a prediction that Label Studio would silently not show."""
        control = self.control(from_name)
        if control.to_name != to_name:
            raise ConfigError(
                f"prediction targets to_name=\"{to_name}\" but control \"{from_name}\" labels "
                f"\"{control.to_name}\" in the project's label config")
        unknown = [c for c in choices if c not in control.choices]
        if unknown:
            raise ConfigError(
                f"choice {unknown[0]!r} is not in control \"{from_name}\" "
                f"(its choices: {', '.join(control.choices)}); retrain the model on these labels "
                f"or update the label config")

    def check_labels(self, labels, from_name: str = FROM_NAME) -> None:
        """Refuse label keys whose choice does not exist in the config."""
        control = self.control(from_name)
        missing = [lab for lab in labels if label_to_choice(lab) not in control.choices]
        if missing:
            raise ConfigError(
                f"label {missing[0]!r} has no choice in control \"{from_name}\" "
                f"(choices: {', '.join(control.choices)}); the model was trained on other labels")


def parse_config(xml: str, where: str = "label config") -> Schema:
    """Read a Label Studio XML config into a Schema."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise ConfigError(f"{where}:{line}: not valid XML ({exc}); fix the tag there") from None
    controls: dict[str, ChoicesControl] = {}
    objects: dict[str, str] = {}
    for el in root.iter():
        if el.tag == "Choices" and el.get("name"):
            values = tuple(c.get("value", "") for c in el.iter("Choice"))
            controls[el.get("name")] = ChoicesControl(
                name=el.get("name"), to_name=el.get("toName", ""), choices=values,
                single=el.get("choice", "single") != "multiple")
        elif el.tag in _OBJECT_TAGS and el.get("name"):
            value = el.get("value", "")
            objects[el.get("name")] = value[1:] if value.startswith("$") else value
    for control in controls.values():
        if control.to_name not in objects:
            raise ConfigError(
                f"{where}: control \"{control.name}\" points to toName=\"{control.to_name}\", "
                f"which is not an object of the config")
    return Schema(controls=controls, objects=objects)


def shipped_config(name: str = CLAIMS_CONFIG):
    """The shipped label config `name` as an importlib.resources traversable."""
    return resources.files(CONFIG_PACKAGE) / name


def read_config(path: Path | str | None = None) -> str:
    """The XML text of a label config file (default: the shipped claims config)."""
    source = shipped_config() if path is None else Path(path)
    try:
        return source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read label config ({exc.strerror or exc}); "
                          f"reinstall the workbench or pass an existing file") from None


def claims_schema() -> Schema:
    """The schema of the shipped claims config."""
    return parse_config(read_config(), f"label_config/{CLAIMS_CONFIG}")
