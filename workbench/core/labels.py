"""The one label vocabulary: the keys stored in files and models, the choices annotators see."""

from __future__ import annotations

FACT = "verifiable_fact"
OPINION = "opinion"
QUOTE = "attributed_quote"
NOT_A_CLAIM = "not_a_claim"

# Label key -> the choice shown in Label Studio. Keys, not positions, are stored everywhere,
# so editing the label config never scrambles a saved model.
CHOICES: dict[str, str] = {
    FACT: "Verifiable fact",
    OPINION: "Opinion",
    QUOTE: "Attributed quote",
    NOT_A_CLAIM: "Not a claim",
}
LABELS: tuple[str, ...] = tuple(CHOICES)
_KEYS: dict[str, str] = {choice: key for key, choice in CHOICES.items()}


def label_to_choice(label: str) -> str:
    """The choice shown in Label Studio for a label key (unknown keys pass through unchanged)."""
    return CHOICES.get(label, label)


def choice_to_label(choice: str) -> str:
    """The label key for a Label Studio choice (unknown choices pass through unchanged)."""
    return _KEYS.get(choice, choice)
