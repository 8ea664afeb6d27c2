"""The blame pack: language that makes a person, not the system, the cause of an incident.

Word lists live in lexicon.yaml and rule texts in rules.yaml; this module holds the little
grammar the lists need: who is the subject of a failure verb (a person, a pronoun, a role,
or a system noun), whether a sentence is quoted, forward-looking, or about the words
themselves. One pass over the prose finds every rule's hits; a cheap combined pattern
skips the sentences (most of them) that hold no trigger word at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nofault.core.document import SectionKind
from nofault.core.lint.context import LintContext
from nofault.core.lint.packs.loader import load_pack, load_yaml
from nofault.core.lint.rule import Category, Detector, Hit, Level, Rule
from nofault.core.lint.text import Sentence, folded

_HERE = Path(__file__).parent
LEXICON: dict[str, Any] = load_yaml((_HERE / "lexicon.yaml").read_text(encoding="utf-8"))


def _words(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in LEXICON[key])


def _alt(phrases: Iterable[str]) -> str:
    """Return a regex alternation of phrases, longest first, spaces matching any blank run."""
    items = sorted({str(p).lower() for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items)


_ALNUM = re.compile(r"[a-z0-9]+")


_COMMON = frozenset(
    [
        *("error", "errors", "mistake", "took", "made", "pushed", "deployed", "shipped", "did"),
        *("didn", "not", "never", "was", "were", "the", "up", "down", "over", "brought", "blew"),
        *("knocked", "taken", "blown", "should", "have", "a", "an", "by", "on", "of", "in", "to"),
        *("it", "that", "for", "call", "part"),
    ]
)


def _key(phrase: str) -> str:
    """Return the most distinctive word of a phrase (the longest uncommon one) for a prefilter."""
    words = _ALNUM.findall(str(phrase).lower())
    rare = [w for w in words if w not in _COMMON]
    return max(rare, key=len) if rare else words[0]


def _keys(*groups: Iterable[str] | str) -> frozenset[str]:
    out: set[str] = set()
    for group in groups:
        for phrase in group.split() if isinstance(group, str) else group:
            out.add(_key(phrase))
    return frozenset(out)


@lru_cache(maxsize=16)
def words_of(text: str) -> frozenset[str]:
    """Return the set of lower-case alphanumeric words of a text (cached for the sentence)."""
    return frozenset(_ALNUM.findall(text.lower()))


class Gated:
    """A compiled pattern that runs only when the text holds one of its key words.

    Python's regex engine tries every branch of a long alternation at every position, so a
    set lookup first makes the common case (a sentence with none of the words) cheap; then,
    for ASCII text, the case-sensitive twin on the lower-cased text tells cheaply whether
    the pattern matches at all (most gates that open find nothing).
    """

    __slots__ = ("also", "folded", "keys", "pattern")

    def __init__(
        self, pattern: str, keys: frozenset[str], also: str = "", flags: int = re.IGNORECASE
    ) -> None:
        self.pattern = re.compile(pattern, flags)
        self.folded = folded(self.pattern)
        self.keys = keys
        self.also = frozenset(also.split())  # when given, one of these words must be there too

    def ready(self, words: frozenset[str]) -> bool:
        """Tell whether the words could hold a match."""
        return not self.keys.isdisjoint(words) and not (self.also and self.also.isdisjoint(words))

    def matches(self, text: str, low: str | None) -> Iterator[re.Match[str]]:
        """Yield the pattern's matches in a text, as `pattern.finditer(text)` does.

        Given the text lower-cased (`low`, for ASCII text only), the twin finds where each
        match starts and the pattern is matched there alone: a long alternation then costs
        one try per match instead of one per character.
        """
        if low is None or self.folded is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        for found in self.folded.finditer(low):
            m = match(text, found.start())  # the same match: lookbehinds see before pos
            if m is not None:
                yield m

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        """Yield the matches, or nothing when no key word is in the text."""
        if not self.ready(words_of(text)):
            return iter(())
        return self.matches(text, low)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """Return the first match, or None when no key word is in the text."""
        if not self.ready(words_of(text)):
            return None
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos)


PRONOUNS = _words("pronouns")
TEAM = _words("team_pronouns")
ROLES = _words("roles")
FIRST_NAMES = _words("first_names")
PATIENT = _words("patient_participles")
HUMAN_PASSIVES = _words("human_passives")
OUTCOMES = _words("outcome_verbs")
CONDUCT = _words("conduct_words")
HUMAN_ACTIONS = _words("human_actions")
PARTICIPLES = _words("participles")
MISSED_TARGETS = _words("missed_targets")
FAILURE_NOUNS = _words("failure_nouns")
NOT_NAMES = _words("not_names")
ORG_UNITS = _words("org_units")
ING_NOUNS = _words("ing_nouns")
IMPERATIVES = _words("imperatives")
OUTCOME_JUDGEMENTS = _words("outcome_judgements")
SUGGESTIONS: dict[str, str] = {k: " ".join(v.split()) for k, v in LEXICON["suggestions"].items()}

_I = re.IGNORECASE
_TOKEN = re.compile(r"@?[^\W\d_][\w'’.-]*(?<![.])")
# Where a clause begins: punctuation or a conjunction. The subject of a verb is the last
# noun phrase between the clause start and the verb.
_BOUNDARY = re.compile(
    r"[,;:()\[\]\"“”—–]|\s-\s|\b(?:and|but|because|so|when|while|after|before|since|although|"
    r"though|which|that|who|whom|until|once|whereas|if|then|as|where|or|nor|unless|whether)\b",
    _I,
)
_COORDINATORS = {"and", "but", "then", "or", "nor", "so"}
_SKIP = frozenset(
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
    ]
)
_DETERMINERS = frozenset(
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

# Patterns, compiled once. Each carries the name of the kind of finding it makes.
_CAUSE = Gated(
    rf"\b(?:{_alt(LEXICON['cause_verbs'])})\b",
    _keys(LEXICON["cause_verbs"]),
)
_OMIT = Gated(
    rf"\b(?:{_alt(LEXICON['omission_verbs'])})\b",
    _keys(LEXICON["omission_verbs"]),
    also=(
        "not didn never wasn weren forgot forgotten missed ignored overlooked disregarded "
        "neglected skipped bypassed ignoring"
    ),
)
_FAULT_NOUN = _alt(LEXICON["fault_nouns"])
_POSSESSIVE_FAULT = Gated(
    rf"(?:\b(?P<pron>his|her|their|my)|(?P<owner>@?[A-Za-z][\w.-]*)['’]s)\s+(?:own\s+)?"
    rf"(?:{_FAULT_NOUN})\b",
    _keys(LEXICON["fault_nouns"]),
    also="s his her their my",
)
_AGENT = Gated(
    r"\b(?:(?:caused|broken|brought\s+about|introduced|botched|taken\s+down|brought\s+down)\s+by|"
    r"blamed\s+on|"
    r"due\s+to|because\s+of|thanks\s+to|blame\s+(?:lies|lay|rests|rested|falls|fell)\s+"
    r"(?:with|on)|(?:the\s+)?fault\s+of|culprit\s+(?:was|is|here\s+was))\s+",
    _keys(
        "caused broken brought introduced botched taken due because thanks blame fault culprit "
        "blamed"
    ),
)
_RESPONSIBLE = Gated(
    rf"\b(?:was|were|is|are)\s+(?:\w+ly\s+)?(?:to\s+blame|at\s+fault|(?:solely\s+|directly\s+)?"
    rf"responsible\s+for\s+(?:the|this|that|an?|our|its)?\s*(?:{_alt(FAILURE_NOUNS)}))\b",
    _keys("blame fault responsible"),
)
_CAUSAL = Gated(
    r"\b(?:because|(?:as\s+a|the)\s+result\s+of|thanks\s+to|"
    r"trace[sd]?\s+(?:[\w-]+\s+){0,3}?(?:back\s+)?to)\s+",
    _keys("because result thanks trace traces traced"),
)
# "This one is on me", "the cause was the intern", "Root cause: the intern": no verb needed.
_CAUSAL_IS = Gated(
    r"\b(?:(?:is|was)\s+(?:all\s+|entirely\s+|squarely\s+|solely\s+)?(?:down\s+to|on)|"
    r"(?:is|was)\s+the\s+(?:reason|cause)|root\s+cause\s*(?::|was|is|-|—))\s+",
    _keys("on down reason cause"),
    also="is was root",
)
# "Ahmed is the reason the cache was flushed": the person stands before.
_IS_REASON = Gated(
    r"\b(?:is|was)\s+(?:the\s+)?(?:(?:main|real|whole|only)\s+)?(?:reason|cause|culprit)\b",
    _keys("reason cause culprit"),
    also="is was",
)
# "..., which is why the incident dragged on", "so nobody was paged".
_CONSEQUENCE_LINK = Gated(
    r"\b(?:which|that|this)\s+(?:decision\s+|change\s+|action\s+)?(?:is|was)\s+"
    r"(?:why|what|how)\b|\bso\s+(?:nobody|no\s+one)\b",
    _keys("why what how nobody one"),
    also="which that this so",
)
_PUNITIVE = Gated(
    r"\b(?:taken|take|took|taking)\s+(?:disciplinary\s+)?action\s+(?:with|against)\b|"
    r"\bdisciplin(?:ed|ary)\b|\bcounsell?ed\b|\bretrain(?:ed|ing)?\s+(?:the|him|her|them)\b|"
    r"\b(?:was|were|been|be|got|get)\s+(?:let\s+go|suspended|written\s+up|reprimanded|"
    r"sacked|demoted)\b",
    _keys(
        "action disciplined disciplinary counseled counselled retrain retrained retraining "
        "let suspended written reprimanded sacked demoted"
    ),
)
# "was fired" (not "the alert fired").
_FIRED = Gated(
    r"\b(?:was|were|been|be|got|get)\s+fired\b", _keys("fired"), also="was were been be got get"
)
# "... took the payments service down": a particle after the object.
_CAUSE_SPLIT = Gated(
    r"\b(?:took|brought|knocked|taken|taking|bringing)\s+(?:[\w-]+\s+){1,4}?"
    r"(?:down|over|offline)\b",
    _keys("took brought knocked taken taking bringing"),
    also="down over offline",
)
_BLAME_WITH = Gated(
    r"\b(?:blame|responsibility|fault)\s+(?:for\s+[^,.;]{1,50}?\s+)?(?:lies|lay|rests|rested|"
    r"sits|sat|falls|fell|belongs|is|was)\s+(?:\w+ly\s+)?(?:with|on|to)\s+",
    _keys("blame responsibility fault"),
)
_CLEFT = Gated(
    r"\bit\s+(?:was|is|['’]s)\s+",
    _keys("it"),
    also="who that",
)
_WHO_DID = Gated(
    r"\bwho\s+(?:approved|deployed|pushed|merged|broke|did|ran|changed|wrote|shipped|touched|"
    r"disabled|deleted|signed\s+off\s+on)\s+(?:this|that|it|without)\b",
    _keys("who"),
)
_ERROR_ADVERB = Gated(
    r"\b(?:mistakenly|erroneously|wrongly|wrongfully|incorrectly|improperly|by\s+mistake|"
    r"in\s+error|(?P<accident>accidentally|by\s+accident|inadvertently|unintentionally))\b",
    _keys(
        "mistakenly erroneously wrongly wrongfully incorrectly improperly mistake accident "
        "accidentally inadvertently unintentionally"
    ),
)
_EXPLAINED = re.compile(r"\b(?:because|since|as\s+the|due\s+to|so\s+that|which\s+made)\b", _I)
_WHY_PERSON = Gated(
    r"\b(?:why|how)\s+(?:did|didn['’]t|was|wasn['’]t|were|weren['’]t|could|would)\s+",
    _keys("why how"),
    also=("did didn was wasn were weren could would"),
)
_WHY_VERB = re.compile(
    r"\s*(?:not\s+|never\s+)?(?:forget|ignore|miss|overlook|neglect|fail|skip|disregard|"
    r"misjudge|misread|misunderstand|check|notice|read|follow|test|verify|escalate|ask|"
    r"think|realise|realize|bother)\b",
    _I,
)
_PASSIVE_OMISSION = Gated(
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:never\s+(?:\w+ly\s+)?|not\s+"
    r"(?:properly|fully|actually|adequately|even)\s+)(?:tested|reviewed|checked|verified|"
    r"declared|escalated|communicated|followed|read|validated|double-checked|acknowledged|"
    r"actioned|investigated|noticed)\b",
    _keys("never not"),
    also=(
        "tested reviewed checked verified declared escalated communicated followed read "
        "validated double acknowledged actioned investigated noticed"
    ),
)
_RISK = re.compile(r"[^.;]{0,60}?\b(?:later|worse|longer)\b|[^.;]{0,160},\s*but\b", _I)
_REASON = Gated(
    r"\bfor\s+(?:some|whatever|no\s+good|no|some\s+unknown)\s+reason\b",
    _keys("reason"),
    also="some whatever no",
)
_LET = Gated(
    r"\blet\s+(?:[\w'’-]+\s+){1,5}?(?:lapse|slip|fill|expire|run\s+out|go\s+unnoticed|rot|"
    r"through|happen|fall|sit|linger|drift|grow)\b",
    _keys("let"),
    also=("lapse slip fill expire run go rot through happen fall sit linger drift grow"),
)
_WITHOUT = Gated(
    r"\bwithout\s+(?:(?:any|proper|first|adequate|sufficient|a|an|the|prior|formal|"
    r"peer|second|even)\s+)*(?:checking|testing|asking|telling|reviewing|verifying|consulting|"
    r"notifying|informing|reading|waiting|looking|double-checking|approval|review|sign-off|"
    r"signoff|qa|tests?|permission|authori[sz]ation|ticket|change\s+request|warning|"
    r"coordinat\w+|communicat\w+|thinking)\b",
    _keys("without"),
    also=(
        "checking testing asking telling reviewing verifying consulting notifying "
        "informing reading waiting looking double approval review sign signoff qa test "
        "tests permission authorisation authorization ticket change warning thinking "
        "coordinating coordination communicating communication"
    ),
)
_POSS_SUBJECT = Gated(
    r"(?P<owner>[^\W\d_][\w.-]*)['’]s\s+(?:[\w-]+\s+){1,2}?(?P<verb>[\w-]+ed|broke|took|made|"
    r"brought|blew|went|let|wiped|ran|knocked|tore|threw|sent)\b",
    _keys("s"),
    also=(
        "outage incident down downtime broke broken failed failure crashed deleted lost wiped "
        "expired errors error degraded corrupted leaked overloaded locked dropped flushed "
        "rejected purged wrong bad untested caused lag outages incidents"
    ),
)
_MISTAKE_OWNED = Gated(
    r"\b(?:mistake|error|fault|oversight|slip)\s+on\s+(?:[\w-]+['’]s|his|her|their|my)\s+part\b|"
    r"\b(?:mistake|error|typo|blunder|slip)\s+(?:that\s+)?(?:an?\s+|the\s+)?"
    r"(?P<who>[^\W\d_][\w'’-]*)\s+made\b",
    _keys("mistake error fault oversight slip typo blunder "),
    also="part made",
)
_GERUND = re.compile(r"\s+(?:not\s+)?[^\W\d_]+ing\b")
_FAILURE_CONTEXT = re.compile(
    r"\b(?:outages?|incidents?|down|downtime|broke\w*|fail\w*|crash\w*|deleted|lost|loss|wiped|"
    r"expired|lapsed|errors?|degrad\w*|corrupt\w*|leak\w*|breach\w*|overload\w*|fell\s+over|"
    r"dragged|stuck|unavailable|charged|wrong|bad|untested|caus\w*|locked|dropped|flushed|"
    r"rejected|purged|paying|impact\w*|went\s+wrong|blip|regression|lag\w*|backed\s+up|"
    r"slip|late|unanswered|nobody|problem\w*|issues?)\b",
    _I,
)
_PAST_VERB = re.compile(
    r"\s*(?:\w+ly\s+|also\s+|then\s+|just\s+|had\s+)?(?:[\w-]+ed|ran|took|made|let|did|didn['’]t|"
    r"broke|wrote|went|left|put|set|sent|shut|hit|cut|forgot|gave|threw|tore|kept|brought|"
    r"began|chose|drove|rode|shook|sat|stood|spent|lost|read|was|were|had)\b",
    _I,
)
_HUMAN_ERROR = Gated(
    rf"\b(?:{_alt(LEXICON['human_error'])})\b",
    _keys(LEXICON["human_error"]),
)
# "A mistake by", "an error on the part of": keyed on the rarer second word.
# Also passive ("the mistake was made by the networking team", "an oversight by the release
# manager"); a bare "errors by" is a breakdown ("errors by region"), so errors need "made".
_HUMAN_ERROR_BY = Gated(
    r"\b(?:mistakes?|oversights?|blunders?|typos?|lapses?|missteps?)"
    r"(?:\s+(?:was|were))?(?:\s+(?:made|committed))?\s+(?:by|on\s+the\s+part\s+of)\b|"
    r"\berrors?(?:\s+(?:was|were))?\s+(?:(?:made|committed)\s+by|on\s+the\s+part\s+of)\b",
    _keys(
        "mistake mistakes error errors oversight oversights blunder blunders typo typos "
        "lapse lapses misstep missteps"
    ),
    also="by part",
)
_HE_NEGATED = re.compile(r"\b(?:not|n['’]t|no|rather\s+than|instead\s+of|beyond|never)\s+"
                         r"(?:\w+\s+){0,2}$", _I)  # fmt: skip
_ROOT_CAUSE = re.compile(r"\b(?:root\s+cause|cause[ds]?|due\s+to|because|blame)\b", _I)

_MODAL = Gated(
    r"\b(?P<m>should|could|ought\s+to)(?:n['’]t|\s+not)?"
    r"(?:\s+(?:\w+ly|also|still|at\s+least|just|simply|never|perhaps|maybe|really))?"
    r"(?:\s+have|['’]ve)\b",
    _keys("should could ought"),
    also="have ve",
)
# "Failure to follow the procedure": the omission as a noun, said of people.
_FAILURE_TO = Gated(
    rf"\bfailures?\s+(?:\w+\s+)?to\s+(?:\w+ly\s+)?(?:{_alt(LEXICON['human_actions'])}|use|"
    rf"adequately|properly)\b",
    _keys("failure failures"),
    also="to",
)
_FAILED_TO = Gated(
    r"\b(?:failed|neglected|omitted|refused|failing|neglecting|omitting)\s+to\s+(?P<v>[\w-]+)",
    _keys("failed neglected omitted refused failing neglecting omitting "),
)
_BOTHER = Gated(
    r"\b(?:didn['’]t|did\s+not|never|couldn['’]t|could\s+not|wouldn['’]t)\s+(?:even\s+)?"
    r"bother(?:ed)?\b|\bnot\s+bother(?:ing)?\s+to\b|\b(?:nobody|no\s+one)\s+(?:even\s+)?bothered\b",
    _keys("bother bothered bothering"),
)
_IF_ONLY = Gated(
    r"\bif\s+only\b",
    _keys("only"),
    also="if",
)
_IF_HAD = Gated(
    r"\bif\s+(?P<s>(?:(?!had\b)[\w@'’-]+\s+){1,5})had(?:n['’]t|\s+not)?\s+(?:\w+ly\s+)?(?P<v>[\w-]+)"
    r"(?:\s+(?P<w>[\w-]+))?",
    _keys("had"),
    also="if",
)
_HAD_X = Gated(
    r"(?:^\W*|[,;:]\s*|\bthat\s+)had\s+",
    _keys("had"),
)
_SUPPOSED = Gated(
    r"\b(?:was|were)\s+(?:\w+ly\s+|also\s+)?(?:supposed|meant|expected|required)\s+to\b",
    _keys("supposed meant expected required"),
    also="was were",
)
_INSTEAD = Gated(
    r"\binstead\s+of\s+(?P<v>\w+ing)\b",
    _keys("instead"),
)
_WHY_DIDNT = Gated(
    r"\bwhy\s+(?:didn['’]t|did\s+not|wasn['’]t|weren['’]t)\s+",
    _keys("why"),
)

# --- shapes that generalise: structure and word classes rather than single phrases -------


def _past(verb: str) -> str:
    """Return the regular past form of a base verb ("check" -> "checked")."""
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


_DEEDS = [str(v) for v in LEXICON["negated_deeds"]]
# "The reviewer did not actually run it", "they never asked": an omission by a person.
_NEGATED_DEED = Gated(
    rf"\b(?:did\s+not|didn['’]t|never)\s+(?:(?:\w+ly|even|once|first)\s+)?"
    rf"(?:{_alt(_DEEDS)}|{_alt([_past(v) for v in _DEEDS] + LEXICON['negated_deeds_past'])})"
    rf"\b",
    _keys("not didn never"),
    also=" ".join(
        {w for v in _DEEDS for w in _ALNUM.findall(v)}
        | {w for v in _DEEDS for w in _ALNUM.findall(_past(v))}
        | set(LEXICON["negated_deeds_past"])
    ),
)
# Explanations that make an omission the system's doing ("because of a gap in routing").
_DECLINED = re.compile(r"did\s+not|didn|never", _I)
_SYSTEM_REASON = re.compile(r"\b(?:because\s+of|due\s+to|owing\s+to|given|thanks\s+to)\b", _I)
# "He wasn't fully aware", "the developer was unaware", "without being aware".
_UNAWARE = Gated(
    r"\b(?P<be>was|were)(?:n['’]t|\s+not)\s+(?:\w+ly\s+|even\s+)?aware\b|"
    r"\b(?P<be2>was|were)\s+(?:\w+ly\s+)?unaware\b|"
    r"\bwithout\s+(?:being\s+|having\s+been\s+)?(?:\w+ly\s+)?aware\b",
    _keys("aware unaware"),
)
# "If the review had been done in March, ... would have": a step people did not take.
_IF_HAD_BEEN = Gated(
    r"(?:\bif\s+(?:(?!had\b)[\w@'’-]+\s+){1,6}|(?:^\W*|[,;:]\s*)had\s+(?:[\w@'’-]+\s+){1,5}?)"
    rf"(?:had\s+)?been\s+(?:\w+ly\s+|not\s+)?(?:{_alt(LEXICON['deed_participles'])})\b",
    _keys("been"),
    also="had",
)
_WOULD_HAVE = re.compile(
    r"\b(?:would|could|might)(?:n['’]t|\s+not)?\s+(?:\w+\s+)?(?:have|['’]ve)\b", _I
)
# A risk, not a reproach: the other path would have been worse.
_WORSE = re.compile(
    r"\b(?:worse|more|larger|bigger|longer|higher|greater|lost|wider|broader|even)\b", _I
)
_ARTIFACTS = _words("artifacts")
# "The patch failed to account for ...": a change people made left something out.
_ARTIFACT_FAILED = Gated(
    rf"\b(?:failed|neglected|omitted)\s+to\s+(?:{_alt(LEXICON['consider_verbs'])})\b",
    _keys("failed neglected omitted"),
    also=" ".join(str(v) for v in LEXICON["consider_verbs"]),
)
# "@kim merged the buggy migration": a person as the author of work called faulty.
_FAULTY_WORK = Gated(
    rf"\b(?:{_alt(LEXICON['authoring_verbs'])})\s+(?:(?:a|an|the|this|that|his|her|their|"
    rf"some|two|three|several)\s+)?(?:[\w-]+\s+)?(?:{_alt(LEXICON['faulty'])})\b",
    _keys(LEXICON["faulty"]),
)
# "Inadequately reviewed", "poor planning": a judgement of how people did their work.
_POOR_WORK = Gated(
    rf"\b(?:{_alt(LEXICON['work_adverbs'])})\s+(?:{_alt(LEXICON['work_participles'])})\b|"
    rf"\b(?:{_alt(LEXICON['work_adjectives'])})\s+(?:{_alt(LEXICON['work_nouns'])})\b",
    _keys(LEXICON["work_adverbs"], LEXICON["work_adjectives"]),
)
# "The DBA dropped the wrong index": a wrong thing as the direct object of a person's deed.
# ("ran the command on the wrong host" puts "wrong" in a place, not the deed: a hint only.)
_WRONG_OBJECT = Gated(
    r"\b(?P<v>[\w-]+ed|ran|took|chose|hit|cut|shut|put|set|sent|wrote|tore|threw|broke|pulled|"
    r"picked|unplugged)\s+(?:(?:\w+ly)\s+)?the\s+wrong\s+[\w-]+",
    _keys("wrong"),
    also="the",
)
_REMEDY_VERBS = _words("remedy_verbs")
# "The on-call vanished for an hour": a person's absence as the problem.
_ABSENT = Gated(
    rf"\b(?:{_alt(LEXICON['absence'])})\b",
    _keys("disappeared vanished missing awol nowhere ghosted mia dark silent"),
)
# "Nothing was done for another two hours": inaction over a stretch of time.
_INACTION = Gated(
    r"\b(?:nothing\s+(?:was|were|got)\s+done|no\s+(?:further\s+)?action\s+was\s+taken|"
    r"(?:nobody|no\s+one)\s+(?:did\s+anything|acted|responded|reacted|looked))\s+for\s+"
    r"(?:(?:another|over|more\s+than|almost|nearly|about|around|roughly|a\s+further|the\s+next|"
    r"at\s+least)\s+)?(?:[\w-]+\s+){0,2}?(?:minutes?|hours?|days?|weeks?|mins?|hrs?)\b",
    _keys("nothing action nobody"),
    also="for",
)
# "Why was the impact misjudged?": a question that asks why people judged wrongly.
_WHY_MISJUDGED = Gated(
    r"\bwhy\s+(?:was|were|had|has|have)\s+(?:[\w@'’-]+\s+){1,6}?(?:been\s+)?(?:misjudged|"
    r"ignored|overlooked|disregarded|underestimated|dismissed|neglected|misread|misunderstood|"
    r"brushed\s+aside|waved\s+off)\b",
    _keys("why"),
    also=(
        "misjudged ignored overlooked disregarded underestimated dismissed neglected misread "
        "misunderstood brushed waved"
    ),
)
# "Some of these were obvious": risks called obvious, as a predicate that ends the clause.
_WERE_OBVIOUS = Gated(
    r"\b(?:was|were|are|is|seemed|seem|looked|look)\s+(?:all\s+|so\s+|pretty\s+|quite\s+|"
    r"very\s+|fairly\s+|rather\s+|really\s+)?(?:obvious|foreseeable|predictable)"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|but|yet|in\s+hindsight|in\s+retrospect|now|such\s+as|"
    r"even|enough)\b)",
    _keys("obvious foreseeable predictable"),
)
_RISK_NOUNS = re.compile(
    r"\b(?:these|those|risks?|signs?|signals?|problems|issues|flaws?|gaps?|mistakes|errors|"
    r"warnings?|symptoms|dangers?|consequences|shortcomings|weaknesses|red\s+flags|"
    r"(?:some|many|most|all|several|a\s+few)\s+of\s+(?:these|those|them))\b",
    _I,
)
_DETECTION_TIME = re.compile(
    r"\b(?:by\s+\d|once|after|when|within|as\s+soon\s+as|immediately|quickly|soon)\b|\d:\d", _I
)
# "Make sure engineers double-check the region": an action item that asks people to try harder.
_VIGILANCE = Gated(
    r"(?:^|^[\w\s-]{1,20}:\s*)\W*(?:make\s+sure|ensure|remind|require|tell|ask)\s+(?:that\s+)?(?:the\s+|all\s+|our\s+|"
    r"every\s+|each\s+)?(?P<who>(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:to\s+)?(?:always\s+|carefully\s+|"
    rf"properly\s+|manually\s+)?(?:{_alt(LEXICON['vigilance_verbs'])}|"
    r"(?P<pre>reads?|reviews?|looks?\s+at))\b",
    _keys("sure ensure remind require tell ask"),
)
_BEFORE_STEP = re.compile(
    r"[^.;]{0,60}?\bbefore\s+(?:\w+ing|(?:the|a|an|his|her|their|each|every|any)\s+(?:next\s+)?"
    r"(?:on-call|oncall|shift|deploy\w*|release|rollout|change|merge|rotation|migration)\b)",
    _I,
)
_JUDGEMENT_VERBS = _words("judgement_verbs")

_JUDGEMENT = Gated(
    rf"\b(?:{_alt(LEXICON['judgemental'])})\b",
    _keys(LEXICON["judgemental"]),
)
_JUDGEMENT_EXCEPTIONS = Gated(
    rf"\b(?:{_alt(LEXICON['judgemental_exceptions'])})\b",
    _keys(LEXICON["judgemental_exceptions"]),
)

_EASY_VERBS = _alt(LEXICON["easy_verbs"])
_JUST_HAD_TO = Gated(
    r"\b(?:just|simply|merely|only)\s+(?:had|needed|has|have|need)\s+to\b",
    _keys("just simply merely only"),
    also="had needed has have need",
)
_ALL_HAD_TO = Gated(
    r"\ball\s+(?:[\w'’-]+\s+){1,3}?(?:had|needed|has|have|need|would\s+have\s+had)\s+to\s+do\s+"
    r"(?:was|is|would\s+have\s+been)\b",
    _keys("all"),
    also="do",
)
_JUST_DO = Gated(
    rf"(?:^|\b(?:could|can|should|would|might|you|they|he|she|someone|anyone|please|must|"
    rf"only\s+had\s+to|only\s+needed\s+to|have\s+to|had\s+to)\s+)(?:just|simply|merely)\s+"
    rf"(?:{_EASY_VERBS})\b",
    _keys("just simply merely"),
)
_OBVIOUSLY = Gated(
    r"\b(?:obviously|clearly|evidently|plainly)\b",
    _keys("obviously clearly evidently plainly"),
)
_OBVIOUSLY_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:didn['’]t|did\s+not|wasn['’]t|was\s+not|weren['’]t|were\s+not|"
    r"never|forgot|ignored|missed|failed|wrong|should|shouldn['’]t|no\s+one|nobody|"
    r"overlooked|hadn['’]t|had\s+not|couldn['’]t|neglected)\b",
    _I,
)

_HINDSIGHT_PHRASE = Gated(
    r"\b(?:in|with)\s+(?:the\s+benefit\s+of\s+)?(?:hindsight|retrospect)\b|\blooking\s+back\b|"
    r"\bin\s+the\s+cold\s+light\s+of\s+day\b|\bknowing\s+what\s+we\s+know\s+now\b|"
    r"\bhindsight\s+is\s+20/20\b|\bhindsight\s+is\s+twenty-twenty\b",
    _keys("hindsight retrospect cold knowing looking"),
    also="hindsight retrospect back cold knowing",
)
_HINDSIGHT_CUE = re.compile(rf"\b(?:{_alt(LEXICON['hindsight_cues'])})\b", _I)
_HINDSIGHT = Gated(
    r"\b(?:the\s+)?(?:early\s+)?(?:warning\s+)?signs\s+(?:were|was)\s+(?:all\s+)?(?:\w+ly\s+)?"
    r"(?:clear|obvious|there|everywhere|plain|evident|apparent|unmistakable)\b|"
    r"\bred\s+flags\s+(?:were|was)\s+(?:all\s+)?(?:there|clear|obvious|everywhere|ignored|missed)\b|"
    r"\bwriting\s+(?:was\s+)?on\s+the\s+wall\b|\bsaw\s+(?:this|it)\s+coming\b|"
    r"\bseen\s+(?:this|it)\s+coming\b|"
    r"\b(?:anyone|anybody|everyone|any\s+(?:\w+\s+)?(?:engineer|person|one|operator|developer|"
    r"sre|reviewer))\s+(?:would|could|should)\s+have\s+(?:\w+\s+)?(?:seen|noticed|known|caught|"
    r"spotted|realised|realized|recognised|recognized|predicted|expected|understood|figured|"
    r"guessed|foreseen)\b|"
    r"\b(?:should|would|must)\s+have\s+been\s+(?:\w+ly\s+)?(?:obvious|clear|evident|apparent|"
    r"plain|foreseeable|predictable)\b|"
    r"\b(?:easily|entirely|completely|totally|clearly|perfectly|eminently|wholly)\s+"
    r"(?:avoidable|preventable|foreseeable|predictable)\b|"
    r"\b(?:was|were)\s+(?:\w+\s+)?(?:avoidable|preventable|foreseeable)\b|"
    r"\b(?:was|were|seemed|is)\s+(?:so\s+)?(?:\w+ly\s+)?(?:obvious|trivial|easy|simple)\s+to\s+"
    r"(?:avoid|prevent|catch|notice|see|spot|predict|foresee)\b|"
    r"\bit\s+(?:was|is|seems|seemed)\s+(?:\w+ly\s+)?(?:obvious|clear|evident|apparent)\s+now\b|"
    r"\b(?:obvious|clear|evident)\s+(?:in\s+hindsight|in\s+retrospect|now|after\s+the\s+fact)\b|"
    r"\b(?:only|just)\s+a\s+matter\s+of\s+time\b|\bplain\s+as\s+day\b|"
    r"\b(?:everyone|everybody|anyone|anybody|we\s+all|all\s+of\s+us)\s+(?:could|should|"
    r"would|could\s+have|should\s+have|would\s+have)\s+(?:\w+\s+)?(?:see|seen|tell|told|known|"
    r"know)\b|\b(?:we|they|everyone|everybody)\s+all\s+knew\b|\beveryone\s+knew\b|"
    r"\b(?:yet|but|still)\s+(?:no\s+one|nobody)\s+(?:\w+ly\s+)?(?:acted|noticed|did\s+anything|"
    r"responded|looked|reacted|intervened|said\s+anything|checked|questioned)\b|"
    r"\bhindsight\s+makes?\b|\bstaring\s+(?:us|them|him|her|everyone)\s+in\s+the\s+face\b",
    _keys(
        "signs flags wall coming anyone anybody everyone everybody avoidable preventable "
        "foreseeable predictable obvious trivial easy simple clear evident apparent plain "
        "matter day knew nobody hindsight staring"
    ),
)
# The same, for the alternatives whose only distinctive word is common ("any", "no one").
_HINDSIGHT_ANY = Gated(
    r"\bany\s+(?:[\w-]+\s+){1,2}?(?:would|could|should)\s+(?:have\s+)?(?:\w+\s+)?(?:seen|"
    r"noticed|known|caught|spotted|realised|realized|recognised|recognized|predicted|expected|"
    r"understood|figured|guessed|foreseen|know|see|notice|catch|spot|realise|realize|"
    r"recognise|recognize|predict|expect|understand)\b|"
    r"\b(?:we\s+all|all\s+of\s+us)\s+(?:could|should|would)\s+(?:have\s+)?(?:\w+\s+)?(?:see|"
    r"seen|tell|told|known|know)\b|"
    r"\b(?:yet|but|still)\s+no\s+one\s+(?:\w+ly\s+)?(?:acted|noticed|did\s+anything|responded|"
    r"looked|reacted|intervened|said\s+anything|checked|questioned)\b",
    _keys("any all one"),
    also="would could should acted noticed did responded looked reacted intervened said checked",
)
_IT_WAS_CLEAR = Gated(
    r"\bit\s+(?:was|is|seems|seemed|should\s+have\s+been)\s+(?:\w+ly\s+)?(?:obvious|clear|"
    r"evident|apparent)\s+that\b",
    _keys("obvious clear evident apparent"),
)
_BLAMEY = re.compile(
    r"\b(?:should|could|ought|anyone|anybody|mistake|ignored|missed|forgot|overlooked|"
    r"neglected|careless|failed\s+to\s+(?:notice|see|check|read))\b",
    _I,
)

_META = Gated(
    rf"\b(?:{_alt(LEXICON['meta_cues'])})(?!\w)|" + "|".join(LEXICON["meta_patterns"]),
    _keys(LEXICON["meta_cues"], "avoid only done about"),
)

_ACTION = Gated(
    r"\b(?:ran|pushed|deployed|merged|deleted|dropped|changed|executed|applied|typed|edited|"
    r"modified|removed|updated|shipped|rolled\s+out|restarted|rebooted|committed|truncated|"
    r"disabled|enabled|killed|reverted|migrated|approved|started|stopped|terminated|scaled|"
    r"rotated|renamed|moved|flipped|toggled|entered|issued|launched|triggered|accidentally|"
    r"inadvertently|unintentionally)\b",
    _keys(
        "ran pushed deployed merged deleted dropped changed executed applied typed edited "
        "modified removed updated shipped rolled restarted rebooted committed truncated "
        "disabled enabled killed reverted migrated approved started stopped terminated scaled "
        "rotated renamed moved flipped toggled entered issued launched triggered accidentally "
        "inadvertently unintentionally "
    ),
)
_CONSEQUENCE = re.compile(
    r"\b(?:caus\w*|trigger\w*|result\w*|led\s+to|lead\s+to|outage|broke\w*|fail\w*|errors?|"
    r"wrong|incorrect|bad|down|unintended|accident\w*|inadvertent\w*|instead|mistaken\w*)\b",
    _I,
)

# Read on the lower-cased sentence (IGNORECASE kept when the twin cannot be made).
_CONSEQUENCE_FOLDED = folded(_CONSEQUENCE) or _CONSEQUENCE

_QUOTED = re.compile(r"“[^”]{0,200}”|\"[^\"\n]{0,200}\"|‘[^’]{0,120}’|(?<!\w)'[^'\n]{1,120}'(?!\w)")

# Every key word of every pattern: a sentence with none of them is skipped at once.
_ALL_GATES = tuple(g for g in list(globals().values()) if isinstance(g, Gated))
_NOT_TRIGGERS = frozenset({_META, _ACTION, _JUDGEMENT_EXCEPTIONS})
# Gates that report nothing by themselves: the guide-text check (read before) and the
# exceptions to judgemental words.
_INERT = frozenset({_META, _JUDGEMENT_EXCEPTIONS})
_BY_KEY: dict[str, list[Gated]] = {}
for _gate in _ALL_GATES:
    for _word in _gate.keys:
        _BY_KEY.setdefault(_word, []).append(_gate)
_ALL_KEYS = frozenset(_BY_KEY)
# Per key word: the gates it opens at once, and those that also need an `also` word.
_OPENS: dict[str, tuple[Gated, ...]] = {
    k: tuple(g for g in gates if not g.also) for k, gates in _BY_KEY.items()
}
_OPENS_ALSO: dict[str, tuple[Gated, ...]] = {
    k: tuple(g for g in gates if g.also) for k, gates in _BY_KEY.items()
}
_NONE: frozenset[Gated] = frozenset()


# Per set of key words found: the gates they open at once, and those that also need an
# `also` word. A pure function of the lexicon, kept for the process (bounded in size).
_OPENED: dict[frozenset[str], tuple[frozenset[Gated], tuple[Gated, ...]]] = {}
_OPENED_MAX = 4096


def _ready(words: frozenset[str]) -> frozenset[Gated]:
    """Return the patterns that could match a text with these words."""
    return _ready_keys(_ALL_KEYS.intersection(words), words)


def _ready_keys(hits: frozenset[str], words: frozenset[str]) -> frozenset[Gated]:
    """Return the patterns that could match a text with these words, given its key words."""
    if not hits:
        return _NONE
    entry = _OPENED.get(hits)
    if entry is None:
        opened = frozenset(g for k in hits for g in _OPENS[k])
        entry = (opened, tuple({g: None for k in hits for g in _OPENS_ALSO[k]}))
        if len(_OPENED) < _OPENED_MAX:
            _OPENED[hits] = entry
    opened, also = entry
    if not also:
        return opened
    more = [g for g in also if not g.also.isdisjoint(words)]
    return opened.union(more) if more else opened


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
            or base.startswith("@")
            or low in self.names
            or (capital and (low in FIRST_NAMES or low in ORG_UNITS))
            or (
                capitalised_name
                and capital
                and base[1:].replace("-", "").islower()
                and low not in NOT_NAMES
                and low not in IMPERATIVES
                and low not in _DETERMINERS
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


def _clause_tokens(text: str, end: int) -> tuple[list[re.Match[str]], str | None, int]:
    """Return the tokens from the clause start to `end`, the boundary word, its start."""
    window_start = max(0, end - 120)
    left = text[window_start:end]
    last = None
    for last in _BOUNDARY.finditer(left):  # noqa: B007 - we want the last boundary
        pass
    begin = window_start + (last.end() if last else 0)
    tokens = list(_TOKEN.finditer(text, begin, end))
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
    tokens, boundary, boundary_at = _clause_tokens(text, end)
    while tokens and (
        tokens[-1].group(0).lower() in _SKIP or tokens[-1].group(0).lower().endswith("ly")
    ):
        tokens.pop()
    if not tokens:
        if boundary in _COORDINATORS and boundary_at > 0:
            # "Bob logged in and forgot": the subject of the first clause carries over.
            prior, _b, _at = _clause_tokens(text, boundary_at)
            for tok in prior[:3]:
                word = tok.group(0)
                if word.lower() in _DETERMINERS:
                    continue
                kind = people.kind(word)
                if kind:
                    return Subject(kind, tok.start())
                break
            return Subject("thing", boundary_at)
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
    # "The developer creating the pull request misjudged": a person heads the clause.
    content = [t for t in tokens if t.group(0).lower() not in _DETERMINERS]
    if len(content) >= 2 and people.kind(content[0].group(0)) in ("person", "team"):
        follower = content[1].group(0).lower()
        if follower.endswith("ing") or follower in (
            "who",
            "that",
            "on",
            "from",
            "in",
            "with",
            "at",
        ):
            return Subject(people.kind(content[0].group(0)) or "person", content[0].start())
    # "The person who wrote the job should have": the head stands before "who".
    if boundary in ("who", "that") and boundary_at > 0:
        prior = list(_TOKEN.finditer(text, max(0, boundary_at - 40), boundary_at))
        if prior:
            kind = people.kind(prior[-1].group(0))
            if kind in ("person", "team"):
                return Subject(kind, prior[-1].start())
    return Subject("thing", head.start())


def _np_after(
    text: str, start: int, people: People, *, names: bool = True
) -> tuple[str | None, int]:
    """Classify the noun phrase that starts at `start` ("the new hire", "Bob's change")."""
    for tok in _TOKEN.finditer(text, start, min(len(text), start + 80)):
        word = tok.group(0)
        low = word.lower()
        if low in _NEGATIONS:
            return None, tok.end()
        kind = people.kind(word, capitalised_name=names)
        if kind:
            return (None if _modifies_a_thing(text, tok.end()) else kind), tok.end()
        if low in _DETERMINERS or low in ("on-call", "oncall", "on", "call", "same"):
            continue
        if low.endswith("ly"):
            continue
        # An adjective before a role ("the junior engineer"): look one word further.
        nxt = _TOKEN.match(text, tok.end() + 1) if tok.end() + 1 < len(text) else None
        nxt_kind = people.kind(nxt.group(0)) if nxt else None
        if nxt and nxt_kind in ("person", "possessive") and not _modifies_a_thing(text, nxt.end()):
            return nxt_kind, nxt.end()
        return None, tok.end()
    return None, start


_NEGATIONS = frozenset(["not", "no", "never", "neither", "nor"])
_THING_AFTER_PERSON = re.compile(
    r"\s+(?:errors?|mistakes?|factors?|resources|readable|nature|error-prone|in\s+the\s+loop)\b",
    _I,
)


def _modifies_a_thing(text: str, end: int) -> bool:
    """Tell whether a person word is a modifier ("human error", "user-facing")."""
    return bool(_THING_AFTER_PERSON.match(text, end)) or text[end : end + 1] == "-"


# --- sentences ---------------------------------------------------------------------------


def _mask_quotes(text: str) -> str:
    if not any(q in text for q in "\"“‘'"):
        return text
    return _QUOTED.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def _next_words(text: str, start: int, count: int) -> list[str]:
    return [w.lower() for w in _TOKEN.findall(text, start, min(len(text), start + 60))[:count]]


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in PARTICIPLES


@dataclass(slots=True)
class _Found:
    rule: str
    start: int
    end: int
    kind: str
    level: Level | None = None


@dataclass
class _Analysis:
    hits: dict[str, list[Hit]] = field(default_factory=dict)


def _people(ctx: LintContext) -> People:
    names: set[str] = set()
    for raw in [*ctx.postmortem.people(), *ctx.config.roster]:
        for part in re.split(r"[\s,]+", str(raw)):
            part = part.strip("@<>()").lower()
            if len(part) >= 2 and part.isalpha() is not False and part not in _DETERMINERS:
                names.add(part)
                names.add(part.split(".")[0])
    return People(frozenset(names))


@lru_cache(maxsize=32)
def _extra_judgement(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile(rf"\b(?:{_alt(words)})\b", _I) if words else None


def _find(
    text: str,
    section: SectionKind | None,
    people: People,
    extra: re.Pattern[str] | None,
    ready: frozenset[Gated],
    text_words: frozenset[str],
    low: str | None = None,
) -> list[_Found]:
    """Return every finding in one (quote-masked) sentence; `low` is it lower-cased if ASCII."""
    found: list[_Found] = []
    forward = section in (SectionKind.ACTION_ITEMS,)

    # Human error and its kin.
    for m in (
        *(_HUMAN_ERROR.pattern.finditer(text) if _HUMAN_ERROR in ready else ()),
        *(_HUMAN_ERROR_BY.pattern.finditer(text) if _HUMAN_ERROR_BY in ready else ()),
    ):
        if _HE_NEGATED.search(text, max(0, m.start() - 30), m.start()):
            continue
        as_cause = bool(_ROOT_CAUSE.search(text))
        found.append(_Found("BLM201", m.start(), m.end(), "human_error",
                            Level.ERROR if as_cause else None))  # fmt: skip

    # Judgemental words.
    judgements: list[Any] = [p for p in (_JUDGEMENT if _JUDGEMENT in ready else None, extra) if p]
    exceptions = (
        [(e.start(), e.end()) for e in _JUDGEMENT_EXCEPTIONS.pattern.finditer(text)]
        if _JUDGEMENT_EXCEPTIONS in ready and (judgements or _POOR_WORK in ready)
        else []
    )
    for pattern in judgements:
        for m in pattern.finditer(text, low) if pattern is _JUDGEMENT else pattern.finditer(text):
            if any(a <= m.start() < b for a, b in exceptions):
                continue
            if m.group(0).lower() in OUTCOME_JUDGEMENTS and (
                not _about_someone(text, m, people) or _is_imperative(text)
            ):
                # "Losing data is unacceptable" judges the outcome, not a person; "remind
                # them that hindsight makes it feel embarrassing" is guide text.
                continue
            found.append(_Found("BLM401", m.start(), m.end(), "judgemental"))

    for m in _POOR_WORK.pattern.finditer(text) if _POOR_WORK in ready else ():
        if not any(a <= m.start() < b for a, b in exceptions):
            found.append(_Found("BLM401", m.start(), m.end(), "work"))
    for m in _VIGILANCE.pattern.finditer(text) if _VIGILANCE in ready else ():
        who = m.group("who").split()[-1]
        if m.group("pre") and not _BEFORE_STEP.match(text, m.end()):
            continue  # "ensure everyone reads the review" shares it; "... before deploying" guards
        if people.kind(who, capitalised_name=True) == "person" and who.lower() != "you":
            found.append(_Found("BLM401", m.start(), m.end(), "vigilance"))

    for m in _REASON.pattern.finditer(text) if _REASON in ready else ():
        if any(people.kind(t.group(0)) in ("person", "team") for t in _TOKEN.finditer(text)):
            found.append(_Found("BLM401", m.start(), m.end(), "judgemental"))

    # Hindsight.
    for m in (
        *(_HINDSIGHT.pattern.finditer(text) if _HINDSIGHT in ready else ()),
        *(_HINDSIGHT_ANY.pattern.finditer(text) if _HINDSIGHT_ANY in ready else ()),
    ):
        found.append(_Found("BLM501", m.start(), m.end(), "hindsight"))
    for m in _HINDSIGHT_PHRASE.pattern.finditer(text) if _HINDSIGHT_PHRASE in ready else ():
        if _HINDSIGHT_CUE.search(text, m.end()) or _HINDSIGHT_CUE.search(text, 0, m.start()):
            found.append(_Found("BLM501", m.start(), m.end(), "hindsight"))
    for m in _WHY_MISJUDGED.pattern.finditer(text) if _WHY_MISJUDGED in ready else ():
        if not _thing_agent(text, m.end(), people):
            found.append(_Found("BLM501", m.start(), m.end(), "hindsight"))
    for m in _WERE_OBVIOUS.pattern.finditer(text) if _WERE_OBVIOUS in ready else ():
        tokens, _b, at = _clause_tokens(text, m.start())
        subject = text[tokens[0].start() if tokens else at : m.start()]
        if _RISK_NOUNS.search(subject) and not _DETECTION_TIME.search(text):
            found.append(_Found("BLM501", m.start(), m.end(), "hindsight"))
    for m in _IT_WAS_CLEAR.pattern.finditer(text) if _IT_WAS_CLEAR in ready else ():
        if _BLAMEY.search(text, m.end()):
            found.append(_Found("BLM501", m.start(), m.end(), "hindsight"))

    person, counter, minimise = (
        not ready.isdisjoint(_PERSON_GATES),
        not ready.isdisjoint(_COUNTER_GATES),
        not ready.isdisjoint(_MINIMISE_GATES),
    )
    if not (person or counter or minimise or found):
        return found
    if forward or _is_imperative(text):
        return [f for f in found if f.rule != "BLM501"]
    if person:
        _person_as_cause(text, people, found, ready, text_words)
    if counter:
        _counterfactual(text, people, found, ready, text_words)
    if minimise:
        _minimising(text, people, found, ready)
    return found


def _is_imperative(text: str) -> bool:
    """Tell whether a sentence gives an instruction (guide text, a recommendation)."""
    head = _TOKEN.search(text, 0, 120)  # only the first word or two are read
    if not head:
        return False
    first = head.group(0).lower()
    if first in IMPERATIVES:
        second = _TOKEN.search(text, head.end(), 120)
        if not (second and second.group(0).lower() in ("was", "were", "is")):
            return True
    comma = text.find(",", 0, 120)
    if first in ("when", "if", "before", "after", "while", "once", "during", "to", "for", "in",
                 "where", "whenever") and comma > 0:  # fmt: skip
        after = _TOKEN.search(text, comma, comma + 40)
        return bool(after) and after.group(0).lower() in IMPERATIVES  # type: ignore[union-attr]
    return False


def _person_as_cause(
    text: str,
    people: People,
    found: list[_Found],
    ready: frozenset[Gated],
    text_words: frozenset[str],
) -> None:
    for pattern, omission in ((_CAUSE, False), (_OMIT, True)):
        for m in (
            pattern.pattern.finditer(text) if pattern.ready(text_words) and pattern in ready else ()
        ):
            verb = m.group(0).lower()
            nxt = _next_words(text, m.end(), 4)
            if verb == "neglected" and nxt[:1] == ["to"]:
                continue  # a counterfactual ("neglected to"), reported there
            if verb == "missed" and any(w in MISSED_TARGETS for w in nxt):
                continue
            before = text[max(0, m.start() - 12) : m.start()].lower()
            passive = re.search(r"\b(?:was|were|been|being|is|are|get|got)\s+$", before)
            if passive:
                if verb in ("ignored", "overlooked", "disregarded", "neglected", "misjudged",
                            "misread", "misunderstood"):  # fmt: skip
                    if nxt[:1] == ["by"]:
                        kind, _e = _np_after(text, m.end() + 4, people)
                        if not kind:
                            continue
                    found.append(_Found("BLM101", m.start(), m.end(), "ignored_passive"))
                continue
            person_only = verb not in ("crashed", "blew up", "blown up")
            subj = subject_of(
                text, m.start(), people, person_only_verb=person_only, negative_is_none=not omission
            )
            if (
                omission
                and _DECLINED.match(verb)
                and _EXPLAINED.search(text, m.end())
                and not _SYSTEM_REASON.search(text, m.end())
            ):
                continue  # "did not check the dashboard because the pipeline reported success"
            if subj.kind in ("person", "possessive") or (subj.kind == "team" and omission):
                found.append(
                    _Found("BLM101", subj.start, m.end(), "omission" if omission else "cause")
                )
    for m in _POSSESSIVE_FAULT.pattern.finditer(text) if _POSSESSIVE_FAULT in ready else ():
        if re.search(
            r"\b(?:not|n['’]t|no|never)\s+(?:\w+\s+)?$", text[max(0, m.start() - 20) : m.start()]
        ):
            continue
        owner = m.group("owner")
        if owner is None or people.kind(owner + "'s", capitalised_name=True) == "possessive":
            found.append(_Found("BLM101", m.start(), m.end(), "possessive"))
    for m in _AGENT.pattern.finditer(text) if _AGENT in ready else ():
        kind, end = _np_after(text, m.end(), people)
        if kind in ("person", "possessive"):
            found.append(_Found("BLM101", m.start(), end, "agent"))
    for m in _BLAME_WITH.pattern.finditer(text) if _BLAME_WITH in ready else ():
        kind, end = _np_after(text, m.end(), people)
        if kind in ("person", "possessive", "team"):
            found.append(_Found("BLM101", m.start(), end, "agent"))
    failure = None
    for m in _CAUSAL.pattern.finditer(text) if _CAUSAL in ready else ():
        kind, end = _np_after(text, m.end(), people, names=True)
        if kind not in ("person", "possessive"):
            continue
        if failure is None:
            failure = bool(_FAILURE_CONTEXT.search(text))
        if (
            kind == "possessive"
            or (failure and _PAST_VERB.match(text, end))
            or _GERUND.match(text, end)
            or (
                not _TOKEN.match(text, end + 1)
                or text[end : end + 2].strip()[:1] in (".", ",", ";", "")
            )
        ):
            found.append(_Found("BLM101", m.start(), end, "agent"))
    for m in _CLEFT.pattern.finditer(text) if _CLEFT in ready else ():
        kind, end = _np_after(text, m.end(), people, names=True)
        if (
            kind in ("person", "team")
            and re.match(r"(?:\s+[\w-]+){0,2}\s*,?\s*(?:who|that)\b", text[end:])
            and _FAILURE_CONTEXT.search(text, end)
        ):
            found.append(_Found("BLM101", m.start(), end, "agent"))
    for m in _WHO_DID.pattern.finditer(text) if _WHO_DID in ready else ():
        found.append(_Found("BLM101", m.start(), m.end(), "agent"))
    for m in _ERROR_ADVERB.pattern.finditer(text) if _ERROR_ADVERB in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        # "We by mistake passed the wrong flag" owns a slip; "we wrongly assessed it as
        # low-impact" judges a decision with hindsight.
        judged = bool(set(_next_words(text, m.end(), 2)) & _JUDGEMENT_VERBS)
        kinds = (
            ("person", "possessive")
            if m.group("accident") or not judged
            else ("person", "possessive", "team")
        )
        if _elided_actor(text, m):
            found.append(_Found("BLM101", m.start(), m.end(), "cause"))
            continue
        if subj.kind == "team" and _EXPLAINED.search(text, m.end()):
            continue  # "we mistakenly assumed it was in sync, because the metric read zero"
        if subj.kind in ("none", "thing"):
            # "Two engineers deleted the cluster by accident": the adverb ends the clause, so
            # its subject is the first noun phrase of the clause (or of the sentence).
            tokens, _b, _at = _clause_tokens(text, m.start())
            scope = tokens if subj.kind == "thing" else list(_TOKEN.finditer(text, 0, m.start()))
            for tok in scope[:4] if subj.kind == "thing" else scope:
                if people.kind(tok.group(0), capitalised_name=True) in kinds:
                    subj = Subject(
                        people.kind(tok.group(0), capitalised_name=True) or "", tok.start()
                    )
                    break
        if subj.kind in kinds and not (m.group("accident") and _EXPLAINED.search(text)):
            found.append(_Found("BLM101", min(subj.start, m.start()), m.end(), "cause"))
    for m in _WHY_PERSON.pattern.finditer(text) if _WHY_PERSON in ready else ():
        kind, end = _np_after(text, m.end(), people)
        if kind in ("person", "team") and _WHY_VERB.match(text, end):
            found.append(_Found("BLM101", m.start(), _WHY_VERB.match(text, end).end(), "omission"))  # type: ignore[union-attr]
    for m in _PASSIVE_OMISSION.pattern.finditer(text) if _PASSIVE_OMISSION in ready else ():
        if not _EXPLAINED.search(text, m.end()):
            found.append(_Found("BLM101", m.start(), m.end(), "omission"))
    for m in _LET.pattern.finditer(text) if _LET in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        if subj.kind in ("person", "possessive", "team"):
            found.append(_Found("BLM101", subj.start, m.end(), "omission"))
    for m in _WITHOUT.pattern.finditer(text) if _WITHOUT in ready else ():
        for tok in _TOKEN.finditer(text, 0, m.start()):
            kind = people.kind(tok.group(0), capitalised_name=True)
            if kind in ("person", "possessive") and _PAST_VERB.match(text, tok.end(), m.start()):
                found.append(_Found("BLM101", tok.start(), m.end(), "omission"))
                break
    for m in _POSS_SUBJECT.pattern.finditer(text) if _POSS_SUBJECT in ready else ():
        owner = m.group("owner") + "'s"
        if people.kind(owner, capitalised_name=True) == "possessive" and _FAILURE_CONTEXT.search(
            text
        ):
            found.append(_Found("BLM101", m.start(), m.end(), "possessive"))
    for m in _MISTAKE_OWNED.pattern.finditer(text) if _MISTAKE_OWNED in ready else ():
        who = m.group("who")
        if who is None or people.kind(who, capitalised_name=True) in ("person", "team"):
            found.append(_Found("BLM201", m.start(), m.end(), "human_error"))
    for m in _CAUSAL_IS.pattern.finditer(text) if _CAUSAL_IS in ready else ():
        kind, end = _np_after(text, m.end(), people, names=True)
        root = m.group(0).lower().startswith("root")
        if kind in ("person", "team") and (root or _FAILURE_CONTEXT.search(text)):
            found.append(_Found("BLM101", m.start(), end, "agent"))
    for m in _IS_REASON.pattern.finditer(text) if _IS_REASON in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        if subj.kind in ("person", "possessive"):
            found.append(_Found("BLM101", subj.start, m.end(), "agent"))
    for m in _CAUSE_SPLIT.pattern.finditer(text) if _CAUSE_SPLIT in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        if subj.kind in ("person", "possessive"):
            found.append(_Found("BLM101", subj.start, m.end(), "cause"))
    for m in _CONSEQUENCE_LINK.pattern.finditer(text) if _CONSEQUENCE_LINK in ready else ():
        actor = _first_actor(text, m.start(), people)
        if actor is not None:
            found.append(_Found("BLM101", actor, m.end(), "agent"))
    for m in (
        *(_PUNITIVE.pattern.finditer(text) if _PUNITIVE in ready else ()),
        *(_FIRED.pattern.finditer(text) if _FIRED in ready else ()),
    ):
        found.append(_Found("BLM101", m.start(), m.end(), "punitive"))
    for m in _RESPONSIBLE.pattern.finditer(text) if _RESPONSIBLE in ready else ():
        subj = subject_of(text, m.start(), people)
        if subj.kind in ("person", "possessive"):
            found.append(_Found("BLM101", subj.start, m.end(), "responsible"))
    for m in _NEGATED_DEED.pattern.finditer(text) if _NEGATED_DEED in ready else ():
        subj = _actor(text, m.start(), people)
        if subj.kind not in ("person", "possessive", "team") or _EXPLAINED.search(text, m.end()):
            continue
        if subj.kind == "team" and _SYSTEM_REASON.search(text, 0, m.start()):
            continue  # "because of a gap in routing, we did not learn of it until 09:10"
        found.append(_Found("BLM101", subj.start, m.end(), "omission"))
    for m in _UNAWARE.pattern.finditer(text) if _UNAWARE in ready else ():
        if _EXPLAINED.search(text, m.end()):
            continue  # what the person could see is given: that is the blameless account
        if m.group("be") or m.group("be2"):
            subj = _actor(text, m.start(), people)
            head = text[subj.start : m.start()].split()
            if subj.kind not in ("person", "possessive") or head[-1:] in (["team"], ["teams"]):
                continue  # "the team was not aware" is the writing team's account, as "we"
            found.append(_Found("BLM101", subj.start, m.end(), "awareness"))
        else:
            found.append(_Found("BLM101", m.start(), m.end(), "awareness"))
    for m in _FAULTY_WORK.pattern.finditer(text) if _FAULTY_WORK in ready else ():
        subj = _actor(text, m.start(), people)
        if subj.kind in ("person", "possessive"):
            found.append(_Found("BLM101", subj.start, m.end(), "cause"))
    for m in _WRONG_OBJECT.pattern.finditer(text) if _WRONG_OBJECT in ready else ():
        if m.group("v").lower() in _REMEDY_VERBS:
            continue  # "Alice noticed the wrong value and fixed it": finding it, not doing it
        subj = _actor(text, m.start(), people)
        if subj.kind in ("person", "possessive") and not _EXPLAINED.search(text, m.end()):
            found.append(_Found("BLM101", subj.start, m.end(), "cause"))
    for m in _ABSENT.pattern.finditer(text) if _ABSENT in ready else ():
        subj = _actor(text, m.start(), people)
        if subj.kind in ("person", "possessive"):
            found.append(_Found("BLM101", subj.start, m.end(), "absent"))
    for m in _INACTION.pattern.finditer(text) if _INACTION in ready else ():
        if not _EXPLAINED.search(text, m.end()):
            found.append(_Found("BLM101", m.start(), m.end(), "omission"))


def _actor(text: str, end: int, people: People) -> Subject:
    """Find the subject of a person-only verb; a lower-case first name counts (chat logs)."""
    subj = subject_of(text, end, people, person_only_verb=True)
    if subj.kind == "thing":
        tokens, _b, _at = _clause_tokens(text, end)
        if len(tokens) == 1 and tokens[0].group(0) in FIRST_NAMES:
            return Subject("person", tokens[0].start())
    return subj


_ELIDED_VERB = re.compile(
    r"\s+(?:[\w-]+ed|ran|took|made|wrote|put|set|sent|shut|cut|hit|threw|tore|left)\s+"
    r"(?:a|an|the|all|every|both|some|his|her|their|our|its|this|that|these|those|\d+)\b",
    _I,
)


# What may stand before a clause whose subject is left out: the sentence start, "and",
# "then", and a leading "while debugging the queue," (a log or chat shorthand).
_SUBORDINATE = r"(?:while|whilst|when|after|before)\s+[\w-]+ing\b[^,;.]{0,40}?,?\s*"
_ELIDED_BEFORE = re.compile(
    rf"(?:(?:^|[.;:]\s*|\bthen\s+)(?:{_SUBORDINATE})?|\band\s+{_SUBORDINATE})(?:then\s+)?\W*$",
    _I,
)


def _elided_actor(text: str, m: re.Match[str]) -> bool:
    """Tell whether an error adverb opens a clause with no subject before a deed.

    "While troubleshooting, accidentally pushed a change": the actor is a person left
    unsaid; a passive ("were accidentally deleted") or a system has a subject before the
    adverb and is not matched here.
    """
    return (
        bool(m.group("accident") or m.group(0).lower() == "mistakenly")
        and bool(_ELIDED_VERB.match(text, m.end()))
        and bool(_ELIDED_BEFORE.search(text, 0, m.start()))
    )


def _counterfactual(
    text: str,
    people: People,
    found: list[_Found],
    ready: frozenset[Gated],
    text_words: frozenset[str],
) -> None:
    for m in _MODAL.pattern.finditer(text) if _MODAL in ready else ():
        modal = m.group("m").lower().split()[0]
        nxt = _next_words(text, m.end(), 3)
        if text[m.end() : m.end() + 2].strip()[:1] == "?":
            continue  # "(I think we should have?)": a hedge, not a verdict
        if not nxt or text[m.end() : m.end() + 2].strip()[:1] in (".", ",", ";", "!"):
            subj = subject_of(text, m.start(), people, person_only_verb=True)
            if subj.kind in ("person", "team", "possessive"):  # "... they should have."
                found.append(_Found("BLM301", subj.start, m.end(), "modal"))
            continue
        verb = nxt[0]
        if modal == "could" and _RISK.match(text, m.end()):
            continue  # a risk ("could have noticed it much later") or a weighed alternative
        if verb == "known" or not _is_participle(verb):
            continue  # "should have known" is judgemental; "should have an alert" looks ahead
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        human = subj.kind in ("person", "team", "possessive")
        after = nxt[1] if len(nxt) > 1 else ""
        if verb == "been":
            if after in ("obvious", "clear", "evident", "apparent", "plain"):
                continue  # hindsight, reported there
            if human:
                if after in PATIENT or (after not in CONDUCT and modal == "could"):
                    continue
            elif after in ("faster", "quicker", "sooner", "earlier", "better", "smoother"):
                pass  # "the response could have been faster"
            elif (
                after not in HUMAN_PASSIVES
                or _by_system(text, m.end(), people)
                or (subj.kind == "none" and modal == "could")
            ):
                continue
        elif human or subj.kind == "none":
            if modal == "could" and verb in OUTCOMES:
                continue
            if subj.kind == "none" and modal == "could":
                continue
        else:
            continue
        start = subj.start if human else m.start()
        found.append(_Found("BLM301", start, m.end(), "modal"))
    for m in _FAILED_TO.pattern.finditer(text) if _FAILED_TO in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        verb = m.group("v").lower()
        omitting = m.group(0)[:4].lower() in ("omit", "negl")
        if (
            subj.kind in ("person", "team", "possessive")
            or (subj.kind == "none" and verb in HUMAN_ACTIONS)
            or (omitting and subj.kind != "thing")
            or m.group(0)[:7].lower() == "omittin"
        ):
            found.append(_Found("BLM301", min(subj.start, m.start()), m.end(), "failed_to"))
    for m in _FAILURE_TO.pattern.finditer(text) if _FAILURE_TO in ready else ():
        found.append(_Found("BLM301", m.start(), m.end(), "failed_to"))
    for m in _BOTHER.pattern.finditer(text) if _BOTHER in ready else ():
        if subject_of(text, m.start(), people, person_only_verb=True).kind != "thing":
            found.append(_Found("BLM301", m.start(), m.end(), "counterfactual"))
    for m in _IF_ONLY.pattern.finditer(text) if _IF_ONLY in ready else ():
        found.append(_Found("BLM301", m.start(), m.end(), "counterfactual"))
    for m in _HAD_X.pattern.finditer(text) if _HAD_X in ready else ():
        end = _had_person(text, m.end(), people)
        if end:
            found.append(_Found("BLM301", m.start(), end, "conditional"))
    for pattern in (_IF_HAD,):
        for m in (
            pattern.pattern.finditer(text) if pattern.ready(text_words) and pattern in ready else ()
        ):
            words = _TOKEN.findall(m.group("s"))
            if not words or any(w.lower() in ("had", "have") for w in words):
                continue
            kind = people.kind(words[-1], capitalised_name=True) or (
                people.kind(words[-2]) if len(words) >= 2 else None
            )
            if kind == "possessive" and len(words) >= 2:
                kind = "person"
            verb = m.group("v").lower()
            after = (m.group("w") or "").lower()
            if kind not in ("person", "team") or verb == "had" or not _is_participle(verb):
                continue
            if verb == "been" and (after in PATIENT or after not in CONDUCT):
                continue
            found.append(_Found("BLM301", m.start(), m.end(), "conditional"))
    for m in _IF_HAD_BEEN.pattern.finditer(text) if _IF_HAD_BEEN in ready else ():
        would = _WOULD_HAVE.search(text, m.end())
        if would and not _thing_agent(text, m.end(), people):
            if _WORSE.search(text, would.end()) or _WORSE.search(text, m.end(), would.start()):
                continue  # "if it had been deployed at noon, more users would have been hit"
            found.append(_Found("BLM301", m.start(), m.end(), "conditional"))
    for m in _ARTIFACT_FAILED.pattern.finditer(text) if _ARTIFACT_FAILED in ready else ():
        tokens, _b, _at = _clause_tokens(text, m.start())
        if any(t.group(0).lower() in _ARTIFACTS for t in tokens) and not _EXPLAINED.search(
            text, m.end()
        ):
            found.append(_Found("BLM301", m.start(), m.end(), "failed_to"))
    for m in _SUPPOSED.pattern.finditer(text) if _SUPPOSED in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        if subj.kind in ("person", "possessive"):
            found.append(_Found("BLM301", subj.start, m.end(), "supposed"))
    for m in _INSTEAD.pattern.finditer(text) if _INSTEAD in ready else ():
        if m.group("v").lower() in ING_NOUNS:
            continue
        if any(
            people.kind(t.group(0)) in ("person", "possessive")
            for t in _TOKEN.finditer(text)
            if t.group(0).lower() not in ("you", "anyone", "everyone", "nobody")
        ):
            found.append(_Found("BLM301", m.start(), m.end(), "instead"))
    for m in _WHY_DIDNT.pattern.finditer(text) if _WHY_DIDNT in ready else ():
        kind, end = _np_after(text, m.end(), people)
        if kind in ("person", "team"):
            found.append(_Found("BLM301", m.start(), end, "counterfactual"))


_IT_IS = re.compile(r"\b(?:it|this|that)(?:['’]s|\s+is|\s+was)\s+(?:\w+ly\s+)?$", _I)


def _about_someone(text: str, m: re.Match[str], people: People) -> bool:
    """Tell whether a judgement word is about a person: one is named, or "it's X that ..."."""
    if _IT_IS.search(text, max(0, m.start() - 30), m.start()):
        return True
    return any(
        people.kind(t.group(0)) in ("person", "possessive")
        for t in _TOKEN.finditer(text)
        if t.group(0).lower() not in TEAM
    )


def _first_actor(text: str, end: int, people: People) -> int | None:
    """Return where a person acts in the text before `end` (a subject or a "by" agent)."""
    tokens = list(_TOKEN.finditer(text, 0, end))
    for index, tok in enumerate(tokens):
        word = tok.group(0)
        first = index == 0 or (index == 1 and tokens[0].group(0).lower() in _DETERMINERS)
        following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
        if word.lower() == "by" and following:
            if people.kind(following, capitalised_name=True) == "person":
                return tok.start()
        elif (
            first
            and following
            and people.kind(word, capitalised_name=True) in ("person", "possessive")
            and _is_participle(following.lower())
        ):
            return tok.start()
    return None


def _had_person(text: str, start: int, people: People) -> int | None:
    """After an inverted "had": return the end of "<person> <participle>", or None."""
    person = False
    for index, tok in enumerate(_TOKEN.finditer(text, start, min(len(text), start + 80))):
        word = tok.group(0)
        low = word.lower()
        if index > 6:
            return None
        if not person:
            kind = people.kind(word, capitalised_name=index == 0)
            if kind in ("person", "team", "possessive"):
                person = True
            elif _is_participle(low) and low not in _DETERMINERS:
                return None  # "had the alert fired": a thing did it
            continue
        if low in ("not", "never", "only", "just", "also") or low.endswith("ly"):
            continue
        if low in ("had", "been"):
            return None
        if _is_participle(low):
            return tok.end()
    return None


_BY = re.compile(r"\s+(?:by|via|through)\s+", _I)


def _thing_agent(text: str, end: int, people: People) -> bool:
    """Tell whether a participle ending at `end` has a thing as its agent ("ignored by X")."""
    m = _BY.match(text, end)
    return m is not None and _np_after(text, m.end(), people)[0] is None


def _by_system(text: str, start: int, people: People) -> bool:
    """Tell whether an agent phrase after `start` names a thing ("been caught by CI")."""
    m = re.compile(r"\s+[\w-]+\s+(?:by|with|in|through|via)\s+", _I).match(text, start)
    if not m:
        return False
    kind, _e = _np_after(text, m.end(), people)
    return kind is None


def _minimising(text: str, people: People, found: list[_Found], ready: frozenset[Gated]) -> None:
    for m in _JUST_HAD_TO.pattern.finditer(text) if _JUST_HAD_TO in ready else ():
        subj = subject_of(text, m.start(), people)
        if subj.kind in ("person", "team", "possessive"):
            found.append(_Found("BLM402", subj.start, m.end(), "minimising"))
    for m in _ALL_HAD_TO.pattern.finditer(text) if _ALL_HAD_TO in ready else ():
        found.append(_Found("BLM402", m.start(), m.end(), "minimising"))
    for m in _JUST_DO.pattern.finditer(text) if _JUST_DO in ready else ():
        found.append(_Found("BLM402", m.start(), m.end(), "minimising"))
    for m in _OBVIOUSLY.pattern.finditer(text) if _OBVIOUSLY in ready else ():
        subj = subject_of(text, m.start(), people, person_only_verb=True)
        tail = text[m.end() : m.end() + 60]
        if subj.kind in ("person", "possessive") or (
            subj.kind != "thing" and _OBVIOUSLY_AFTER.search(tail)
        ):
            found.append(_Found("BLM402", m.start(), m.end(), "minimising"))


def _hint(
    text: str, people: People, ready: frozenset[Gated], low: str | None = None
) -> _Found | None:
    """Find a person's plain action that the sentence ties to the failure (an info hint)."""
    m = next(_ACTION.matches(text, low), None) if _ACTION in ready else None
    if not m or not _CONSEQUENCE.search(text):
        return None
    subj = subject_of(text, m.start(), people)
    if subj.kind in ("person", "team", "possessive"):
        return _Found("BLM102", subj.start, m.end(), "action")
    return None


# Every word of a guide phrase must be in the sentence before the meta pattern runs.
_META_PHRASES: dict[str, list[frozenset[str]]] = {}
for _phrase in [*LEXICON["meta_cues"], "avoid", "only looks", "only seems", "only appears",
                "what should done", "not about who"]:  # fmt: skip
    _parts = frozenset(_ALNUM.findall(str(_phrase).lower()))
    _META_PHRASES.setdefault(_key(str(_phrase)), []).append(_parts)


def _meta_possible(words: frozenset[str]) -> bool:
    """Tell whether a sentence holds every word of some guide phrase."""
    return any(
        parts <= words for key in words.intersection(_META_PHRASES) for parts in _META_PHRASES[key]
    )


# The patterns each group of checks reads: a group runs only when one of them is ready.
# A new check must add its pattern here (test_blame checks that every pattern is in a group).
_PERSON_GATES = frozenset(
    [
        _FIRED,
        _AGENT,
        _BLAME_WITH,
        _CAUSAL,
        _CAUSAL_IS,
        _CAUSE,
        _CAUSE_SPLIT,
        _CLEFT,
        _CONSEQUENCE_LINK,
        _ERROR_ADVERB,
        _IS_REASON,
        _LET,
        _MISTAKE_OWNED,
        _OMIT,
        _PASSIVE_OMISSION,
        _POSSESSIVE_FAULT,
        _POSS_SUBJECT,
        _PUNITIVE,
        _RESPONSIBLE,
        _WHO_DID,
        _WHY_PERSON,
        _WITHOUT,
        _NEGATED_DEED,
        _UNAWARE,
        _FAULTY_WORK,
        _ABSENT,
        _INACTION,
        _WRONG_OBJECT,
    ]
)
_COUNTER_GATES = frozenset(
    [
        _FAILURE_TO,
        _IF_HAD,
        _BOTHER,
        _FAILED_TO,
        _HAD_X,
        _IF_ONLY,
        _INSTEAD,
        _MODAL,
        _SUPPOSED,
        _WHY_DIDNT,
        _IF_HAD_BEEN,
        _ARTIFACT_FAILED,
    ]
)
_MINIMISE_GATES = frozenset([_ALL_HAD_TO, _JUST_DO, _JUST_HAD_TO, _OBVIOUSLY])


def _analyse(ctx: LintContext) -> dict[str, list[Hit]]:
    """Run the blame pack over the prose once and return each rule's hits (cached)."""
    cache = vars(ctx)
    if "_blame_hits" in cache:
        hits: dict[str, list[Hit]] = cache["_blame_hits"]
        return hits
    out: dict[str, list[Hit]] = {}
    people: People | None = None
    extra = _extra_judgement(tuple(ctx.config.blame_words))
    for sentence in ctx.sentences:
        if sentence.in_quote:
            continue
        raw = sentence.text
        lowered = raw.lower()
        tokens = _ALNUM.findall(lowered)
        keys = _ALL_KEYS.intersection(tokens)
        if not keys and not (extra and extra.search(raw)):
            continue  # no pattern can match, and the hint needs one (most sentences)
        words = frozenset(tokens)
        ready = _ready_keys(keys, words)
        triggered = not _NOT_TRIGGERS.issuperset(ready)
        if (
            not triggered
            and not (extra and extra.search(raw))
            # The hint needs a person's action and a consequence in the same sentence.
            and (
                _ACTION not in ready
                or sentence.section is SectionKind.ACTION_ITEMS
                or not (
                    _CONSEQUENCE_FOLDED.search(lowered)
                    if raw.isascii()
                    else _CONSEQUENCE.search(raw)
                )
            )
        ):
            continue
        text = _mask_quotes(raw)
        low = (lowered if text is raw else text.lower()) if raw.isascii() else None
        if _META in ready and _meta_possible(words) and _META.pattern.search(text):
            continue
        if low is not None:
            ready = _matching(ready, low)
            if not extra and ready <= _INERT:
                continue  # no pattern that reports anything matches
        if people is None:
            people = _people(ctx)
        if triggered or extra:
            # _CAUSE, _OMIT and _IF_HAD are gated on the quote-masked words, the rest on raw.
            masked = words if text is raw else frozenset(_ALNUM.findall(text.lower()))
            found = _find(text, sentence.section, people, extra, ready, masked, low)
        else:
            found = []
        if not found and sentence.section is not SectionKind.ACTION_ITEMS:
            hint = _hint(text, people, ready, low)
            if hint:
                found.append(hint)
        for f in _dedupe(found):
            out.setdefault(f.rule, []).append(_hit(sentence, text, f))
    cache["_blame_hits"] = out
    return out


def _matching(ready: frozenset[Gated], low: str) -> frozenset[Gated]:
    """Drop the gates whose pattern has no match in an ASCII text, given it lower-cased.

    A gate left out would have found nothing: its checks run as before on what is left.
    """
    drop = [
        g for g in ready if g.folded is not None and g is not _META and not g.folded.search(low)
    ]
    return ready.difference(drop) if drop else ready


def _dedupe(found: list[_Found]) -> list[_Found]:
    """Keep one finding per rule for overlapping spans (the first, widest)."""
    found.sort(key=lambda f: (f.rule, f.start, -f.end))
    kept: list[_Found] = []
    for f in found:
        if kept and kept[-1].rule == f.rule and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def _hit(sentence: Sentence, text: str, f: _Found) -> Hit:
    line, column = sentence.position(f.start)
    end_line, end_column = sentence.position(f.end)
    phrase = " ".join(text[f.start : f.end].split())
    return Hit(
        line, column, end_line, end_column,
        message=f"{_MESSAGES[f.rule]}: “{phrase}”",
        suggestion=SUGGESTIONS.get(f.kind),
        level=f.level,
    )  # fmt: skip


def _detector(code: str) -> Detector:
    def detect(ctx: LintContext, rule: Rule) -> Iterator[Hit]:
        cache = vars(ctx)
        let_go: set[str] = cache.setdefault("_blame_let_go", set())
        if code in let_go:  # read again after its hits were let go: analyse afresh
            cache.pop("_blame_hits", None)
            let_go.clear()
        hits = _analyse(ctx).get(code, [])
        yield from hits
        if ctx.sentences.streaming:
            # A large file: the engine has made its findings from these hits; keeping them
            # too would hold a second object for each of a hundred thousand findings.
            hits.clear()
            let_go.add(code)

    detect.__doc__ = f"Report the blame pack's {code} findings."
    return detect


_CODES = ("BLM101", "BLM102", "BLM201", "BLM301", "BLM401", "BLM402", "BLM501")
RULES = load_pack(_HERE / "rules.yaml", Category.BLAME, {c: _detector(c) for c in _CODES})
_MESSAGES = {r.code: r.message for r in RULES}
