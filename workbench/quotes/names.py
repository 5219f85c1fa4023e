"""Who a source refers to: a small person-name detector and the speaker resolution.

Names are runs of capitalised tokens ("Vladimir Poutine", "Elizabeth Warren"), two or
more long, without an organisation or place word ("Times", "House", "Sommet"); a single
capitalised token is a name after a title ("Senator Warren", "M. Macron") or when it is
one end of a full name found anywhere in the article ("Warren", "Poutine").

A source that is a pronoun ("il", "she") or a description with a title ("the senator",
"le ministre") resolves to the most recent person named before it; a source that
contains a name resolves to that name, completed to the article's full name; any other
source with a capital (an institution, a newspaper) is its own speaker; the rest
("a source", "officials", "they") stays unresolved.
"""

from __future__ import annotations

from bisect import bisect_left

from workbench.quotes.lexicon import COUNTERPARTS, DETERMINERS, PLURAL_TITLES, PRONOUNS, TITLES
from workbench.quotes.tokens import Token

_NOT_PERSON = frozenset({
    "times", "post", "news", "house", "service", "department", "party", "committee", "sommet",
    "jeux", "traité", "union", "nations", "court", "street", "journal", "press", "agency",
    "ministère", "république", "états", "etats", "unis", "united", "states", "congress",
    "senate", "cnn", "fox", "msnbc", "nbc", "abc", "cbs", "bbc", "afp", "reuters", "republican",
    "republicans", "democratic", "democrats", "democrat", "gop", "assemblée", "parti", "conseil",
    "centre", "center", "university", "université", "institute", "institut", "new", "york",
    "washington", "america", "american", "americans", "europe", "france", "chine", "russie",
    "china", "russia", "pékin", "moscou", "paris", "london", "londres", "beijing", "moscow",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi",
    "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre", "foundation", "fondation", "bank", "banque", "club",
    "group", "groupe", "school", "école", "hospital", "hôpital", "council", "commission",
    "office", "bureau", "ville", "city", "county", "region", "région", "ministry", "ministre",
    "trump", "tower", "campaign", "white", "national", "nationale", "clinic", "clinique",
})
_LINKS = frozenset({"-", "de", "van", "von", "der", "da", "du", "le", "la", "bin", "al"})


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.text.isalpha() and len(token.text) > 1 \
        and token.low not in DETERMINERS and token.low not in PRONOUNS


def full_names(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of two or more capitalised tokens that read as a person's name."""
    found = []
    i = 0
    while i < len(tokens):
        if not _capitalised(tokens[i]) or tokens[i].low in TITLES:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (_capitalised(tokens[j]) or (
                tokens[j].low in _LINKS and j + 1 < len(tokens) and _capitalised(tokens[j + 1])
                and tokens[j].text == "-")) and "\n" not in text[tokens[j - 1].end:tokens[j].start]:
            j += 1
        if j - i >= 2 and j - i <= 4 and not any(t.low in _NOT_PERSON for t in tokens[i:j]):
            found.append((i, j))
        i = j
    return found


class Speakers:
    """The person mentions of one article, in order, to resolve its sources against."""

    def __init__(self, tokens: list[Token], text: str):
        self.tokens, self.text = tokens, text
        fulls = full_names(tokens, text)
        self.names = {self._name(a, b) for a, b in fulls}
        ends: dict[str, str] = {}
        for a, b in fulls:  # "Poutine" -> "Vladimir Poutine"; the first full name wins
            name = self._name(a, b)
            ends.setdefault(tokens[a].low, name)
            ends.setdefault(tokens[b - 1].low, name)
        self.ends = ends
        mentions: list[tuple[int, str]] = [(tokens[a].start, self._name(a, b)) for a, b in fulls]
        inside = {k for a, b in fulls for k in range(a, b)}
        for i, token in enumerate(tokens):
            if i in inside or not _capitalised(token) or token.low in _NOT_PERSON:
                continue
            titled = i > 0 and tokens[i - 1].low in TITLES | {"."}
            if token.low in ends or (titled and token.low not in TITLES):
                mentions.append((token.start, ends.get(token.low, token.text)))
        mentions.sort()
        self.positions = [p for p, _ in mentions]
        self.mentions = [n for _, n in mentions]
        self.last: str | None = None  # the speaker resolved last, for "son homologue"

    def _name(self, a: int, b: int) -> str:
        return self.text[self.tokens[a].start:self.tokens[b - 1].end]

    def before(self, offset: int, other_than: str | None = None) -> str | None:
        """The most recent person named before a character offset (not ``other_than``)."""
        k = bisect_left(self.positions, offset)
        while k and self.mentions[k - 1] == other_than:
            k -= 1
        return self.mentions[k - 1] if k else None

    def resolve(self, start: int, end: int) -> str | None:
        """The speaker of the source spanning characters ``start``..``end``, in text order."""
        speaker = self._resolve(start, end)
        self.last = speaker or self.last
        return speaker

    def _resolve(self, start: int, end: int) -> str | None:
        words = [t for t in self.tokens[self._index(start):self._index(end)] if t.text.isalpha()]
        if not words:
            return None
        lows = [t.low for t in words]
        if len(words) == 1 and lows[0] in PRONOUNS:
            return self.before(start) if PRONOUNS[lows[0]] in "mf" else None
        if any(low in PLURAL_TITLES for low in lows):
            return None  # a group
        if any(low in COUNTERPARTS for low in lows):
            return self.before(start, other_than=self.last)
        k = bisect_left(self.positions, start)
        if k < len(self.positions) and self.positions[k] < end:
            several = k + 1 < len(self.positions) and self.positions[k + 1] < end
            return None if several else self.mentions[k]  # "Xi et Poutine": no one name
        capitals = [t for t in words[1:] if _capitalised(t)] + \
            ([words[0]] if _capitalised(words[0]) else [])
        if any(low in TITLES for low in lows) and not any(
                t.low not in TITLES and t.low not in _NOT_PERSON for t in capitals):
            return self.before(start)  # "the senator", "le Président russe"
        if capitals:  # an institution or a newspaper, without its article
            first = self._index(start)
            if self.tokens[first].low in DETERMINERS:
                return self.text[self.tokens[first + 1].start:end]
            return self.text[start:end]
        return None

    def _index(self, offset: int) -> int:
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid].start < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo
