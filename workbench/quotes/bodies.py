"""Organisations an article names, for sources that describe one ("l'entreprise", "le
festival", "la direction", "a company spokesperson"): a name written after its kind ("le
festival Jazz en Vallée", "la société Transports Lemoine") or a source already resolved to
an institution ("La Confédération nationale de la boulangerie"), in text order.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from workbench.quotes.tokens import Token

# Nouns for a kind of organisation, French and English.
ORGANISATION_NOUNS = frozenset("""
entreprise société groupe organisation association syndicat collectif fédération
confédération festival club compagnie fondation institut agence office direction laboratoire
banque chaîne journal quotidien hebdomadaire magazine ong parti mouvement union coopérative
mutuelle enseigne marque firme constructeur fabricant opérateur industriel laiterie usine
exploitant transporteur assureur distributeur hôpital clinique établissement école université
théâtre musée orchestre équipe police gendarmerie mairie préfecture gouvernement ministère
parquet municipalité opposition majorité rectorat académie région département commune
company firm group organization organisation association union agency festival club party
network newspaper magazine bank manufacturer carrier operator hospital school university
museum team charity campaign committee
""".split())
# Nouns for any organisation: they point back to the one named last, whatever its kind.
GENERIC = frozenset({"entreprise", "société", "groupe", "organisation", "direction",
                     "structure", "company", "firm", "group", "organization", "management",
                     "industriel", "exploitant"})
_LINKS = frozenset({"de", "du", "des", "d", "en", "la", "l", "’", "'", "-", "&", "et", "of",
                    "the", "and", "for"})


class Bodies:
    """The organisations named in one article, by position, with the noun of their kind."""

    def __init__(self, tokens: list[Token], text: str):
        self.positions: list[int] = []
        self.named: list[tuple[str, str]] = []  # (kind noun, name), in the order of positions
        for i in range(len(tokens) - 1):
            if tokens[i].low in ORGANISATION_NOUNS and tokens[i].text.islower():
                run = _capitalised_run(tokens, i + 1)
                if run:
                    name = text[tokens[run[0]].start:tokens[run[1] - 1].end]
                    self.add(tokens[i].start, tokens[i].low, name)

    def add(self, offset: int, kind: str, name: str) -> None:
        """Remember an organisation named at a character offset."""
        k = bisect_left(self.positions, offset)
        insort(self.positions, offset)
        self.named.insert(k, (kind, name))

    def before(self, offset: int, kind: str) -> str | None:
        """The organisation of that kind named last before an offset; for a generic noun
        ("l'entreprise", "la direction"), the one named last of any kind."""
        k = bisect_left(self.positions, offset)
        fallback = None
        while k:
            k -= 1
            noun, name = self.named[k]
            if noun == kind:
                return name
            fallback = fallback or name
        return fallback if kind in GENERIC else None


def _capitalised_run(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """Token range of a name that starts at ``start`` with a capital ("Jazz en Vallée",
    "Transports Lemoine"), its linking words inside; None when no capital starts there."""
    if start >= len(tokens) or not tokens[start].text[:1].isupper():
        return None
    end = k = start
    while k < len(tokens) and k - start < 8:
        if tokens[k].text[:1].isupper() and tokens[k].text.isalnum():
            end = k + 1
        elif tokens[k].low not in _LINKS:
            break
        k += 1
    return start, end


def acronyms(tokens: list[Token], text: str) -> dict[str, str]:
    """{acronym: full name} for the names an article spells out before their acronym in
    brackets ("l'Office français de la biodiversité (OFB)")."""
    found = {}
    for i in range(2, len(tokens) - 2):
        if tokens[i].text != "(" or tokens[i + 2].text != ")" or not tokens[i + 1].text.isupper():
            continue
        start = None
        for k in range(i - 1, max(-1, i - 9), -1):
            if tokens[k].text[:1].isupper() and tokens[k].text.isalpha() and (
                    k == 0 or not tokens[k - 1].text.isalpha() or tokens[k - 1].low in _LINKS
                    or tokens[k - 1].text.islower()):
                start = k
        if start is not None:
            found.setdefault(tokens[i + 1].text, text[tokens[start].start:tokens[i - 1].end])
    return found
