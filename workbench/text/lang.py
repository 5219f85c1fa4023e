"""Language of an article, detected offline with py3langid's bundled model."""

from __future__ import annotations

import functools
import re

# Enough text to decide a news article's language; reading more only costs time.
SAMPLE_CHARS = 1000
# Below these, a guess is noise: the article passes through with lang "".
MIN_LETTERS = 12
MIN_PROBABILITY = 0.5

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.lru_cache(maxsize=1)
def _identifier():
    """Load the bundled naive-Bayes model once (about half a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "" when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    # Counting letters costs as much as classifying: only short texts need the check.
    if len(sample) < 10 * MIN_LETTERS and len(_LETTER.findall(sample)) < MIN_LETTERS:
        return ""
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_PROBABILITY else ""
