"""Claim cues of a sentence as plain numbers: no scikit-learn, so a compiled model loads fast.

`features.CueFeatures` (the transformer in the model) and `compiled.CompiledClassifier`
(the same model as arrays) both compute their cue block with `cue_row`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from workbench.claims import lexicon
from workbench.core.records import ROLES


def record_text(record) -> str:
    """The text of a record (a dict with "text", or a bare string)."""
    if isinstance(record, str):
        return record
    return record.get("text") or ""


def record_role(record) -> str:
    """The role of a record ("" when it has none)."""
    if isinstance(record, Mapping):
        return record.get("role") or ""
    return ""


# --- the cue lexicon compiled into one lookup table ---------------------------

_CATEGORIES = (
    ("reporting_verb", lexicon.FR_REPORTING_PARTICIPLES + lexicon.FR_REPORTING_PRESENT + lexicon.EN_REPORTING_VERBS),
    ("attribution", lexicon.FR_ATTRIBUTION_PHRASES + lexicon.EN_ATTRIBUTION_PHRASES),
    ("stance", lexicon.FR_STANCE_PHRASES + lexicon.EN_STANCE_PHRASES),
    ("source_noun", lexicon.SOURCE_NOUNS),
    ("subject_pronoun", lexicon.SUBJECT_PRONOUNS),
    ("first_person", lexicon.FIRST_PERSON),
    ("second_person", lexicon.SECOND_PERSON),
    ("modality", lexicon.MODALITY),
    ("hedge", lexicon.HEDGES),
    ("evaluative", lexicon.EVALUATIVE),
    ("intensifier", lexicon.INTENSIFIERS),
    ("negation", lexicon.NEGATION),
    ("future", lexicon.FUTURE),
    ("question_word", lexicon.QUESTION_WORDS),
    ("date_word", lexicon.MONTHS + lexicon.WEEKDAYS),
    ("percent", lexicon.PERCENT_WORDS),
    ("amount", lexicon.AMOUNT_WORDS),
    ("de_it_reporting", lexicon.DE_IT_REPORTING),
    ("de_it_stance", lexicon.DE_IT_STANCE),
    ("de_it_evaluative", lexicon.DE_IT_EVALUATIVE),
    ("de_it_intensifier", lexicon.DE_IT_INTENSIFIERS),
    ("de_it_modality", lexicon.DE_IT_MODALITY),
)
_CAT_NAMES = tuple(name for name, _ in _CATEGORIES)
_N_CAT = len(_CATEGORIES)


def _build_tables():
    # Single words are looked up directly; phrases are indexed by their first word.
    single: dict[str, list[int]] = {}
    phrases: dict[str, dict[tuple[str, ...], list[int]]] = {}
    for idx, (_, entries) in enumerate(_CATEGORIES):
        for entry in entries:
            tokens = lexicon.tokenise(entry)
            if not tokens:
                continue
            slots = single.setdefault(tokens[0], []) if len(tokens) == 1 else (
                phrases.setdefault(tokens[0], {}).setdefault(tuple(tokens[1:]), [])
            )
            if idx not in slots:
                slots.append(idx)
    return (
        {k: tuple(v) for k, v in single.items()},
        {k: tuple((rest, tuple(v)) for rest, v in d.items()) for k, d in phrases.items()},
    )


_SINGLE, _PHRASES = _build_tables()
_I_REPORT = _CAT_NAMES.index("reporting_verb")
_I_MODAL = _CAT_NAMES.index("modality")
_I_SOURCE = _CAT_NAMES.index("source_noun")
_I_PRONOUN = _CAT_NAMES.index("subject_pronoun")
_I_FIRST = _CAT_NAMES.index("first_person")

_QUOTE_SPLIT = re.compile("[" + re.escape(lexicon.QUOTE_MARKS) + "]")
_SINGLE_QUOTE = re.compile(r"(?:(?<!\w)[\u2018\u2019\u201a\u201b'](?=\w))|(?:(?<=[\w.,!?])[\u2018\u2019\u201b'](?!\w))")
_DIGIT = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_NUM_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_PERCENT = re.compile(r"\d\s?%|%")
_CURRENCY = re.compile(r"[€$£¥]")
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-ZÀ-ÖØ-Þ][\w'’-]+")
_CAP_SPAN = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+(?:de\s+|du\s+|la\s+|of\s+|the\s+)?[A-ZÀ-ÖØ-Þ][\w'’-]+)+")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_INVERTED_QUOTE = re.compile(
    "[" + re.escape(lexicon.QUOTE_MARKS) + r"]\s*,\s*(?:\w+-t-|\w+-)(?:il|elle|ils|elles|on)\b|"
    "[" + re.escape(lexicon.QUOTE_MARKS) + r"],?\s*(?:said|says|told|added)\b",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_ALPHA = re.compile(r"[^\W\d_]")

_ROLE_NAMES = tuple(ROLES) + ("none",)

# Sentence-level cues; the lexicon categories above are counted separately
# outside and inside quotation marks ("je" in the author's voice is an opinion
# cue, "je" inside quotes a quote cue).
_SURFACE = (
    "n_tokens_log", "short", "long", "quote_marks", "quoted_share",
    "starts_with_quote", "ends_with_quote", "quote_then_speaker",
    "single_quotes", "inverted_subject", "question_mark", "ends_question",
    "exclamation", "ellipsis_end", "colon", "parenthesis", "dash",
    "no_final_stop", "numbers", "has_number", "year", "numeric_date",
    "percent_sign", "currency", "capitalised", "capitalised_span", "acronym",
    "upper_ratio", "fr_conditional", "fr_future", "report_and_source",
    "report_and_quote", "first_person_unquoted_no_report", "modal_unquoted",
)


def cue_names(use_role: bool = True) -> list[str]:
    """Names of the columns `cue_row` returns."""
    names = [f"cue_{n}" for n in _CAT_NAMES]
    names += [f"cue_quoted_{n}" for n in _CAT_NAMES]
    names += [f"surface_{n}" for n in _SURFACE]
    if use_role:
        names += [f"role_{n}" for n in _ROLE_NAMES]
    return names


def cue_row(record, use_role: bool = True, scale: float = 1.0, role_weight: float = 3.0) -> list[float]:
    """The cue features of one record (a dict with "text" and "role", or a string), in `cue_names` order."""
    text = record_text(record)
    outside = [0] * _N_CAT
    inside = [0] * _N_CAT
    segments = _QUOTE_SPLIT.split(text)
    n_quote_marks = len(segments) - 1
    n_tokens = 0
    quoted_tokens = 0
    inverted = 0
    conditional = 0
    future_forms = 0
    for i, segment in enumerate(segments):
        counts = inside if i % 2 else outside
        tokens = lexicon.tokenise(segment)
        n_tokens += len(tokens)
        if i % 2:
            quoted_tokens += len(tokens)
        for j, tok in enumerate(tokens):
            cats = _SINGLE.get(tok)
            if cats:
                for c in cats:
                    counts[c] += 1
            following = _PHRASES.get(tok)
            if following:
                for rest, cats in following:
                    if tuple(tokens[j + 1 : j + 1 + len(rest)]) == rest:
                        for c in cats:
                            counts[c] += 1
            if len(tok) > 3 and "-" in tok and lexicon.INVERTED_SUBJECT.match(tok):
                inverted += 1
            if len(tok) > 6 and tok.endswith(lexicon.FR_CONDITIONAL_ENDINGS):
                conditional += 1
            elif len(tok) > 5 and tok.endswith(("eront", "iront", "eras", "erai", "erons", "erez")):
                future_forms += 1
    stripped = text.strip()
    words = _WORD.findall(text)
    n_upper = len(_UPPER.findall(text))
    n_alpha = len(_ALPHA.findall(text)) or 1
    capitalised = len(_CAPITALISED.findall(text))
    n_numbers = len(_DIGIT.findall(text))
    report = outside[_I_REPORT] + inside[_I_REPORT] + inverted
    source = capitalised + outside[_I_SOURCE] + outside[_I_PRONOUN]
    first_out = outside[_I_FIRST]
    surface = [
        math.log1p(n_tokens) / 4.0,
        float(len(words) < 6),
        float(len(words) > 40),
        math.log1p(n_quote_marks),
        quoted_tokens / n_tokens if n_tokens else 0.0,
        float(bool(stripped) and stripped[0] in lexicon.QUOTE_MARKS),
        float(bool(stripped) and stripped.rstrip(".").endswith(tuple(lexicon.QUOTE_MARKS))),
        float(bool(_INVERTED_QUOTE.search(text))),
        math.log1p(len(_SINGLE_QUOTE.findall(text))),
        math.log1p(inverted),
        math.log1p(text.count("?")),
        float(stripped.endswith("?")),
        math.log1p(text.count("!")),
        float(bool(_ELLIPSIS.search(text))),
        float(":" in text),
        float("(" in text),
        float(" - " in text or "—" in text or "–" in text),
        float(bool(stripped) and stripped[-1] not in ".!?»\"”…)"),
        math.log1p(n_numbers),
        float(n_numbers > 0),
        float(bool(_YEAR.search(text))),
        float(bool(_NUM_DATE.search(text))),
        float(bool(_PERCENT.search(text))),
        float(bool(_CURRENCY.search(text))),
        math.log1p(capitalised),
        math.log1p(len(_CAP_SPAN.findall(text))),
        math.log1p(len(_ACRONYM.findall(text))),
        n_upper / n_alpha,
        math.log1p(conditional),
        math.log1p(future_forms),
        float(report > 0 and source > 0),
        float(report > 0 and n_quote_marks > 0),
        float(first_out > 0 and report == 0),
        float(outside[_I_MODAL] > 0 and report == 0),
    ]
    row = [math.log1p(v) for v in outside] + [math.log1p(v) for v in inside] + surface
    if scale != 1.0:
        row = [v * scale for v in row]
    if use_role:
        role = record_role(record)
        # Larger than the other cues so a few titles and headings are enough to
        # teach the model what a role means without a weaker penalty everywhere.
        w = role_weight
        row += [w * (role == name) for name in ROLES] + [w * (role not in ROLES)]
    return row
