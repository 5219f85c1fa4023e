"""One reading of a sentence, shared by the cold-start rules and the model's cue features.

`analyse` reads a sentence once: quotation marks, tokens inside and outside them, hits of
every lexicon category, names, dates and figures. The labelling functions of
`workbench.claims.rules` vote on that reading, and `cue_row` turns it into the numbers of
the model's cue block (which `features.CueFeatures` and `compiled.CompiledClassifier` both
compute with it), so each cue is defined here once. No scikit-learn here, so the rules and
a compiled model load fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache

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


def phrase_set(entries: Iterable[str]) -> frozenset[str]:
    """Lexicon entries as the token runs `SentenceView.grams` holds ("d'après" -> "d' après")."""
    return frozenset(" ".join(lexicon.tokenise(entry)) for entry in entries)


# Each category's entries as phrases (for the rules, which look for distinct phrases outside
# quotation marks) and its one-token entries (for "does any word of the category occur").
PHRASES: dict[str, frozenset[str]] = {name: phrase_set(entries) for name, entries in _CATEGORIES}
WORDS: dict[str, frozenset[str]] = {name: frozenset(p for p in phrases if " " not in p)
                                    for name, phrases in PHRASES.items()}

_QUOTE_SPLIT = re.compile("[" + re.escape(lexicon.QUOTE_MARKS) + "]")
_SINGLE_QUOTE = re.compile(r"(?:(?<!\w)[\u2018\u2019\u201a\u201b'](?=\w))|(?:(?<=[\w.,!?])[\u2018\u2019\u201b'](?!\w))")
_DIGIT = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_NUM_DATE = r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b"
_NUMERIC_DATE = re.compile(_NUM_DATE)
_PERCENT_SIGN = re.compile(r"\d\s?%|%")
_CURRENCY = re.compile(r"[€$£¥]")
# Capitalised words not starting a sentence (the cue block) ...
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-ZÀ-ÖØ-Þ][\w'’-]+")
# ... and every capitalised word, of which the rules drop a sentence's first (`names`).
_CAPITALISED_WORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]+")
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
_FUTURE_ENDINGS = ("eront", "iront", "eras", "erai", "erons", "erez")
# What the rules call a date, a figure and a byline.
_DATE = re.compile(
    r"\b\d{1,2}(?:er)?\s+(?:" + "|".join(lexicon.MONTHS) + r")\b|\b(?:" + "|".join(lexicon.MONTHS)
    + r")\s+\d{1,2}\b|" + _NUM_DATE + r"|\b(?:en|in|since|depuis)\s+(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|\b(?:pour cent|percent|per cent)\b", re.IGNORECASE)
_AMOUNT = re.compile(
    r"[€$£]\s?\d|\d\s?[€$£]|\d[\d\s.,]*\s*(?:millions?|milliards?|billions?|euros?|dollars?|roubles|yuans?)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b.{0,60}$|(?:par|by|de notre (?:envoyé|correspondant))\s+[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3}\s*(?:[,(|-].{0,40})?$)",
)
# Auxiliary + past participle ("ont été", "a eu lieu", "se sont entretenus"), or an English past.
_FR_AUX = frozenset("a ont avait avaient est sont était étaient sera seront aura auront eu été".split())
_FR_PARTICIPLE = re.compile(r"\w{2,}(?:é|ée|és|ées|i|is|ie|ies|u|us|ue|ues|it|ert|erts|eint)$")
_EN_PAST = re.compile(r"\w{3,}ed$")
_EN_AUX = frozenset("was were has had have been did".split())


def _ngrams(tokens: tuple[str, ...], longest: int = 5) -> frozenset[str]:
    grams = set()
    for i in range(len(tokens)):
        for k in range(1, longest + 1):
            if i + k > len(tokens):
                break
            grams.add(" ".join(tokens[i : i + k]))
    return frozenset(grams)


class SentenceView:
    """What the rules and the cue features look at in one sentence, read once by `analyse`.

    Counts per lexicon category are kept apart outside and inside quotation marks ("je" in
    the author's voice is an opinion cue, "je" inside quotes a quote cue). The parts only the
    rules read (n-grams, names, dates, figures) are computed on first use.
    """

    def __init__(self, text: str, role: str):
        self.text = text
        self.role = role
        segments = _QUOTE_SPLIT.split(text)
        self.quote_marks = len(segments) - 1
        outside_counts = [0] * _N_CAT
        inside_counts = [0] * _N_CAT
        outside: list[str] = []
        n_tokens = quoted = 0
        inverted = [0, 0]  # outside, inside
        conditional = future_forms = 0
        for i, segment in enumerate(segments):
            quoted_part = i % 2
            counts = inside_counts if quoted_part else outside_counts
            tokens = lexicon.tokenise(segment)
            n_tokens += len(tokens)
            if quoted_part:
                quoted += len(tokens)
            else:
                outside.extend(tokens)
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
                    inverted[quoted_part] += 1
                if len(tok) > 6 and tok.endswith(lexicon.FR_CONDITIONAL_ENDINGS):
                    conditional += 1
                elif len(tok) > 5 and tok.endswith(_FUTURE_ENDINGS):
                    future_forms += 1
        self.tokens = tuple(outside)  # outside quotation marks
        self.n_tokens = n_tokens
        self.quoted_tokens = quoted
        self.outside = tuple(outside_counts)  # hits per category, in `cue_names` order
        self.inside = tuple(inside_counts)
        self.inverted_outside, self.inverted_inside = inverted
        self.conditional = conditional
        self.future_forms = future_forms
        self.words = len(_WORD.findall(text))

    @property
    def speech_verbs(self) -> int:
        """Verbs of saying outside quotation marks."""
        return self.outside[_I_REPORT]

    @property
    def inverted(self) -> bool:
        """An inverted speaker outside quotation marks ("a-t-il dit", "déclare-t-elle")."""
        return self.inverted_outside > 0

    def has_word(self, category: str) -> bool:
        """Whether a one-word entry of a lexicon category occurs outside quotation marks."""
        words = WORDS[category]
        return any(t in words for t in self.tokens)

    @cached_property
    def grams(self) -> frozenset[str]:
        """The 1-5 token runs outside quotation marks."""
        return _ngrams(self.tokens)

    def phrases(self, entries: frozenset[str]) -> frozenset[str]:
        """The distinct phrases of `entries` (see `phrase_set`) outside quotation marks."""
        return self.grams & entries

    @cached_property
    def source_named(self) -> bool:
        """A name (a capitalised word after the first), a source noun or a subject pronoun."""
        text = self.text
        caps = _CAPITALISED_WORD.findall(text)
        if text[:1].isupper():
            caps = caps[1:]
        return bool(caps) or bool(self.outside[_I_SOURCE] or self.outside[_I_PRONOUN])

    @cached_property
    def dated(self) -> bool:
        """A date: "3 février", "March 12", 12.03.2024, "in 1998"."""
        return bool(_DATE.search(self.text))

    @cached_property
    def figures(self) -> bool:
        """A percentage or an amount of money or of millions."""
        return bool(_PERCENT.search(self.text) or _AMOUNT.search(self.text))

    @cached_property
    def byline(self) -> bool:
        """Shaped like a dateline or a "By/Par Name" line."""
        return bool(_BYLINE.match(self.text))

    @cached_property
    def past_event(self) -> bool:
        """An auxiliary and a past participle, or an English past tense, outside quotes."""
        toks = self.tokens
        for i, tok in enumerate(toks[:-1]):
            if tok in _FR_AUX or tok in _EN_AUX:
                for nxt in toks[i + 1 : i + 4]:
                    if _FR_PARTICIPLE.match(nxt) or _EN_PAST.match(nxt):
                        return True
        return any(_EN_PAST.match(t) for t in toks)


@lru_cache(maxsize=4096)
def _analyse(text: str, role: str) -> SentenceView:
    return SentenceView(text, role)


def analyse(record: Mapping | str) -> SentenceView:
    """The reading of a record (a dict with "text" and "role", or a string), cached."""
    return _analyse(record_text(record), record_role(record))


_ROLE_NAMES = tuple(ROLES) + ("none",)

# Sentence-level cues, after the lexicon categories counted outside and inside quotes.
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
    v = analyse(record)
    text = v.text
    outside, inside = v.outside, v.inside
    n_tokens = v.n_tokens
    stripped = text.strip()
    n_alpha = len(_ALPHA.findall(text)) or 1
    capitalised = len(_CAPITALISED.findall(text))
    n_numbers = len(_DIGIT.findall(text))
    report = outside[_I_REPORT] + inside[_I_REPORT] + v.inverted_outside + v.inverted_inside
    source = capitalised + outside[_I_SOURCE] + outside[_I_PRONOUN]
    surface = [
        math.log1p(n_tokens) / 4.0,
        float(v.words < 6),
        float(v.words > 40),
        math.log1p(v.quote_marks),
        v.quoted_tokens / n_tokens if n_tokens else 0.0,
        float(bool(stripped) and stripped[0] in lexicon.QUOTE_MARKS),
        float(bool(stripped) and stripped.rstrip(".").endswith(tuple(lexicon.QUOTE_MARKS))),
        float(bool(_INVERTED_QUOTE.search(text))),
        math.log1p(len(_SINGLE_QUOTE.findall(text))),
        math.log1p(v.inverted_outside + v.inverted_inside),
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
        float(bool(_NUMERIC_DATE.search(text))),
        float(bool(_PERCENT_SIGN.search(text))),
        float(bool(_CURRENCY.search(text))),
        math.log1p(capitalised),
        math.log1p(len(_CAP_SPAN.findall(text))),
        math.log1p(len(_ACRONYM.findall(text))),
        len(_UPPER.findall(text)) / n_alpha,
        math.log1p(v.conditional),
        math.log1p(v.future_forms),
        float(report > 0 and source > 0),
        float(report > 0 and v.quote_marks > 0),
        float(outside[_I_FIRST] > 0 and report == 0),
        float(outside[_I_MODAL] > 0 and report == 0),
    ]
    row = [math.log1p(c) for c in outside] + [math.log1p(c) for c in inside] + surface
    if scale != 1.0:
        row = [c * scale for c in row]
    if use_role:
        role = v.role
        # Larger than the other cues so a few titles and headings are enough to
        # teach the model what a role means without a weaker penalty everywhere.
        w = role_weight
        row += [w * (role == name) for name in ROLES] + [w * (role not in ROLES)]
    return row
