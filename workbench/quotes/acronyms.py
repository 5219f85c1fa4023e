"""Organisations named by their initials: the acronyms an article spells out before them
("l'Office français de la biodiversité (OFB)"), the capitals that are no organisation
("TVA", "XXI"), and the unions known by theirs.
"""

from __future__ import annotations

from workbench.quotes.tokens import Token

# Capitals that are no organisation.
NOT_ACRONYMS = frozenset({"PIB", "TVA", "SMS", "RER", "TGV", "TER", "CDI", "CDD", "RSA", "SMIC",
                          "HLM", "VTC", "TV", "PDG", "DG", "DRH", "NDLR", "OK", "AM", "PM",
                          "GDP", "CEO", "CFO", "USA", "UK", "US"})
# Unions and employers' bodies, which no company is.
UNION_INITIALS = frozenset({"CGT", "CFDT", "FO", "CFE", "CGC", "CFTC", "UNSA", "SUD", "FSU",
                            "FNSEA", "FDSEA", "JA", "CPME", "MEDEF", "SNJ", "SNES", "CSE"})
# Words inside an organisation's name between its capitals.
LINKS = frozenset({"de", "du", "des", "d", "en", "la", "l", "’", "'", "-", "&", "et", "of",
                   "the", "and", "for"})
_ARTICLES = frozenset({"le", "la", "les", "l", "the"})


def roman(word: str) -> bool:
    """A Roman numeral ("XXI", "IV"), no acronym."""
    return set(word) <= set("IVXLCDM")


def _initials(tokens: list[Token], i: int, letters: str) -> int | None:
    """Where the words before the bracket at i start when their initials spell the acronym
    ("le parquet national financier (PNF)"), else None."""
    content, k = [], i - 1
    while k >= 0 and len(content) < len(letters) and (tokens[k].text.isalpha()
                                                       or tokens[k].text == "-"):
        if tokens[k].low not in LINKS:  # "Croix-Rouge": two words
            content.insert(0, k)
        k -= 1
    spelt = len(content) == len(letters) and all(
        tokens[j].low[0] == c for j, c in zip(content, letters))
    return content[0] if spelt else None


def acronyms(tokens: list[Token], text: str) -> dict[str, str]:
    """{acronym: full name} for the names an article spells out before their acronym in
    brackets ("l'Office français de la biodiversité (OFB)")."""
    found = {}
    for i in range(2, len(tokens) - 2):
        if tokens[i].text != "(" or tokens[i + 2].text != ")" or not (
                tokens[i + 1].text[:1].isupper() and tokens[i + 1].text.isalpha()):
            continue  # "(OFB)", "(Anses)"
        spelt = _initials(tokens, i, tokens[i + 1].text.lower())  # "Comité international
        start = None  # de la Croix-Rouge (CICR)" by its initials, else from its first capital
        for k in range(i - 1, max(-1, i - 9), -1):
            if tokens[k].text[:1].isupper() and tokens[k].text.isalpha() \
                    and tokens[k].low not in _ARTICLES and (
                    k == 0 or not tokens[k - 1].text.isalpha() or tokens[k - 1].low in LINKS
                    or tokens[k - 1].text.islower()):
                start = k
        start = spelt if spelt is not None else start
        if start is not None:
            found.setdefault(tokens[i + 1].text, text[tokens[start].start:tokens[i - 1].end])
    return found
