"""A small grammar for blame: who is the subject of a verb, what a noun phrase names, and
whether a sentence is quoted or gives an instruction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nofault.core.lint.packs.blame.lexicon import (
    FIRST_NAMES,
    IMPERATIVES,
    NOT_NAMES,
    ORG_UNITS,
    PARTICIPLES,
    PRONOUNS,
    ROLES,
    TEAM,
)
from nofault.core.lint.text import folded

_I = re.IGNORECASE
TOKEN = re.compile(r"@?[^\W\d_][\w'’.-]*(?<![.])")
# Where a clause begins: punctuation or a conjunction. The subject of a verb is the last
# noun phrase between the clause start and the verb.
BOUNDARY = re.compile(
    r"[,;:()\[\]\"“”—–]|\s-\s|\b(?:and|but|because|so|when|while|after|before|since|although|"
    r"though|which|that|who|whom|until|whereas|if|then|as|where|or|nor|unless|whether|"
    # "once the alert fired" opens a clause; "I once took down" is an adverb.
    r"once(?!\s+(?:[\w-]+ed|took|ran|broke|made|did|wrote|put|set|sent|had|was|were)\b)|"
    # Reported speech: "the board found (that) the crew ...", "Rourke said an engineer ...".
    r"said|says|claimed|claims|alleged|alleges|admitted|admits|conceded|concedes|argued|"
    r"argues|insisted|insists|concluded|concludes|ruled|rules|determined|revealed|"
    r"acknowledged|acknowledges|stated|states|reported|reports|suggested|suggests|believes|"
    r"noted|notes|shows|showed|found|finds|confirmed|confirms)\b",
    _I,
)
_BOUNDARY_FOLDED = folded(BOUNDARY)
COORDINATORS = {"and", "but", "then", "or", "nor", "so"}
SKIP = frozenset(
    [
        "had",
        "has",
        "have",
        "did",
        "does",
        "do",
        "also",
        "then",
        "still",
        "again",
        "never",
        "not",
        "just",
        "simply",
        "all",
        "both",
        "already",
        "previously",
        "later",
        "initially",
        "subsequently",
        "ultimately",
        "actually",
        "somehow",
        "probably",
        "likely",
        "may",
        "might",
        "must",
        "could",
        "would",
        "should",
        "apparently",
        "unfortunately",
        "accidentally",
        "inadvertently",
        "mistakenly",
        "unknowingly",
        "unwittingly",
        "themselves",
        "himself",
        "herself",
        "ourselves",
        "myself",
        "yourself",
        "completely",
        "totally",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "'d",
        "’d",
        "even",
        # Words that stand between a subject and its verb without being its head.
        "once",
        "yet",
        "basically",
        "literally",
        "essentially",
        "really",
        "finally",
        "eventually",
        "first",
        "involved",
        "concerned",
        "responsible",
        "alone",
    ]
)
DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "his",
        "her",
        "my",
        "your",
        "its",
        "this",
        "that",
        "these",
        "those",
        "one",
        "of",
        "another",
        "same",
        "new",
        "junior",
        "senior",
        "two",
        "three",
        "several",
        "some",
        "any",
        "each",
        "every",
        "whole",
        "entire",
        "other",
    ]
)

QUOTED = re.compile(r"“[^”]{0,200}”|\"[^\"\n]{0,200}\"|‘[^’]{0,120}’|(?<!\w)'[^'\n]{1,120}'(?!\w)")

# --- who is the subject ------------------------------------------------------------------


# Word endings no first name has; keeps "During", "Following", "Unfortunately" out.
_NOT_NAME_ENDINGS = ("ly", "ing", "ed", "tion", "ment", "ness", "ity", "ies", "ous", "ful")


@dataclass(frozen=True, slots=True)
class People:
    """The names a document knows: its people, the roster, handles."""

    names: frozenset[str]

    def kind(self, token: str, *, capitalised_name: bool = False) -> str | None:
        """Return 'person', 'team', 'possessive' or None for one token."""
        possessive = False
        base = token
        if token[-2:] in ("'s", "’s"):
            base, possessive = token[:-2], True
        elif token[-1:] in ("'", "’"):
            base, possessive = token[:-1], True
        low = base.lower()
        kind: str | None = None
        capital = base[:1].isupper()
        if low in TEAM:
            kind = "team"
        elif (
            low in PRONOUNS
            or low in ROLES
            # "the analysts on duty": a role's plural names people as much as the role does.
            or (low[-1:] == "s" and low[:-1] in ROLES)
            or base.startswith("@")
            or low in self.names
            or (capital and (low in FIRST_NAMES or low in ORG_UNITS))
            or (
                capitalised_name
                and capital
                and base[1:].replace("-", "").islower()
                and low not in NOT_NAMES
                and low not in IMPERATIVES
                and low not in DETERMINERS
                and not low.endswith(_NOT_NAME_ENDINGS)
                and base.replace("-", "").isalpha()
            )
        ):
            kind = "person"
        if kind and possessive:
            return "possessive" if kind == "person" else None
        return kind


@dataclass(slots=True)
class Subject:
    """The subject found for a verb: its kind and where it starts in the sentence."""

    kind: str  # person, team, possessive, thing, none
    start: int


def clause_tokens(text: str, end: int) -> tuple[list[re.Match[str]], str | None, int]:
    """Return the tokens from the clause start to `end`, the boundary word, its start."""
    window_start = max(0, end - 120)
    # A few characters past `end` let a boundary look ahead ("once" before a verb is not one).
    left = text[window_start : end + 24]
    limit = end - window_start
    last = None
    # The case-sensitive twin on the lower-cased window: one regex try per position is cheap.
    boundaries = (
        _BOUNDARY_FOLDED.finditer(left.lower())
        if _BOUNDARY_FOLDED is not None and left.isascii()
        else BOUNDARY.finditer(left)
    )
    for found in boundaries:
        if found.end() > limit:
            break
        last = found
    begin = window_start + (last.end() if last else 0)
    tokens = list(TOKEN.finditer(text, begin, end))
    boundary = last.group(0).lower() if last else None
    return tokens, boundary, window_start + (last.start() if last else 0)


def subject_of(
    text: str,
    end: int,
    people: People,
    *,
    person_only_verb: bool = False,
    negative_is_none: bool = False,
) -> Subject:
    """Find who or what is the subject of the verb that starts at `end`."""
    tokens, boundary, boundary_at = clause_tokens(text, end)
    while tokens and (
        tokens[-1].group(0).lower() in SKIP or tokens[-1].group(0).lower().endswith("ly")
    ):
        tokens.pop()
    if not tokens:
        if boundary in COORDINATORS and boundary_at > 0:
            # "Bob logged in and forgot": the subject of the first clause carries over.
            prior, _b, _at = clause_tokens(text, boundary_at)
            for tok in prior[:3]:
                word = tok.group(0)
                if word.lower() in DETERMINERS:
                    continue
                # "Keene triggered an override and mistakenly took ...": a capitalised name
                # that heads the first clause is the subject of both.
                kind = people.kind(word, capitalised_name=person_only_verb and tok is prior[0])
                if kind:
                    return Subject(kind, tok.start())
                if tok is prior[0] and tok.start() < 2 and _ELIDED_DEED.fullmatch(word):
                    # "Shipped a release but forgot to bump the version": a log's shorthand
                    # leaves out "I"; a past deed opens the sentence with no subject.
                    return Subject("person", tok.start())
                break
            # "Continental brought its network, SafeLink, back first, but did not tell
            # users": the subject of the sentence's first clause carries over.
            opening = _sentence_subject(text, people, person_only_verb)
            if opening is not None:
                return opening
            return Subject("thing", boundary_at)
        if boundary == "who" and boundary_at > 0:
            # "The technician who yanked the cord": the relative pronoun stands for the
            # noun before it.
            prior = list(TOKEN.finditer(text, max(0, boundary_at - 40), boundary_at))
            kind = people.kind(prior[-1].group(0)) if prior else None
            if kind in ("person", "team"):
                return Subject(kind, prior[-1].start())
        return Subject("none", end)
    head = tokens[-1]
    word = head.group(0)
    if len(tokens) >= 2 and f"{tokens[-2].group(0)} {word}".lower() == "no one":
        return Subject("negative" if negative_is_none else "person", tokens[-2].start())
    if negative_is_none and word.lower() in ("nobody", "noone"):
        return Subject("negative", head.start())
    only_names = len(tokens) <= 2 and all(t.group(0)[:1].isupper() for t in tokens)
    kind = people.kind(word, capitalised_name=person_only_verb and only_names)
    if kind == "possessive":
        kind = None  # "Bob's" as a head means a noun went missing; not a subject
    if kind:
        start = tokens[0].start() if only_names else head.start()
        return Subject(kind, start)
    for tok in tokens[-5:-1]:
        if people.kind(tok.group(0)) == "possessive":
            return Subject("possessive", tok.start())
    # "The author of the migration failed to": the head stands before "of".
    for index, tok in enumerate(tokens[:-1]):
        if tok.group(0).lower() == "of" and index > 0:
            kind = people.kind(tokens[index - 1].group(0))
            if kind in ("person", "team"):
                return Subject(kind, tokens[index - 1].start())
            break
    # "The developer creating the pull request misjudged", "a substation employee removing
    # a monitor triggered": a person heads the clause (after a modifier or two).
    content = [t for t in tokens if t.group(0).lower() not in DETERMINERS]
    for index, tok in enumerate(content[:3]):
        if index + 1 >= len(content) or people.kind(tok.group(0)) not in ("person", "team"):
            continue
        follower = content[index + 1].group(0).lower()
        if follower.endswith("ing") or follower in _HEAD_FOLLOWERS:
            return Subject(people.kind(tok.group(0)) or "person", tok.start())
        break
    # "Whoever did the weekend maintenance should not have ...": a free relative names a
    # person, whatever its last word.
    if tokens[0].group(0).lower() in ("whoever", "whomever"):
        return Subject("person", tokens[0].start())
    # "The person who wrote the job should have": the head stands before "who".
    if boundary in ("who", "that") and boundary_at > 0:
        prior = list(TOKEN.finditer(text, max(0, boundary_at - 40), boundary_at))
        if prior:
            kind = people.kind(prior[-1].group(0))
            if kind in ("person", "team"):
                return Subject(kind, prior[-1].start())
    return Subject("thing", head.start())


_ELIDED_DEED = re.compile(r"[A-Z][a-z]+(?:ed|ran|took|made|wrote|put|set|sent|shut|left)")
_HEAD_FOLLOWERS = frozenset(["who", "that", "on", "from", "in", "with", "at"])


def _sentence_subject(text: str, people: People, person_only_verb: bool) -> Subject | None:
    """Return the person who opens a sentence as its subject ("Continental brought ..."), if any."""
    tokens = list(TOKEN.finditer(text, 0, min(len(text), 80)))
    content = [t for t in tokens[:3] if t.group(0).lower() not in DETERMINERS]
    if len(content) < 2 or not PAST_FORM.fullmatch(content[1].group(0)):
        return None
    kind = people.kind(content[0].group(0), capitalised_name=person_only_verb)
    return Subject(kind, content[0].start()) if kind in ("person", "team") else None


PAST_FORM = re.compile(
    r"[\w-]+ed|ran|took|made|wrote|put|set|sent|shut|left|brought|broke|gave|kept|chose", re.I
)


def np_after(
    text: str, start: int, people: People, *, names: bool = True
) -> tuple[str | None, int]:
    """Classify the noun phrase that starts at `start` ("the new hire", "Bob's change")."""
    for tok in TOKEN.finditer(text, start, min(len(text), start + 80)):
        word = tok.group(0)
        low = word.lower()
        if low in NEGATIONS:
            return None, tok.end()
        kind = people.kind(word, capitalised_name=names)
        if kind:
            return (None if modifies_a_thing(text, tok.end()) else kind), tok.end()
        if low in DETERMINERS or low in ("on-call", "oncall", "on", "call", "same"):
            continue
        if low.endswith("ly"):
            continue
        # An adjective before a role ("the junior engineer"): look one word further.
        nxt = TOKEN.match(text, tok.end() + 1) if tok.end() + 1 < len(text) else None
        nxt_kind = people.kind(nxt.group(0)) if nxt else None
        if nxt and nxt_kind in ("person", "possessive") and not modifies_a_thing(text, nxt.end()):
            return nxt_kind, nxt.end()
        return None, tok.end()
    return None, start


NEGATIONS = frozenset(["not", "no", "never", "neither", "nor"])
THING_AFTER_PERSON = re.compile(
    r"\s+(?:errors?|mistakes?|factors?|resources|readable|nature|error-prone|in\s+the\s+loop)\b",
    _I,
)


def modifies_a_thing(text: str, end: int) -> bool:
    """Tell whether a person word is a modifier ("human error", "user-facing")."""
    return bool(THING_AFTER_PERSON.match(text, end)) or text[end : end + 1] == "-"


# --- sentences ---------------------------------------------------------------------------


# A quotation attributed to a speaker ("..., the regulator said"): reported speech, read as
# the sentence's own claim about who is at fault; chat, code and quoted phrases stay masked.
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|tells|according\s+to|added|stated|wrote|admitted|conceded|"
    r"claimed|alleged|testified|argued|insisted|acknowledged|explained|announced|declared)\b",
    re.IGNORECASE,
)


# Words that attribute a report to a speaker ("the board found ..."); a short quotation
# inside the reported clause (lost "situational awareness", an "embarrassing human error")
# is the report's own wording, while one that follows the verb ("the chat said “he forgot
# to renew it”") or opens the sentence reproduces someone's words.
_SPOKEN = re.compile(
    r"\b(?:said|told|according\s+to|stated|claimed|alleged|testified|admitted|conceded|"
    r"insisted|announced|declared|concluded|ruled)\b",
    re.IGNORECASE,
)
_QUOTE_OPENS = re.compile(
    r"(?:^|[:,]|\b(?:said|says|told|tells|wrote|writes|asked|replied|added|read|reads|"
    r"stated|posted|tweeted|typed)\s*[:,]?)\s*$",
    re.IGNORECASE,
)


def _blank(m: re.Match[str]) -> str:
    return m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1]


def mask_quotes(text: str) -> str:
    """Blank out quoted words (keeping the marks), unless they are attributed speech."""
    if not any(q in text for q in "\"“‘'"):
        return text
    outside = QUOTED.sub("", text)
    if any(len(m.group(0).split()) >= 6 for m in QUOTED.finditer(text)) and _ATTRIBUTION.search(
        outside
    ):
        return text
    # A sentence that is one quotation is someone's statement, reported as it stands.
    stripped = text.strip()
    whole = QUOTED.match(stripped)
    if whole and len(whole.group(0).split()) >= 6 and not stripped[whole.end() :].strip(" .,!?"):
        return text
    if _SPOKEN.search(outside):
        return QUOTED.sub(
            lambda m: _blank(m) if _QUOTE_OPENS.search(text, 0, m.start()) else m.group(0), text
        )
    return QUOTED.sub(_blank, text)


def next_words(text: str, start: int, count: int) -> list[str]:
    return [w.lower() for w in TOKEN.findall(text, start, min(len(text), start + 60))[:count]]


def is_participle(word: str) -> bool:
    return word.endswith("ed") or word in PARTICIPLES


def is_imperative(text: str) -> bool:
    """Tell whether a sentence gives an instruction (guide text, a recommendation)."""
    head = TOKEN.search(text, 0, 120)  # only the first word or two are read
    if not head:
        return False
    first = head.group(0).lower()
    if first in IMPERATIVES:
        second = TOKEN.search(text, head.end(), 120)
        if not (second and second.group(0).lower() in ("was", "were", "is")):
            return True
    comma = text.find(",", 0, 120)
    if first in ("when", "if", "before", "after", "while", "once", "during", "to", "for", "in",
                 "where", "whenever") and comma > 0:  # fmt: skip
        after = TOKEN.search(text, comma, comma + 40)
        return bool(after) and after.group(0).lower() in IMPERATIVES  # type: ignore[union-attr]
    return False


def person_subject(text: str, end: int, people: People) -> Subject:
    """Find the subject of a person-only verb; a lower-case first name counts (chat logs)."""
    subj = subject_of(text, end, people, person_only_verb=True)
    if subj.kind == "thing":
        tokens, _b, _at = clause_tokens(text, end)
        if len(tokens) == 1 and tokens[0].group(0) in FIRST_NAMES:
            return Subject("person", tokens[0].start())
    return subj


IT_IS = re.compile(r"\b(?:it|this|that)(?:['’]s|\s+is|\s+was)\s+(?:\w+ly\s+)?$", _I)


def about_someone(text: str, m: re.Match[str], people: People) -> bool:
    """Tell whether a judgement word is about a person: one is named, or "it's X that ..."."""
    if IT_IS.search(text, max(0, m.start() - 30), m.start()):
        return True
    return any(
        people.kind(t.group(0)) in ("person", "possessive")
        for t in TOKEN.finditer(text)
        if t.group(0).lower() not in TEAM
    )


def first_actor(text: str, end: int, people: People) -> int | None:
    """Return where a person acts in the text before `end` (a subject or a "by" agent)."""
    tokens = list(TOKEN.finditer(text, 0, end))
    for index, tok in enumerate(tokens):
        word = tok.group(0)
        first = index == 0 or (index == 1 and tokens[0].group(0).lower() in DETERMINERS)
        following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
        if word.lower() == "by" and following:
            if people.kind(following, capitalised_name=True) == "person":
                return tok.start()
        elif (
            first
            and following
            and people.kind(word, capitalised_name=True) in ("person", "possessive")
            and is_participle(following.lower())
        ):
            return tok.start()
    return None


def had_person(text: str, start: int, people: People) -> int | None:
    """After an inverted "had": return the end of "<person> <participle>", or None."""
    person = False
    for index, tok in enumerate(TOKEN.finditer(text, start, min(len(text), start + 80))):
        word = tok.group(0)
        low = word.lower()
        if index > 6:
            return None
        if not person:
            kind = people.kind(word, capitalised_name=index == 0)
            if kind in ("person", "team", "possessive"):
                person = True
            elif is_participle(low) and low not in DETERMINERS:
                return None  # "had the alert fired": a thing did it
            continue
        if low in ("not", "never", "only", "just", "also") or low.endswith("ly"):
            continue
        if low in ("had", "been"):
            return None
        if is_participle(low):
            return tok.end()
    return None


BY = re.compile(r"\s+(?:by|via|through)\s+", _I)


def thing_agent(text: str, end: int, people: People) -> bool:
    """Tell whether a participle ending at `end` has a thing as its agent ("ignored by X")."""
    m = BY.match(text, end)
    return m is not None and np_after(text, m.end(), people)[0] is None


def by_system(text: str, start: int, people: People) -> bool:
    """Tell whether an agent phrase after `start` names a thing ("been caught by CI")."""
    m = re.compile(r"\s+[\w-]+\s+(?:by|with|in|through|via)\s+", _I).match(text, start)
    if not m:
        return False
    kind, _e = np_after(text, m.end(), people)
    return kind is None


ELIDED_VERB = re.compile(
    r"\s+(?:[\w-]+ed|ran|took|made|wrote|put|set|sent|shut|cut|hit|threw|tore|left)\s+"
    r"(?:a|an|the|all|every|both|some|his|her|their|our|its|this|that|these|those|\d+)\b",
    _I,
)


# What may stand before a clause whose subject is left out: the sentence start, "and",
# "then", and a leading "while debugging the queue," (a log or chat shorthand).
SUBORDINATE = r"(?:while|whilst|when|after|before)\s+[\w-]+ing\b[^,;.]{0,40}?,?\s*"
ELIDED_BEFORE = re.compile(
    rf"(?:(?:^|[.;:]\s*|\bthen\s+)(?:{SUBORDINATE})?|\band\s+{SUBORDINATE})(?:then\s+)?\W*$",
    _I,
)


def elided_actor(text: str, m: re.Match[str]) -> bool:
    """Tell whether an error adverb opens a clause with no subject before a deed.

    "While troubleshooting, accidentally pushed a change": the actor is a person left
    unsaid; a passive ("were accidentally deleted") or a system has a subject before the
    adverb and is not matched here.
    """
    return (
        bool(m.group("accident") or m.group(0).lower() == "mistakenly")
        and bool(ELIDED_VERB.match(text, m.end()))
        and bool(ELIDED_BEFORE.search(text, 0, m.start()))
    )


# A clause that supposes rather than tells: "if you nuke the tables by mistake", "whether
# it counts as negligence", "just because the company did it".
_SUPPOSING = re.compile(
    r"\b(?:if\s+(?:you|it|one)|whether|even\s+if|just\s+because|suppose|supposing|imagine|"
    r"whenever|when\s+you)\b",
    re.IGNORECASE,
)
_NEGATOR = re.compile(
    r"\b(?:not|no|never|none|nobody|rarely|seldom|hardly|neither|nor|without)\b|n['’]t\b",
    re.IGNORECASE,
)


def supposed_at(text: str, end: int) -> bool:
    """Tell whether the words before `end` open a hypothetical or general clause."""
    return bool(_SUPPOSING.search(text, 0, end))


def negated_at(text: str, start: int) -> bool:
    """Tell whether a negation stands in the clause before `start` ("none were the fault of")."""
    tokens, _boundary, at = clause_tokens(text, start)
    begin = tokens[0].start() if tokens else at
    return bool(_NEGATOR.search(text, max(0, begin - 4), start))
