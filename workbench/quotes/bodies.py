"""Organisations an article names, for sources that describe one ("l'entreprise", "le
festival", "la direction", "a company spokesperson"): a name written after its kind ("le
festival Jazz en Vallée", "la société Transports Lemoine") or a source already resolved to
an institution ("La Confédération nationale de la boulangerie"), in text order; and the
name of the institution a source spells out ("la direction des Papeteries de l'Aisne" ->
"Papeteries de l'Aisne", "le ministère de la Santé", "La FDSEA, premier syndicat ..." ->
"FDSEA", "la CRE" -> "Commission de régulation de l'énergie"). Also remembered: bodies
named by an acronym alone ("la CGT", for "le syndicat"), companies by a company word
("Valmeca Industries", for "la direction"), and the authors of documents ("une étude de
l'Inserm", for "l'étude"). An official body named in lower case by its kind and an
adjective is named with a capital ("l'agence régionale de santé").
"""

from __future__ import annotations

from bisect import bisect_left, insort

from workbench.quotes.acronyms import LINKS, NOT_ACRONYMS, UNION_INITIALS, acronyms, roman
from workbench.quotes.lexicon import DETERMINERS, PRONOUNS
from workbench.quotes.people import (AFTER_NAME, DAYS, EVIDENCE, FUNCTION_WORDS, HEADS, HONORIFICS,
                                     ROLE_NOUNS, SPOKESPEOPLE, role_like)
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
museum team charity campaign committee juridiction bailleur instance autorité organisme
comité tribunal cour institution administration caisse observatoire cabinet chu lycée collège
centre régulateur collectivité
""".split())
# Nouns for a kind of organisation that cover others.
KINDS = {"juridiction": {"juridiction", "conseil", "cour", "tribunal", "parquet"},
         "établissement": {"établissement", "chu", "hôpital", "clinique", "école", "lycée",
                           "collège", "université", "institut", "centre"},
         "syndicat": {"syndicat", "union", "confédération", "fédération"},
         "agence": {"agence", "office", "autorité", "observatoire"},
         "club": {"club", "union", "association", "équipe"}}
# Nouns that begin an institution's name before "de" + a capital ("ministère de la Santé",
# "comité des usagers du TER Normandie").
_NAMED_BY = frozenset({"ministère", "mairie", "préfecture", "conseil", "tribunal", "cour",
                       "parquet", "agence", "office", "institut", "université", "commission",
                       "chambre", "fédération", "confédération", "association", "syndicat",
                       "comité", "collectif", "observatoire", "autorité", "caisse", "haut",
                       "haute", "inspection", "secrétariat", "banque", "ministry", "department",
                       "agency", "university", "bank", "council", "court", "federation", "city",
                       "state", "committee", "office", "rectorat", "académie", "commissariat",
                       "brigade", "hôpital", "groupement", "union", "musée"})
# Nouns of a place named after them ("la rue Nationale"), inside an institution's name.
_PLACES = frozenset({"rue", "avenue", "boulevard", "place", "quai", "quartier", "route", "port",
                     "pont", "vallée", "lac", "île", "pays", "canton", "bassin", "massif"})
KIND_HEADS = ORGANISATION_NOUNS | _NAMED_BY
# Kinds that begin an official body's name only with an adjective ("la direction
# académique de la Nièvre", "le centre hospitalier de Saint-Dié"); "la direction de
# Transports Morvan" is the company's.
_OFFICIAL = frozenset({"direction", "gendarmerie", "centre", "police", "service", "délégation"})
_MANAGEMENT = frozenset({"direction", "service"})
# Kinds of public body whose name may be their kind and what they deal with, all in lower
# case ("la chambre d'agriculture", "la commission des finances").
_CHAMBERS = frozenset({"chambre", "commission", "ministère"})
_WHEN = frozenset({"ce", "cette", "en", "le", "dernier", "dernière", "matin", "soir", "last",
                   "on", "in"})
# Participles that make "par X" a document's author ("une étude réalisée par l'Insee"), not
# its reader ("une note consultée par l'AFP").
_AUTHORED = ("publi", "réalis", "conduit", "men", "command", "rédig", "produit", "dress",
             "établi", "effectu", "sign", "présent", "diffus", "published", "conducted",
             "commissioned", "released")
# Titles followed by their portfolio in capitals, not by an institution's name.
_PORTFOLIO_HOLDERS = frozenset({"ministre", "secrétaire", "commissaire", "délégué",
                                "déléguée", "minister", "secretary"})
# Words after an author's name that say what its document is about ("un rapport de la Cour
# des comptes sur la gestion de l'Élysée").
_ABOUT = frozenset({"sur", "concernant", "consacré", "consacrée", "relatif", "relative"})
_LINKS_TO_NAME = frozenset({"de", "du", "des", "d", "la", "le", "l", "of", "the"})
_ARTICLES = frozenset({"le", "la", "les", "l", "the"})
# Words for a party's members that also end its name ("La France insoumise").
_PARTY_WORDS = frozenset({"insoumise", "insoumis", "socialiste", "écologiste", "communiste",
                          "centriste", "républicain", "républicains", "démocrate"})
# Nouns for any organisation: they point back to the one named last, whatever its kind.
GENERIC = frozenset({"entreprise", "société", "groupe", "organisation", "direction",
                     "structure", "company", "firm", "group", "organization", "management",
                     "industriel", "exploitant", "organisme", "institution", "instance",
                     "parti", "mouvement", "régulateur", "collectivité", "équipe",
                     "établissement"})
# Where a document's or a team's author ends: "une équipe de X a suivi" is X's.
_VERBS = frozenset({"a", "ont", "avait", "avaient", "est", "sont", "était", "va", "vont"})
_TEAMS = frozenset({"équipe", "équipes"})
# Capitalised words that make a name a company's.
_COMPANY_WORDS = frozenset({"industries", "industrie", "technologies", "services", "transports",
                            "laboratoires", "éditions", "logistique", "assurances", "systems",
                            "solutions", "holding", "sas", "sarl", "énergies", "motors",
                            "automobiles", "pharma", "distribution"})
_CLAUSE_ENDS = frozenset({",", ".", ";", ":", "«", "»", "(", "!", "?"})
# Generic nouns for a public body, which one named by its kind's capital can be.
_PUBLIC = frozenset({"institution", "instance", "organisme", "régulateur", "collectivité",
                     "organisation", "organization"})
_COMPANY = frozenset({"direction", "entreprise", "société", "groupe", "company", "firm", "group",
                      "management", "industriel", "exploitant"})
_NOT_COMPANIES = frozenset({"syndicat", "union", "confédération", "fédération", "parti",
                            "mouvement", "association", "collectif"})
# Companies known by their initials ("la SNCF ... la compagnie"), never a union's.
_CARRIERS = frozenset({"compagnie", "opérateur", "transporteur"})
# Kinds of bodies that go by their acronym ("la CGT ... le syndicat", "l'OMS ...
# l'organisation"); not "le rectorat", "l'entreprise".
_BY_INITIALS = _CARRIERS | _PUBLIC | {"syndicat", "union", "confédération", "fédération",
                                      "parti", "mouvement", "agence", "office", "autorité",
                                      "ong", "association", "institut", "observatoire"}


class Bodies:
    """The organisations named in one article, by position, with the noun of their kind."""

    def __init__(self, tokens: list[Token], text: str,
                 bylines: list[tuple[int, int]] = ()):  # their outlets are no organisation
        self.tokens, self.text = tokens, text
        self.starts = [t.start for t in tokens]
        self.acronyms = acronyms(tokens, text)
        self.positions: list[int] = []
        self.named: list[tuple[str, str]] = []  # (kind noun, name), in the order of positions
        self.headed: list[bool] = []
        self.initials: list[tuple[int, str]] = []  # (offset, name) of bodies by acronym alone
        in_byline = {i for a, b in bylines
                     for i in range(bisect_left(self.starts, a), bisect_left(self.starts, b))}
        for i, t in enumerate(tokens):  # "la CGT", "l'ARS": an organisation whose kind the
            if t.text.isupper() and t.text.isalpha() and 2 <= len(t.text) <= 6 \
                    and t.text not in NOT_ACRONYMS and not roman(t.text) \
                    and i not in in_byline:  # text may not say
                self.initials.append((t.start, self.acronyms.get(t.text, t.text)))
        self.authored: list[tuple[int, str, str]] = []  # (offset, document noun, author)
        for i, t in enumerate(tokens):  # "une étude de l'Inserm", "le rapport de l'IGPN"
            if (t.low in EVIDENCE or t.low in _TEAMS) and t.text.islower():
                end = next((j for j in range(i + 1, min(len(tokens), i + 14))
                            if tokens[j].text in _CLAUSE_ENDS or tokens[j].low in _VERBS),
                           min(len(tokens), i + 14))
                author = self.institution(tokens[i:end]) if end > i + 2 else None
                if author:
                    self.authored.append((t.start, t.low, author))
        for i in range(1, len(tokens) - 1):  # "Delmotte Industries", "Transports Morvan"
            if tokens[i].low in _COMPANY_WORDS and tokens[i].text[:1].isupper() and (
                    tokens[i - 1].text[:1].isupper() or tokens[i + 1].text[:1].isupper()):
                a = i - (tokens[i - 1].text[:1].isupper() and tokens[i - 1].low not in _ARTICLES)
                b = i + 1 + (a == i and tokens[i + 1].text[:1].isupper())
                self.add(tokens[a].start, "entreprise", text[tokens[a].start:tokens[b - 1].end])
        for i in range(2, len(tokens) - 1):  # "le directeur général de Nuvia": a company
            if tokens[i].low in {"de", "du", "chez"} and capitalised(tokens[i + 1]) and (
                    tokens[i - 1].low in HEADS or tokens[i - 1].low in {"général", "générale"}
                    and tokens[i - 2].low in HEADS):
                end = _headed_end(tokens, i + 1)
                if end == i + 2 or capitalised(tokens[end - 1]):
                    self.add(tokens[i + 1].start, "", text[tokens[i + 1].start:tokens[end - 1].end])
        for i in range(len(tokens) - 2):
            if i in in_byline:
                continue  # "Par X | Le Quotidien": the outlet that publishes the article
            if tokens[i].low in ORGANISATION_NOUNS and tokens[i].text.islower():
                n = i + 1 + (_qualifier(tokens[i + 1]) and tokens[i + 2].text[:1].isupper())
                if tokens[n].text[:1].isupper() and "\n" not in text[tokens[i].end:tokens[n].start]:
                    name = text[tokens[n].start:tokens[_headed_end(tokens, n) - 1].end]
                    self.add(tokens[i].start, tokens[i].low, name)  # "l'association Vent de
                    # colère en Ernée", "la chaîne régionale Télé Azur"
            elif tokens[i].low in _ARTICLES:  # "Le Conseil d'État", "le CHU de Caen"
                h = i + 1 + (tokens[i + 1].text in {"'", "’"} and i + 2 < len(tokens))
                if tokens[h].low in KIND_HEADS and tokens[h].text[:1].isupper():
                    end = _headed_end(tokens, h)  # "l'Autorité de la concurrence"
                    name = text[tokens[h].start:tokens[end - 1].end]
                    spelt = [n for n in self.acronyms.values()  # "L'Union sportive
                             if len(n) > len(name) and text.startswith(n, tokens[h].start)]
                    self.add(tokens[i].start, tokens[h].low, spelt[0] if spelt else name,
                             headed=not spelt)  # montalbanaise (USM)"

    def add(self, offset: int, kind: str, name: str, headed: bool = False) -> None:
        """Remember an organisation named at a character offset; ``headed`` when only its
        kind's capital marked it (its name may go on in lower case): found by that kind
        only."""
        if not headed:  # "Tribunal" gives way to "Tribunal administratif de Nantes"
            for j in range(len(self.named) - 1, -1, -1):
                if self.headed[j] and name.startswith(self.named[j][1]):
                    del self.positions[j], self.named[j], self.headed[j]
        k = bisect_left(self.positions, offset)
        insort(self.positions, offset)
        self.named.insert(k, (kind, name))
        self.headed.insert(k, headed)

    def before(self, offset: int, kind: str) -> str | None:
        """The organisation of that kind named last before an offset ("la haute juridiction"
        is a court, "l'établissement" a hospital or a school); for a generic noun
        ("l'entreprise", "la direction"), the one named last of any kind."""
        k = bisect_left(self.positions, offset)
        fallback = None
        kinds = KINDS.get(kind, {kind})
        while k:
            k -= 1
            noun, name = self.named[k]
            if noun in kinds or (noun == "" and kind in _BY_INITIALS - GENERIC and not (
                    kind in _CARRIERS and name in UNION_INITIALS)):
                return name  # "" : an institution that spoke, its kind unsaid
            if (not self.headed[k] or kind in _PUBLIC) and not (
                    kind in _COMPANY and (noun in _NOT_COMPANIES or name.isupper())):
                fallback = fallback or name  # "l'institution": "l'Autorité de ..."; "la
                # direction": a company, not "la CGT"
        if kind not in _BY_INITIALS:
            return fallback if kind in GENERIC else None  # "l'entreprise" is no "CGT"
        # "le syndicat", "l'organisation": a body named by its acronym alone, if one was
        initials = [n for at, n in self.initials if at < offset and not any(
            noun and noun not in kinds and n in name.split() for noun, name in self.named)
            and not (kind in _CARRIERS and n in UNION_INITIALS)]  # "la compagnie": SNCF
        return initials[-1] if initials else fallback if kind in GENERIC else None  # not the
        # "CGT" of "l'union départementale CGT" for "l'agence"

    def author(self, offset: int, noun: str) -> str | None:
        """The author of the last document of that kind named before an offset ("L'étude"
        after "une étude de l'Inserm"), else of the last document ("une enquête de
        l'institut Cassini ... L'étude")."""
        before = [(n, a) for at, n, a in self.authored if at < offset]
        same = [a for n, a in before if n == noun]
        return same[-1] if same else before[-1][1] if before else None

    def named_with(self, offset: int, word: str) -> str | None:
        """The last organisation before an offset whose name has that word ("comptes":
        the Cour des comptes, a chambre régionale des comptes)."""
        found = [name for at, (_kind, name) in zip(self.positions, self.named)
                 if at < offset and word in name.lower().split()]
        return found[-1] if found else None

    def institution(self, words: list[Token]) -> str | None:
        """The institution a source names, from its first capital to its last ("la
        direction des Papeteries de l'Aisne" -> "Papeteries de l'Aisne"), up to an
        apposition after it and without an acronym in brackets; None without a capital."""
        by = next((k for k, t in enumerate(words) if t.low in {"par", "by"}), None)
        if by is not None and any(t.low in EVIDENCE for t in words[:by]):
            # "une étude réalisée par la chambre d'agriculture": its author; "une note
            # consultée par l'AFP": its reader, no part of the name
            verb = by - 1
            while verb > 0 and (words[verb].low in DAYS or words[verb].low in _WHEN):
                verb -= 1  # "publiée vendredi par", "réalisée en 2024 par"
            words = words[by + 1:] if words[verb].low.startswith(_AUTHORED) else words[:verb]
        capitals = [t for t in words if t.low not in DETERMINERS and t.low not in FUNCTION_WORDS
                    and t.low not in DAYS and (capitalised(t) or t.text.isupper())]
        if len(capitals) > 1 and capitals[0].low in {"ong", "ngo"}:
            capitals = capitals[1:]  # "l'ONG Reporters du Monde Libre"
        if not capitals:
            return self._official(words)
        if (len(words) == 1 and (
                words[0].low in ORGANISATION_NOUNS or role_like(words[0].low)
                or role_like(words[0].low.rstrip("s")))):
            return None  # "Police said", "Residents say": a common noun opening the sentence
        inside = self.tokens[self._index(capitals[0].start):self._index(words[-1].end)]
        comma = next((t.start for t in inside if t.text == ","), None)
        if comma is not None:  # "La FDSEA, principal syndicat": the name, not its apposition
            words = [w for w in words if w.start < comma]
            capitals = [t for t in capitals if t.start < comma]
        def participle(k: int) -> bool:  # not "de la santé"; "consultée par", after the name
            w = words[k]
            return w.text.islower() and w.low.endswith(("é", "ée", "és", "ées", "ed")) \
                and self.tokens[self._index(w.start) - 1].low not in _LINKS_TO_NAME | {"en"} \
                and (w.start > capitals[-1].start or k + 1 < len(words)
                     and words[k + 1].low == "par")

        cut = next((w for k, w in enumerate(words) if w.start > capitals[0].start and (
            w.low in AFTER_NAME or w.low in DAYS or w.low in _ABOUT or participle(k))), None)
        if cut is not None:  # "une étude de l'Insee publiée jeudi", "de la SNCF consultée par"
            words = [w for w in words if w.start < cut.start]
            capitals = [t for t in capitals if t.start < cut.start]
        while words and (words[-1].low in SPOKESPEOPLE | ROLE_NOUNS | AFTER_NAME | EVIDENCE) \
                and words[-1].low not in _PARTY_WORDS and words[-1].start > capitals[-1].start \
                and not (len(words) > 1 and words[-2] is capitals[0]
                         and words[-2].low in KIND_HEADS):
            words = words[:-1]  # "a Northwind Energy spokesperson", "a Gallup poll"; not "la
            # Confédération paysanne"
        first = capitals[0]
        before = [t for t in words if t.start < first.start and t.low not in _LINKS_TO_NAME]
        if before and before[-1].low in _PORTFOLIO_HOLDERS:
            return None  # "l'entourage du ministre de l'Économie": a portfolio, no body
        head = next((t for t in words if t.start < first.start and t.low in _NAMED_BY), None)
        between = [t for t in words if head is not None and head.start < t.start < first.start]
        if head is None:
            head = next((t for t in words if t.start < first.start and t.low in _OFFICIAL), None)
            between = [t for t in words if head is not None and head.start < t.start < first.start]
            if between and between[0].low in _LINKS_TO_NAME and head.low in _MANAGEMENT:
                between = []  # "la direction des Papeteries de l'Aisne": the company
        if between and between[-1].low not in _LINKS_TO_NAME | _PLACES and not all(
                _adjective(t) and t.low.endswith(_TERRITORIAL) for t in between):
            between = []  # "l'association de consommateurs CLCV": the name is its own; not
            # "l'union départementale CGT de l'Isère"; but "l'association des commerçants de
            # la rue Nationale"
        if between and (between[0].low in _LINKS_TO_NAME or _adjective(between[0])) \
                and len(between) <= 8:
            first = head  # "le ministère de la Santé", "le comité des usagers du TER", "la
            # chambre régionale des comptes d'Occitanie"; not "l'association Oléron Horizon"
        f = self._index(first.start)  # a title's own article: "le quotidien La Nación",
        if first is capitals[0] and words[0].start < first.start:  # "L'Orient-Le Jour"
            article = f - 2 if self.tokens[f - 1].text in {"'", "’"} else f - 1
            if self.tokens[article].text in {"La", "Le", "Les", "L", "The"} \
                    and self.tokens[article].start > words[0].start:
                first = self.tokens[article]
        end = max(capitals[-1].end, words[-1].end)
        k = self._index(end)
        if k < len(self.tokens) and self.tokens[k].text.isdigit() \
                and self.tokens[k].start == end + 1:
            end = self.tokens[k].end  # "Habitat 59"
        name = self.text[first.start:end]
        # "OFB" -> "Office français de la biodiversité"; "ministère de X" -> "Ministère de X"
        name = self.acronyms.get(name, name[:1].upper() + name[1:])
        longer = [n for _kind, n in self.named if n.startswith(name + " ")]
        # "Greenfield" -> "Greenfield Motors"
        return longer[0] if longer else name.partition(" (")[0]

    def _official(self, words: list[Token]) -> str | None:
        """An official body named in lower case by its kind and an adjective ("l'agence
        régionale de santé", "la direction départementale des territoires"), as a name with
        a capital; None for anything else ("le festival", "la direction")."""
        k = next((k for k, t in enumerate(words) if t.low not in DETERMINERS and not (
            t.low in EVIDENCE or t.low in _LINKS_TO_NAME)), len(words))  # "un rapport de
        if k + 1 >= len(words) or words[k].low not in _NAMED_BY | _OFFICIAL:  # l'inspection"
            return None
        chamber = words[k].low in _CHAMBERS and words[k + 1].low in {"de", "des", "d"} \
            and k + 2 < len(words) and words[k + 2].text.islower()  # "la chambre des métiers"
        if not chamber and (not _adjective(words[k + 1]) or (
                words[k].low in _MANAGEMENT and words[k + 1].low == "générale")):
            return None  # "la direction générale": the company's management
        end = next((w for w in words[k + 1:] if w.low in AFTER_NAME or w.low == "qui"
                    or w.low in DAYS), None)
        kept = [w for w in words[k:] if end is None or w.start < end.start]
        name = self.text[kept[0].start:kept[-1].end].partition(",")[0].partition(" (")[0]
        return name[:1].upper() + name[1:]

    def _index(self, offset: int) -> int:
        return bisect_left(self.starts, offset)


def _qualifier(token: Token) -> bool:
    """A lower-case adjective between an organisation's kind and its name, an inhabitants'
    one included ("la mutuelle niortaise Mutualia", "la chaîne régionale Télé Azur")."""
    return token.text.isalpha() and token.text.islower() and token.low not in _LINKS_TO_NAME \
        and token.low not in FUNCTION_WORDS and token.low not in _NOT_ADJECTIVES


def _adjective(token: Token) -> bool:
    """A lower-case word after an institution's kind that is not a linking word: its
    adjective ("régionale", "hospitalier", "académique")."""
    return token.text.isalpha() and token.text.islower() and token.low not in _LINKS_TO_NAME \
        and token.low not in FUNCTION_WORDS and token.low not in _NOT_ADJECTIVES \
        and not token.low.endswith(_PEOPLE_ENDINGS)


# Endings of the adjectives of an official structure ("départementale", "régional",
# "académique"), not of a description ("l'agence officielle Ria Novosti").
_TERRITORIAL = ("al", "ale", "aux", "ales", "ique", "ier", "ière")
_ADJECTIVE_ENDINGS = (*_TERRITORIAL, "el", "elle", "aire", "if", "ive", "éen", "éenne")
_NOT_ADJECTIVES = frozenset({"à", "au", "aux", "pour", "en", "sur", "chez", "contre", "avec",
                             "par", "et"})
# Adjectives of inhabitants: "le conseil genevois" is a lawyer, not a council.
_PEOPLE_ENDINGS = ("ois", "oise", "ais", "aise", "ien", "ienne")


def capitalised(token: Token) -> bool:
    """A capitalised word that may be part of a name: not an acronym, article or pronoun."""
    return token.text[:1].isupper() and token.text.isalpha() and len(token.text) > 1 \
        and not token.text.isupper() and token.low not in DETERMINERS \
        and token.low not in PRONOUNS and token.low not in HONORIFICS


def _headed_end(tokens: list[Token], start: int) -> int:
    """Where an institution's name that starts with its kind's capital ends: over capitals,
    linking words, and lower-case words followed by one ("Tribunal administratif de
    Nantes", "Conseil d'État")."""
    end = k = start + 1
    while k < len(tokens) and k - start < 8:
        word, following = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None
        if word.text[:1].isupper() and word.text.isalnum() or (
                word.text.isalpha() and word.low not in LINKS and k > end and all(
                    t.low in LINKS for t in tokens[end:k])) or (  # "Cour des comptes"
                k == end and _adjective(word) and word.low.endswith(_ADJECTIVE_ENDINGS)
                and following is not None and following.low in LINKS):  # "Agence nationale
            # de sécurité du médicament"
            end = k + 1
        elif word.low not in LINKS and not (
                word.text.isalpha() and following is not None and following.low in LINKS):
            break
        k += 1
    return end
