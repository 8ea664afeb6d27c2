"""The blame pack's patterns, compiled once; each check family reads some of them."""

from __future__ import annotations

import re

from nofault.core.lint.packs.blame.gates import ALNUM, Gated, alternation, key_words
from nofault.core.lint.packs.blame.lexicon import FAILURE_NOUNS, LEXICON, ROLES
from nofault.core.lint.text import folded

_I = re.IGNORECASE

# Patterns, compiled once. Each carries the name of the kind of finding it makes.
CAUSE = Gated(
    rf"\b(?:{alternation(LEXICON['cause_verbs'])})\b",
    key_words(LEXICON["cause_verbs"]),
)
OMIT = Gated(
    rf"\b(?:{alternation(LEXICON['omission_verbs'])})\b",
    key_words(LEXICON["omission_verbs"]),
    also=(
        "not didn never wasn weren forgot forgotten missed ignored overlooked disregarded "
        "neglected skipped bypassed ignoring"
    ),
)
FAULT_NOUN = alternation(LEXICON["fault_nouns"])
POSSESSIVE_FAULT = Gated(
    rf"(?:\b(?P<pron>his|her|their|my)|(?P<owner>@?[A-Za-z][\w.-]*)['’]s)\s+(?:own\s+)?"
    rf"(?:{FAULT_NOUN})\b",
    key_words(LEXICON["fault_nouns"]),
    also="s his her their my",
)
AGENT = Gated(
    r"\b(?:(?:caused|broken|brought\s+about|introduced|botched|taken\s+down|brought\s+down)\s+by|"
    r"blamed\s+on|"
    r"due\s+to|because\s+of|thanks\s+to|blame\s+(?:lies|lay|rests|rested|falls|fell)\s+"
    r"(?:with|on)|(?:the\s+)?fault\s+of|culprit\s*(?:was|is|here\s+was|turned\s+out\s+to\s+be|"
    r"proved\s+to\s+be|[?:—]))\s+",
    key_words(
        "caused broken brought introduced botched taken due because thanks blame fault culprit "
        "blamed"
    ),
)
RESPONSIBLE = Gated(
    rf"\b(?:was|were|is|are)\s+(?:\w+ly\s+)?(?:to\s+blame|at\s+fault|(?:solely\s+|directly\s+)?"
    rf"responsible\s+for\s+(?:the|this|that|an?|our|its)?\s*(?:{alternation(FAILURE_NOUNS)}))\b",
    key_words("blame fault responsible"),
)
CAUSAL = Gated(
    r"\b(?:because|(?:as\s+a|the)\s+result\s+of|thanks\s+to|"
    r"trac(?:e[sd]?|ing)\s+(?:[\w-]+\s+){0,3}?(?:back\s+)?to|"
    # "The outage came down to a new hire firing a DROP", "it stemmed from them leaving ...".
    r"(?:c[ao]mes?|boil(?:s|ed)?)\s+down\s+to|stem(?:s|med)\s+from|result(?:s|ed)\s+from|"
    r"ar(?:o|i)se[sd]?\s+from|came\s+from)\s+",
    key_words(
        "because result thanks trace traces traced tracing down stems stemmed results resulted "
        "arose arise arises arised came"
    ),
)
# "This one is on me", "the cause was the intern", "Root cause: the intern": no verb needed.
CAUSAL_IS = Gated(
    r"(?:\b(?:is|was)|(?<=\w)['’]s)\s+(?:all\s+|entirely\s+|squarely\s+|solely\s+)?"
    r"(?:down\s+to|on)\s+|"
    r"\b(?:(?:is|was)\s+the\s+(?:reason|cause)|root\s+cause\s*(?::|was|is|-|—))\s+",
    key_words("on down reason cause"),
    also="is was root s",
)
# "The error was hers", "the mistake is all mine": a fault owned by a person, predicated.
FAULT_OWNED = Gated(
    r"\b(?:mistake|error|fault|blame|screw-up|screwup|oversight|slip)\s+(?:was|is|['’]s)\s+"
    r"(?:all\s+|entirely\s+|solely\s+)?(?:mine|his|hers|theirs|yours)\b",
    key_words("mine his hers theirs yours"),
    also="mistake error fault blame screw screwup oversight slip",
)
# "Ahmed is the reason the cache was flushed": the person stands before.
IS_REASON = Gated(
    r"\b(?:is|was)\s+(?:the\s+)?(?:(?:main|real|whole|only)\s+)?(?:reason|cause|culprit)\b",
    key_words("reason cause culprit"),
    also="is was",
)
# "..., which is why the incident dragged on", "so nobody was paged".
CONSEQUENCE_LINK = Gated(
    r"\b(?:which|that|this)\s+(?:decision\s+|change\s+|action\s+)?(?:is|was)\s+"
    r"(?:why|what|how)\b|\bso\s+(?:nobody|no\s+one)\b",
    key_words("why what how nobody one"),
    also="which that this so",
)
PUNITIVE = Gated(
    r"\b(?:taken|take|took|taking)\s+(?:disciplinary\s+)?action\s+(?:with|against)\b|"
    r"\bdisciplin(?:ed|ary)\b|\bcounsell?ed\b|\bretrain(?:ed|ing)?\s+(?:the|him|her|them)\b|"
    r"\b(?:was|were|been|be|got|get)\s+(?:let\s+go|suspended|written\s+up|reprimanded|"
    r"sacked|demoted)\b",
    key_words(
        "action disciplined disciplinary counseled counselled retrain retrained retraining "
        "let suspended written reprimanded sacked demoted"
    ),
)
# "was fired" (not "the alert fired").
FIRED = Gated(
    r"\b(?:was|were|been|be|got|get)\s+fired\b", key_words("fired"), also="was were been be got get"
)
# "... took the payments service down": a particle after the object.
CAUSE_SPLIT = Gated(
    r"\b(?:took|brought|knocked|taken|taking|bringing)\s+(?:[\w-]+\s+){1,4}?"
    r"(?:down|over|offline|off\s+the\s+air|out\s+of\s+service)\b",
    key_words("took brought knocked taken taking bringing"),
    also="down over offline air service",
)
BLAME_WITH = Gated(
    r"\b(?:blame|responsibility|fault)\s+(?:for\s+[^,.;]{1,50}?\s+)?(?:lies|lay|rests|rested|"
    r"sits|sat|falls|fell|belongs|is|was|(?:should\s+|must\s+)?(?:go|goes|went|lie|rest))\s+"
    r"(?:\w+ly\s+)?(?:with|on|to)\s+",
    key_words("blame responsibility fault"),
)
CLEFT = Gated(
    r"\bit\s+(?:was|is|['’]s)\s+",
    key_words("it"),
    also="who that",
)
WHO_DID = Gated(
    r"\bwho\s+(?:approved|deployed|pushed|merged|broke|did|ran|changed|wrote|shipped|touched|"
    r"disabled|deleted|signed\s+off\s+on)\s+(?:this|that|it|without)\b",
    key_words("who"),
)
ERROR_ADVERB = Gated(
    r"\b(?:mistakenly|erroneously|wrongly|wrongfully|incorrectly|improperly|by\s+mistake|"
    r"in\s+error|(?P<accident>accidentally|by\s+accident|inadvertently|unintentionally))\b",
    key_words(
        "mistakenly erroneously wrongly wrongfully incorrectly improperly mistake accident "
        "accidentally inadvertently unintentionally"
    ),
)
EXPLAINED = re.compile(r"\b(?:because|since|as\s+the|due\s+to|so\s+that|which\s+made)\b", _I)
WHY_PERSON = Gated(
    r"\b(?:why|how)\s+(?:did|didn['’]t|was|wasn['’]t|were|weren['’]t|could|would)\s+",
    key_words("why how"),
    also=("did didn was wasn were weren could would"),
)
WHY_VERB = re.compile(
    r"\s*(?:not\s+|never\s+)?(?:forget|ignore|miss|overlook|neglect|fail|skip|disregard|"
    r"misjudge|misread|misunderstand|check|notice|read|follow|test|verify|escalate|ask|"
    r"think|realise|realize|bother)\b",
    _I,
)
PASSIVE_OMISSION = Gated(
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:never\s+(?:\w+ly\s+)?|not\s+"
    r"(?:properly|fully|actually|adequately|even)\s+)(?:tested|reviewed|checked|verified|"
    r"declared|escalated|communicated|followed|read|validated|double-checked|acknowledged|"
    r"actioned|investigated|noticed)\b",
    key_words("never not"),
    also=(
        "tested reviewed checked verified declared escalated communicated followed read "
        "validated double acknowledged actioned investigated noticed"
    ),
)
RISK = re.compile(r"[^.;]{0,60}?\b(?:later|worse|longer)\b|[^.;]{0,160},\s*but\b", _I)
REASON = Gated(
    r"\bfor\s+(?:some|whatever|no\s+good|no|some\s+unknown)\s+reason\b|"
    r"\bfor\s+(?:reasons?|whatever\s+reasons?)\s+(?:that\s+)?(?:nobody|no\s+one|none\s+of\s+us|"
    r"we\s+(?:still\s+)?(?:don['’]t|do\s+not|cannot|can['’]t)|i\s+(?:still\s+)?(?:don['’]t|"
    r"do\s+not|cannot|can['’]t))\s+(?:\w+\s+)?(?:explain|understand|fathom|know|see)\w*\b",
    key_words("reason reasons"),
    also="some whatever no nobody one we i",
)
LET = Gated(
    r"\blet\s+(?:[\w'’-]+\s+){1,5}?(?:lapse|slip|fill|expire|run\s+out|go\s+unnoticed|rot|"
    r"through|happen|fall|sit|linger|drift|grow)\b",
    key_words("let"),
    also=("lapse slip fill expire run go rot through happen fall sit linger drift grow"),
)
WITHOUT = Gated(
    r"\bwithout\s+(?:(?:any|proper|first|adequate|sufficient|a|an|the|prior|formal|"
    r"peer|second|even)\s+)*(?:checking|testing|asking|telling|reviewing|verifying|consulting|"
    r"notifying|informing|reading|waiting|looking|double-checking|approval|review|sign-off|"
    r"signoff|qa|tests?|permission|authori[sz]ation|ticket|change\s+request|warning|"
    r"coordinat\w+|communicat\w+|thinking|"
    # Any other step left out, as a gerund; not an outcome ("without breaking anything").
    r"(?!(?:breaking|causing|losing|affecting|impacting|dropping|interrupting|disrupting|"
    r"needing|requiring|having|being|getting|any|much|further)\b)[a-z]+ing)\b",
    key_words("without"),
)
POSS_SUBJECT = Gated(
    r"(?P<owner>[^\W\d_][\w.-]*)['’]s\s+(?:[\w-]+\s+){1,2}?(?P<verb>[\w-]+ed|broke|took|made|"
    r"brought|blew|went|let|wiped|ran|knocked|tore|threw|sent)\b",
    key_words("s"),
    also=(
        "outage incident down downtime broke broken failed failure crashed deleted lost wiped "
        "expired errors error degraded corrupted leaked overloaded locked dropped flushed "
        "rejected purged wrong bad untested caused lag outages incidents"
    ),
)
MISTAKE_OWNED = Gated(
    r"\b(?:mistake|error|fault|oversight|slip|misconduct|negligence|failure|failing|"
    r"carelessness)\s+on\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+)?(?:[\w-]+['’]s|his|her|their|my)\s+"
    r"part\b|"
    r"\b(?:mistake|error|typo|blunder|slip)\s+(?:that\s+)?(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?P<who>[^\W\d_][\w'’-]*)\s+made\b",
    key_words(
        "mistake error fault oversight slip typo blunder misconduct negligence failure failing "
        "carelessness"
    ),
    also="part made",
)
GERUND = re.compile(r"\s+(?:not\s+)?[^\W\d_]+ing\b")
FAILURE_CONTEXT = re.compile(
    r"\b(?:outages?|incidents?|down|downtime|broke\w*|fail\w*|crash\w*|deleted|lost|loss|wiped|"
    r"expired|lapsed|errors?|degrad\w*|corrupt\w*|leak\w*|breach\w*|overload\w*|fell\s+over|"
    r"dragged|stuck|unavailable|charged|wrong|bad|untested|caus\w*|locked|dropped|flushed|"
    r"rejected|purged|paying|impact\w*|went\s+wrong|blip|regression|lag\w*|backed\s+up|"
    r"slip|late|unanswered|nobody|problem\w*|issues?)\b",
    _I,
)
PAST_VERB = re.compile(
    r"\s*(?:\w+ly\s+|also\s+|then\s+|just\s+|had\s+)?(?:[\w-]+ed|ran|took|made|let|did|didn['’]t|"
    r"broke|wrote|went|left|put|set|sent|shut|hit|cut|forgot|gave|threw|tore|kept|brought|"
    r"began|chose|drove|rode|shook|sat|stood|spent|lost|read|was|were|had)\b",
    _I,
)
HUMAN_ERROR = Gated(
    rf"\b(?:{alternation(LEXICON['human_error'])})\b",
    key_words(LEXICON["human_error"]),
)
# "A mistake by", "an error on the part of": keyed on the rarer second word.
# Also passive ("the mistake was made by the networking team", "an oversight by the release
# manager"); a bare "errors by" is a breakdown ("errors by region"), so errors need "made".
HUMAN_ERROR_BY = Gated(
    r"\b(?:mistakes?|oversights?|blunders?|typos?|lapses?|missteps?|mismanagement|mishandling|"
    r"misjudg(?:e)?ments?|slip-ups?|errors?\s+of\s+judge?ment)"
    r"(?:\s+(?:was|were))?(?:\s+(?:made|committed))?(?:,?\s+(?:\w+ly|mostly|mainly|largely|"
    r"partly))*\s+(?:by|on\s+the\s+part\s+of)\b|"
    r"\berrors?(?:\s+(?:was|were))?\s+(?:(?:made|committed)\s+by|on\s+the\s+part\s+of)\b",
    key_words(
        "mistake mistakes error errors oversight oversights blunder blunders typo typos "
        "lapse lapses misstep missteps mismanagement mishandling misjudgement misjudgment "
        "misjudgements misjudgments slip ups judgement judgment"
    ),
    also="by part",
)
HE_NEGATED = re.compile(r"\b(?:not|n['’]t|no|rather\s+than|instead\s+of|beyond|never)\s+"
                         r"(?:\w+\s+){0,2}$", _I)  # fmt: skip
ROOT_CAUSE = re.compile(r"\b(?:root\s+cause|cause[ds]?|due\s+to|because|blame)\b", _I)

MODAL = Gated(
    r"\b(?P<m>should|could|ought\s+to)(?:n['’]t|\s+not)?"
    r"(?:\s+(?:\w+ly|also|still|at\s+least|just|simply|never|perhaps|maybe|really))?"
    r"(?:\s+have|['’]ve)\b|\b(?P<m2>shoulda|coulda)\b",
    key_words("should could ought shoulda coulda"),
)
# "Failure to follow the procedure": the omission as a noun, said of people.
FAILURE_TO = Gated(
    rf"\bfailures?\s+(?:\w+\s+)?to\s+(?:\w+ly\s+)?(?:{alternation(LEXICON['human_actions'])}|"
    rf"{alternation(LEXICON['duty_verbs'])}|use|"
    rf"adequately|properly)\b",
    key_words("failure failures"),
    also="to",
)
FAILED_TO = Gated(
    r"\b(?:failed|neglected|omitted|refused|failing|neglecting|omitting)\s+to\s+(?P<v>[\w-]+)",
    key_words("failed neglected omitted refused failing neglecting omitting "),
)
BOTHER = Gated(
    r"\b(?:didn['’]t|did\s+not|never|couldn['’]t|could\s+not|wouldn['’]t)\s+(?:even\s+)?"
    r"bother(?:ed)?\b|\bnot\s+bother(?:ing)?\s+to\b|\b(?:nobody|no\s+one)\s+(?:even\s+)?bothered\b",
    key_words("bother bothered bothering"),
)
IF_ONLY = Gated(
    r"\bif\s+only\b",
    key_words("only"),
    also="if",
)
IF_HAD = Gated(
    r"\bif\s+(?P<s>(?:(?!had\b)[\w@'’-]+\s+){1,5})had(?:n['’]t|\s+not)?\s+(?:\w+ly\s+)?(?P<v>[\w-]+)"
    r"(?:\s+(?P<w>[\w-]+))?",
    key_words("had"),
    also="if",
)
HAD_X = Gated(
    r"(?:^\W*|[,;:]\s*|\bthat\s+|\b(?:happened|been|occurred|arisen|gone|worked|avoided|"
    r"prevented|averted|caught|spotted|stopped|contained|different|sooner|earlier)\s+)had\s+",
    key_words("had"),
)
SUPPOSED = Gated(
    r"\b(?:was|were)\s+(?:\w+ly\s+|also\s+)?(?:supposed|meant|expected|required)\s+to\b",
    key_words("supposed meant expected required"),
    also="was were",
)
INSTEAD = Gated(
    r"\binstead\s+of\s+(?P<v>\w+ing)\b",
    key_words("instead"),
)
WHY_DIDNT = Gated(
    r"\bwhy\s+(?:didn['’]t|did\s+not|wasn['’]t|weren['’]t)\s+",
    key_words("why"),
)

# --- shapes that generalise: structure and word classes rather than single phrases -------


def past_tense(verb: str) -> str:
    """Return the regular past form of a base verb ("check" -> "checked")."""
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


DEEDS = [str(v) for v in LEXICON["negated_deeds"]]
DEEDS_PAST = [past_tense(v) for v in DEEDS] + LEXICON["negated_deeds_past"]
# "The reviewer did not actually run it", "they never asked": an omission by a person.
NEGATED_DEED = Gated(
    rf"\b(?:did\s+not|didn['’]t|never)\s+(?:(?:\w+ly|even|once|first)\s+)?"
    rf"(?:{alternation(DEEDS)}|{alternation(DEEDS_PAST)})"
    rf"\b",
    key_words("not didn never"),
    also=" ".join(
        {w for v in DEEDS for w in ALNUM.findall(v)}
        | {w for v in DEEDS for w in ALNUM.findall(past_tense(v))}
        | set(LEXICON["negated_deeds_past"])
    ),
)
# "The admin renewed the certificate but never reloaded the server": any deed a person
# never did, except what befalls them or what they meant ("never received", "never needed").
NEVER_DID = Gated(
    r"\bnever\s+(?:\w+ly\s+)?(?!(?:receiv|need|us|seem|appear|happen|exist|occur|expect|"
    r"intend|want|manag|recover|finish|complet|reach|hear|worri|imagin|dream|believ|realiz|realis|"
    r"remember|bother)ed\b)"
    r"[a-z]{3,}ed\b",
    key_words("never"),
)
# Explanations that make an omission the system's doing ("because of a gap in routing").
DECLINED = re.compile(r"did\s+not|didn|never", _I)
SYSTEM_REASON = re.compile(r"\b(?:because\s+of|due\s+to|owing\s+to|given|thanks\s+to)\b", _I)
# "He wasn't fully aware", "the developer was unaware", "without being aware".
UNAWARE = Gated(
    r"\b(?P<be>was|were)(?:n['’]t|\s+not)\s+(?:\w+ly\s+|even\s+)?aware\b|"
    r"\b(?P<be2>was|were)\s+(?:\w+ly\s+)?unaware\b|"
    r"\bwithout\s+(?:being\s+|having\s+been\s+)?(?:\w+ly\s+)?aware\b",
    key_words("aware unaware"),
)
# "If the review had been done in March, ... would have": a step people did not take.
IF_HAD_BEEN = Gated(
    r"(?:\bif\s+(?:(?!had\b)[\w@'’-]+\s+){1,6}|(?:^\W*|[,;:]\s*)had\s+(?:[\w@'’-]+\s+){1,5}?)"
    rf"(?:had\s+)?been\s+(?:\w+ly\s+|not\s+)?(?:{alternation(LEXICON['deed_participles'])})\b",
    key_words("been"),
    also="had",
)
WOULD_HAVE = re.compile(
    r"\b(?:would|could|might)(?:n['’]t|\s+not)?\s+(?:\w+\s+)?(?:have|['’]ve)\b", _I
)
# A risk, not a reproach: the other path would have been worse.
WORSE = re.compile(
    r"\b(?:worse|more|larger|bigger|longer|higher|greater|lost|wider|broader|even)\b", _I
)
# "The patch failed to account for ...": a change people made left something out.
ARTIFACT_FAILED = Gated(
    rf"\b(?:failed|neglected|omitted)\s+to\s+(?:{alternation(LEXICON['consider_verbs'])})\b",
    key_words("failed neglected omitted"),
    also=" ".join(str(v) for v in LEXICON["consider_verbs"]),
)
# "@kim merged the buggy migration": a person as the author of work called faulty.
FAULTY_WORK = Gated(
    rf"\b(?:{alternation(LEXICON['authoring_verbs'])})\s+(?:(?:a|an|the|this|that|his|her|their|"
    rf"some|two|three|several)\s+)?(?:[\w-]+\s+)?(?:{alternation(LEXICON['faulty'])})\b",
    key_words(LEXICON["faulty"]),
)
# "Inadequately reviewed", "poor planning": a judgement of how people did their work;
# "found its risk management deficient": the same judgement after its noun.
POOR_WORK = Gated(
    r"\b(?:management|governance|leadership|supervision|stewardship)\s+(?:(?:of|over)\s+"
    r"[^,.;:]{1,40}?\s+)?(?:(?:was|were|is|are|as|to\s+be|had\s+been|has\s+been)\s+)?"
    r"(?:\w+ly\s+)?(?:deficient|inadequate|insufficient|lax|negligent|lacking|wanting|"
    r"insufficiently\s+robust|shambolic|chaotic)\b|"
    rf"\b(?:{alternation(LEXICON['work_adverbs'])})\s+(?:{alternation(LEXICON['work_participles'])})\b|"
    rf"\b(?:{alternation(LEXICON['work_adjectives'])})\s+(?:{alternation(LEXICON['work_nouns'])})\b",
    key_words(
        LEXICON["work_adverbs"],
        LEXICON["work_adjectives"],
        "deficient inadequate insufficient lax negligent lacking wanting insufficiently "
        "shambolic chaotic",
    ),
)
# "The DBA dropped the wrong index": a wrong thing as the direct object of a person's deed.
# ("ran the command on the wrong host" puts "wrong" in a place, not the deed: a hint only.)
WRONG_OBJECT = Gated(
    r"\b(?P<v>[\w-]+ed|ran|took|chose|hit|cut|shut|put|set|sent|wrote|tore|threw|broke|pulled|"
    r"picked|unplugged|yanked|typed|ran|pushed|deployed|tagged|flipped)\s+"
    # The wrong thing as the direct object: no preposition (a place, "on the wrong host")
    # and no second verb between.
    r"(?:(?![\w-]+ed\b|on\b|in\b|at\b|from\b|against\b|to\b|into\b|of\b)[\w`'’./-]+\s+){0,4}?"
    r"(?:the|a|an|one|some)\s+(?:[\w-]+\s+)?wrong\s+[\w-]+",
    key_words("wrong"),
    also="the a an one some",
)
# "The on-call vanished for an hour": a person's absence as the problem.
ABSENT = Gated(
    rf"\b(?:{alternation(LEXICON['absence'])})\b",
    key_words("disappeared vanished missing awol nowhere ghosted mia dark silent"),
)
# "Nothing was done for another two hours": inaction over a stretch of time.
INACTION = Gated(
    r"\b(?:nothing\s+(?:was|were|got)\s+done|no\s+(?:further\s+)?action\s+was\s+taken|"
    r"(?:nobody|no\s+one)\s+(?:did\s+anything|acted|responded|reacted|looked))\s+for\s+"
    r"(?:(?:another|over|more\s+than|almost|nearly|about|around|roughly|a\s+further|the\s+next|"
    r"at\s+least)\s+)?(?:[\w-]+\s+){0,2}?(?:minutes?|hours?|days?|weeks?|mins?|hrs?)\b",
    key_words("nothing action nobody"),
    also="for",
)
# "Why was the impact misjudged?": a question that asks why people judged wrongly.
WHY_MISJUDGED = Gated(
    r"\bwhy\s+(?:was|were|had|has|have)\s+(?:[\w@'’-]+\s+){1,6}?(?:been\s+)?(?:misjudged|"
    r"ignored|overlooked|disregarded|underestimated|dismissed|neglected|misread|misunderstood|"
    r"brushed\s+aside|waved\s+off)\b",
    key_words("why"),
    also=(
        "misjudged ignored overlooked disregarded underestimated dismissed neglected misread "
        "misunderstood brushed waved"
    ),
)
# "Some of these were obvious": risks called obvious, as a predicate that ends the clause.
WERE_OBVIOUS = Gated(
    r"\b(?:was|were|are|is|seemed|seem|looked|look)\s+(?:all\s+|so\s+|pretty\s+|quite\s+|"
    r"very\s+|fairly\s+|rather\s+|really\s+)?(?:obvious|foreseeable|predictable)"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|but|yet|in\s+hindsight|in\s+retrospect|now|such\s+as|"
    r"even|enough)\b)",
    key_words("obvious foreseeable predictable"),
)
RISK_NOUNS = re.compile(
    r"\b(?:chaos|outages?|failures?|crash|meltdown|disaster|collapse|fallout|breach|"
    r"these|those|risks?|signs?|signals?|problems|issues|flaws?|gaps?|mistakes|errors|"
    r"warnings?|symptoms|dangers?|consequences|shortcomings|weaknesses|red\s+flags|"
    r"(?:some|many|most|all|several|a\s+few)\s+of\s+(?:these|those|them))\b",
    _I,
)
DETECTION_TIME = re.compile(
    r"\b(?:by\s+\d|once|after|when|within|as\s+soon\s+as|immediately|quickly|soon)\b|\d:\d", _I
)
# "Make sure engineers double-check the region": an action item that asks people to try harder.
VIGILANCE = Gated(
    r"(?:^|^[\w\s-]{1,20}:\s*)\W*(?:make\s+sure|ensure|remind|require|tell|ask)\s+(?:that\s+)?(?:the\s+|all\s+|our\s+|"
    r"every\s+|each\s+)?(?P<who>(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:to\s+)?(?:always\s+|carefully\s+|"
    rf"properly\s+|manually\s+)?(?:{alternation(LEXICON['vigilance_verbs'])}|"
    r"(?P<pre>reads?|reviews?|looks?\s+at))\b",
    key_words("sure ensure remind require tell ask"),
)
BEFORE_STEP = re.compile(
    r"[^.;]{0,60}?\bbefore\s+(?:\w+ing|(?:the|a|an|his|her|their|each|every|any)\s+(?:next\s+)?"
    r"(?:on-call|oncall|shift|deploy\w*|release|rollout|change|merge|rotation|migration)\b)",
    _I,
)

JUDGEMENT = Gated(
    rf"\b(?:{alternation(LEXICON['judgemental'])})\b",
    key_words(LEXICON["judgemental"]),
)
JUDGEMENT_EXCEPTIONS = Gated(
    rf"\b(?:{alternation(LEXICON['judgemental_exceptions'])})\b",
    key_words(LEXICON["judgemental_exceptions"]),
)

EASY_VERBS = alternation(LEXICON["easy_verbs"])
JUST_HAD_TO = Gated(
    r"\b(?:just|simply|merely|only)\s+(?:had|needed|has|have|need)\s+to\b",
    key_words("just simply merely only"),
    also="had needed has have need",
)
ALL_HAD_TO = Gated(
    r"\ball\s+(?:[\w'’-]+\s+){1,3}?(?:had|needed|has|have|need|would\s+have\s+had)\s+to\s+do\s+"
    r"(?:was|is|would\s+have\s+been)\b",
    key_words("all"),
    also="do",
)
JUST_DO = Gated(
    rf"(?:^|\b(?:could|can|should|would|might|you|they|he|she|someone|anyone|please|must|"
    rf"only\s+had\s+to|only\s+needed\s+to|have\s+to|had\s+to)\s+)(?:just|simply|merely)\s+"
    rf"(?:{EASY_VERBS})\b",
    key_words("just simply merely"),
)
OBVIOUSLY = Gated(
    r"\b(?:obviously|clearly|evidently|plainly)\b",
    key_words("obviously clearly evidently plainly"),
)
OBVIOUSLY_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:didn['’]t|did\s+not|wasn['’]t|was\s+not|weren['’]t|were\s+not|"
    r"never|forgot|ignored|missed|failed|wrong|should|shouldn['’]t|no\s+one|nobody|"
    r"overlooked|hadn['’]t|had\s+not|couldn['’]t|neglected)\b",
    _I,
)

HINDSIGHT_PHRASE = Gated(
    r"\b(?:in|with)\s+(?:the\s+benefit\s+of\s+)?(?:hindsight|retrospect)\b|\blooking\s+back\b|"
    r"\bin\s+the\s+cold\s+light\s+of\s+day\b|\bknowing\s+what\s+we\s+know\s+now\b|"
    r"\bhindsight\s+is\s+20/20\b|\bhindsight\s+is\s+twenty-twenty\b",
    key_words("hindsight retrospect cold knowing looking"),
    also="hindsight retrospect back cold knowing",
)
HINDSIGHT_CUE = re.compile(rf"\b(?:{alternation(LEXICON['hindsight_cues'])})\b", _I)
HINDSIGHT = Gated(
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
    r"\bhindsight\s+makes?\b|\bstaring\s+(?:us|them|him|her|everyone|(?:the|our|their)\s+"
    r"[\w-]+)\s+in\s+the\s+face\b|\bworth\s+(?:their|his|her|its)\s+salt\s+would\b",
    key_words(
        "signs flags wall coming anyone anybody everyone everybody avoidable preventable "
        "foreseeable predictable obvious trivial easy simple clear evident apparent plain "
        "matter day knew nobody hindsight staring salt"
    ),
)
# The same, for the alternatives whose only distinctive word is common ("any", "no one").
HINDSIGHT_ANY = Gated(
    r"\bany\s+(?:[\w-]+\s+){1,2}?(?:would|could|should)\s+(?:have\s+)?(?:\w+\s+)?(?:seen|"
    r"noticed|known|caught|spotted|realised|realized|recognised|recognized|predicted|expected|"
    r"understood|figured|guessed|foreseen|know|see|notice|catch|spot|realise|realize|"
    r"recognise|recognize|predict|expect|understand)\b|"
    r"\b(?:we\s+all|all\s+of\s+us)\s+(?:could|should|would)\s+(?:have\s+)?(?:\w+\s+)?(?:see|"
    r"seen|tell|told|known|know)\b|"
    r"\b(?:yet|but|still)\s+no\s+one\s+(?:\w+ly\s+)?(?:acted|noticed|did\s+anything|responded|"
    r"looked|reacted|intervened|said\s+anything|checked|questioned)\b",
    key_words("any all one"),
    also="would could should acted noticed did responded looked reacted intervened said checked",
)
IT_WAS_CLEAR = Gated(
    r"\bit\s+(?:was|is|seems|seemed|should\s+have\s+been)\s+(?:\w+ly\s+)?(?:obvious|clear|"
    r"evident|apparent)\s+that\b",
    key_words("obvious clear evident apparent"),
)
BLAMEY = re.compile(
    r"\b(?:should|could|ought|anyone|anybody|mistake|ignored|missed|forgot|overlooked|"
    r"neglected|careless|failed\s+to\s+(?:notice|see|check|read))\b",
    _I,
)

META = Gated(
    rf"\b(?:{alternation(LEXICON['meta_cues'])})(?!\w)|" + "|".join(LEXICON["meta_patterns"]),
    key_words(LEXICON["meta_cues"], "avoid only done about"),
)

ACTION = Gated(
    r"\b(?:ran|pushed|deployed|merged|deleted|dropped|changed|executed|applied|typed|edited|"
    r"modified|removed|updated|shipped|rolled\s+out|restarted|rebooted|committed|truncated|"
    r"disabled|enabled|killed|reverted|migrated|approved|started|stopped|terminated|scaled|"
    r"rotated|renamed|moved|flipped|toggled|entered|issued|launched|triggered|accidentally|"
    r"inadvertently|unintentionally)\b",
    key_words(
        "ran pushed deployed merged deleted dropped changed executed applied typed edited "
        "modified removed updated shipped rolled restarted rebooted committed truncated "
        "disabled enabled killed reverted migrated approved started stopped terminated scaled "
        "rotated renamed moved flipped toggled entered issued launched triggered accidentally "
        "inadvertently unintentionally "
    ),
)
CONSEQUENCE = re.compile(
    r"\b(?:caus\w*|trigger\w*|result\w*|led\s+to|lead\s+to|outage|broke\w*|fail\w*|errors?|"
    r"wrong|incorrect|bad|down|unintended|accident\w*|inadvertent\w*|instead|mistaken\w*)\b",
    _I,
)

# Read on the lower-cased sentence (IGNORECASE kept when the twin cannot be made).
CONSEQUENCE_FOLDED = folded(CONSEQUENCE) or CONSEQUENCE

# "The carrier blamed the manufacturer", "regulator faults contractor", "pointed the finger
# at one engineer": someone's blame of a person or company, reported.
REPORTED_BLAME = Gated(
    r"\b(?:(?<=\bi\s)blame|(?<=\bwe\s)blame|blam(?:ed|es)|(?<=,\s)blaming|faulted|accus(?:ed|es)|"
    # "The union is already blaming the contractor".
    r"(?:is|are|was|were|been|keeps?|kept)\s+(?:\w+ly\s+|already\s+|still\s+)?blaming|"
    r"(?:point(?:ed|s|ing)?|wag(?:ged|s|ging)?)\s+"
    r"(?:the|a|an\s+accusing)\s+finger|pin(?:ned|s)\s+(?:the\s+)?blame|scapegoat(?:ed|s)?)\b",
    key_words("blamed blames blaming faulted accused accuses finger blame scapegoated scapegoats"),
)
# "The crew was to blame", "the railroad was found at fault": a party at fault, predicated.
AT_FAULT = Gated(
    r"\b(?:was|were|is|are|be|been|['’]s|['’]re)\s+(?:(?:\w+ly|also|not|all|found|held|"
    r"deemed|judged|partly|partially|largely|mainly|entirely|solely|equally|the\s+ones?|"
    r"the\s+party|the\s+parties)\s+){0,3}(?:to\s+blame|at\s+fault)\b",
    key_words("blame fault"),
    also="to at",
)
# What reads blame as a topic rather than laying it: a contrast, a fear, an infinitive.
BLAME_DISCUSSED = re.compile(
    r"\b(?:rather\s+than|instead\s+of|not\s+(?:to|about)|(?:fear|afraid|scared)\s+(?:of\s+)?"
    r"being|to\s+be\s+blamed|being\s+blamed|expect\w*\s+to|(?:don['’]t|do\s+not|never|"
    r"neither|nor|no\s+one|nobody|without|stop|avoid\w*|quick\s+to)\b)",
    _I,
)
# "The engineer lost track of his position", "we were slow to realise", "the team rushed
# it": a judgement of a person's state or conduct, read only with a person as subject.
PERSON_STATE = Gated(
    r"\b(?:lost\s+(?:all\s+|his\s+|her\s+|their\s+|situational\s+)*(?:awareness|track|focus|"
    r"concentration)|(?:not|n['’]t|never)\s+(?:\w+ly\s+)?(?:paying\s+attention|focused|"
    r"concentrating)|(?:got\s+|became\s+|was\s+|were\s+)distracted|fell\s+asleep|"
    r"asleep\s+at\s+the\s+(?:wheel|switch|controls)|zoned\s+out|dozed\s+off|"
    r"(?:was|were|is|are|been|being)\s+(?:\w+\s+)?in\s+(?:a|too\s+much\s+of\s+a)\s+(?:hurry|rush)|"
    r"rushed(?:\s+(?:it|things|through))?|"
    r"cut\s+corners|dropped\s+the\s+ball|too\s+sure\s+of|over-?confident|complacent|"
    r"over-?reli(?:ed|ant)|slow\s+to\s+(?:realise|realize|react|respond|notice|act|see|"
    r"understand|recogni[sz]e|grasp|catch\s+on)|out\s+of\s+(?:his|her|their|my|our)\s+depth|"
    r"(?:could\s+not|couldn['’]t)\s+keep\s+(?:his|her|their|my)\s+mind\s+on)\b",
    key_words(
        "lost paying focused concentrating distracted asleep zoned dozed hurry rush rushed "
        "corners ball sure overconfident confident complacent overrelied overreliant relied "
        "reliant slow depth mind"
    ),
)
# "Engineers must be more careful", "we'll pay closer attention": more care as the fix.
VOW = Gated(
    r"\b(?:be|being|been|stay|remain)\s+(?:\w+\s+)?(?:more|extra|doubly|especially|"
    r"particularly|far\s+more|much\s+more|a\s+lot\s+more)\s+(?:careful|vigilant|attentive|"
    r"cautious|diligent|disciplined|thorough|mindful)\b|"
    r"\bpay\s+(?:\w+\s+)?(?:closer|more|better|greater|extra)\s+attention\b|"
    r"\btake\s+(?:more|extra|greater|better)\s+care\b|"
    r"\b(?:been|were|was|be|get|got)\s+reminded\s+(?:\w+\s+)?(?:to|of|about|that)\b",
    key_words(
        "careful vigilant attentive cautious diligent disciplined thorough mindful "
        "attention care reminded"
    ),
)
# A fix of more care discussed rather than prescribed ("telling juniors to be careful is
# not a fix", "urging staff to be more careful").
VOW_DISCUSSED = re.compile(
    r"\b(?:urg\w+|tell\w*|ask\w*)\s+(?:\w+\s+){0,2}to\s+be\b|\bnot\s+(?:a|the)\s+"
    r"(?:fix|answer|solution|remedy)\b|\b(?:won['’]t|doesn['’]t|does\s+not|will\s+not)\s+"
    r"(?:help|work|fix)\b|\bno\s+(?:fix|amount)\b",
    _I,
)
# "Thanks to Maya, who spotted the spike", "thanks to the team who rebuilt it": credit.
CREDITED = re.compile(
    r"[^.;:]{0,40}?\b(?:who|for)\s+(?:\w+\s+){0,2}?(?:noticed|found|spotted|identified|"
    r"discovered|fixed|corrected|flagged|reported|caught|detected|traced|investigated|"
    r"diagnosed|helped|hauled|rebuilt|restored|recovered|worked|stayed|jumped|raised|alerted|"
    r"provid\w+|review\w+|debugged|dug|tracked|kept|pitched|saved|stepped|volunteered|"
    r"help\w*|support\w*|quick\w*|patience|hard\s+work|effort\w*)\b",
    _I,
)
# "Human error" as a concept, a label or a general claim, not the cause of this failure.
HE_CONCEPT = re.compile(
    r"\b(?:refers?\s+to|(?<!-)call(?:s|ed|ing)?|term|concept|theory|label\w*|notion|myth|view|"
    r"views|sees?|treat\w*|take\s+on|perspective|approach|handle|tolerat\w+|eliminat\w+|"
    r"robust|inevitable|always|natural|normal|reasons|contributing\s+factor|symptom|"
    r"if\s+it\s+(?:was|is)|whether|cannot|can['’]t|never\s+(?:the|a|an)|problem\s+as|"
    r"starting\s+point|explanation|conclusion|write|writing|written)\b",
    _I,
)
# A cause stated outright: with these, "human error" is this failure's cause whatever else.
HE_CAUSE = re.compile(
    r"\b(?:caused\s+by|due\s+to|blamed?\s+on|blames|put\s+down\s+to|attributed\s+to|"
    r"trace[sd]?\s+(?:back\s+)?to|down\s+to|result\s+of|root\s+cause|to\s+blame|behind|"
    r"caused|causing|led\s+to|resulted\s+in|triggered|owing\s+to|because\s+of|at\s+the\s+root|"
    r"(?:the|a|its|likely|probable|main|real)\s+(?:\w+\s+)?(?:cause|culprit)|"
    r"pin(?:s|ned)?|chalk\w*\s+(?:\w+\s+){0,3}?up\s+to|case\s+of|focus\w*\s+on|"
    r"(?:closed|categori[sz]ed|classified|marked|logged|filed|recorded|listed|written\s+off)"
    r"\s+as)\b",
    _I,
)
# "The admin was rash", "the operators were too hasty": a character word predicated of
# someone; read only with a person as the subject.
PERSON_TRAIT = Gated(
    r"\b(?:was|were|is|are|been|being|seemed|seems|looked|acted|got)\s+(?:\w+ly\s+|too\s+|so\s+|"
    r"very\s+|a\s+bit\s+|rather\s+|far\s+too\s+)?(?:rash|hasty|impatient|cavalier|cocky|"
    r"arrogant|naive|naïve|gung-ho|trigger-happy|hot-?headed|slapdash|lax|careless|reckless|"
    r"sloppy|negligent|lazy|incompetent|clueless|inept|inexperienced|overconfident|"
    r"over-confident|complacent|inattentive|asleep|useless|hopeless)\b",
    key_words(
        "rash hasty impatient cavalier cocky arrogant naive gung trigger hotheaded hot slapdash "
        "lax careless reckless sloppy negligent lazy incompetent clueless inept inexperienced "
        "overconfident complacent inattentive asleep useless hopeless"
    ),
    also="was were is are been being seemed seems looked acted got",
)
# "Who let this through?", "which of you merged it?", "whose fault is this?": a question
# that looks for a culprit.
CULPRIT_QUESTION = Gated(
    r"\bwho\s+(?:\w+ly\s+)?(?:let|broke|took|ran|made|wrote|did|put|set|sent|forgot|left|"
    r"signed|pushed|merged|approved|deployed|shipped|changed|deleted|dropped|disabled|"
    r"touched|decided|thought|allowed|missed|skipped|ignored|screwed|messed|botched)\b"
    r"[^.!?]*\?|"
    r"\bwhich\s+(?:one\s+)?of\s+(?:you|them|us)\b[^.!?]*\?|"
    r"\bwhose\s+(?:fault|idea|call|change|mistake|decision|doing|bright\s+idea)\b[^.!?]*\?",
    key_words("who which whose"),
    also="let broke took ran made wrote did put set sent forgot left signed pushed merged approved "
    "deployed shipped changed deleted dropped disabled touched decided thought allowed missed "
    "skipped ignored screwed messed botched you them us fault idea call change mistake decision "
    "doing",
)
# "How did nobody catch this?": a question that finds the miss obvious after the fact.
HOW_MISSED = Gated(
    r"\bhow\s+(?:on\s+earth\s+)?(?:did|could|come|was|were|can|do)\s+(?:nobody|no\s+one|"
    r"(?:not\s+)?(?:anyone|anybody|they|you|he|she|the\s+(?:[\w-]+\s+){0,2}?[\w-]+))\s+"
    r"(?:\w+\s+){0,2}?"
    r"(?:catch|notice|see|miss|spot|let|allow|forget|ignore|overlook|think|realise|realize|"
    r"check|test|caught|noticed|seen|missed|spotted|overlooked|realised|realized|checked|"
    r"tested|thought\s+(?:of|to)|known|know)\b",
    key_words("how"),
    also="catch notice see miss spot let allow forget ignore overlook think realise realize "
    "check test caught noticed seen missed spotted overlooked realised realized checked tested "
    "thought known know",
)
# "The company attributed the outage to a slip by an engineer", "put it down to".
ATTRIBUTED = Gated(
    r"\b(?:attribut(?:ed|es|ing)|put\s+(?:\w+\s+){0,3}?down|pinn(?:ed|ing)\s+(?:\w+\s+){0,3}?)"
    r"\s+(?:\w+\s+){0,6}?to\b|\bpinned\s+(?:it|this|that|the\s+\w+)\s+on\b",
    key_words("attributed attributes attributing pinned pinning down"),
    also="to on",
)
# "A single typo brought down half the internet", "the trader's fat-finger error": a
# slip of the hand given as what caused the failure.
ERROR_ACT = Gated(
    r"\b(?:(?:mis-?|incorrectly\s+|wrongly\s+)(?:typed|keyed|entered)\s+[\w-]+|fat-?finger(?:ed|s)?(?:\s+(?:error|trade|order|mistake))?|"
    r"typos?|typing\s+(?:slip|error|mistake)|clumsy\s+keystroke|errant\s+(?:keystroke|"
    r"command|click)|slip-up|slip\s+by)\b",
    key_words(
        "mistyped typed keyed mis fat finger fingered fatfinger typo typos typing clumsy errant "
        "slip misentered mis-keyed"
    ),
)
# What an error act did: a past deed of destruction, not a capability ("can bring down").
ERROR_ACT_CAUSED = re.compile(
    r"\b(?:took|brought|knocked|wiped|deleted|broke|caused|triggered|crashed|opened|sent|"
    r"led\s+to|is\s+what|was\s+what|took\s+out|shut|blacked|wiped|erased|tanked|cost|shook)\b",
    _I,
)
CAPABILITY = re.compile(r"\b(?:can|could|would|might|may|let|lets|if|never|cannot|can['’]t)\b", _I)
# "One technician caused the blackout", "an employee carrying out repairs set off the
# outage": a person as the agent of a verb of causing whose object is the failure.
CAUSED_FAILURE = Gated(
    r"\b(?:triggered|sparked|precipitated|set\s+off|kicked\s+off|led\s+to|resulted\s+in|"
    r"started|brought\s+about|caused)\s+(?:\w+\s+){0,3}?(?:outages?|incidents?|failures?|"
    r"crash|downtime|meltdown|blackout|disruption|derailment|collapse|chaos|breach|fire|"
    r"accident|cascade|catastrophe|disaster)\b(?!\s+(?:procedure|process|plan|playbook|runbook|"
    r"page|window|response|review|channel|call|drill|mode|protocol|report|status|bridge))",
    key_words("triggered sparked precipitated set kicked led resulted started brought caused"),
    also="outage outages incident incidents failure failures crash downtime meltdown blackout "
    "disruption derailment collapse chaos breach fire accident cascade catastrophe disaster",
)
# "Administrator error", "contractor error", "clerical error": a role's error, human error.
ROLE_ERROR = Gated(
    rf"\b(?:{alternation(sorted(ROLES))}|clerical|manual|personnel|crew|carrier)\s+"
    r"(?:error|errors|mistake|mistakes|slip|slip-up|blunder)\b|"
    rf"\b(?:{alternation(sorted(ROLES))}|human|crew|pilot|operator)-(?:caused|induced)\b",
    key_words("error errors mistake mistakes slip blunder caused induced"),
    also=" ".join(sorted(ROLES | {"clerical", "manual", "personnel", "crew", "carrier"})),
)
# Hindsight spoken of as a bias to resist: "it is easy to see afterwards", "reviewers judge
# ...", "shaped by facts nobody could have had", "it only looks obvious".
HINDSIGHT_DISCUSSED = re.compile(
    r"\b(?:easy\s+to\s+(?:see|say|judge|spot)|judge[sd]?|judging|bias\w*|shaped\s+by|"
    r"(?:looks?|seems?|appears?|feels?)\s+(?:\w+\s+)?(?:obvious|clear|plain)|tempting|"
    r"(?:nobody|no\s+one)\s+could\s+have|could(?:\s+not|n['’]t)\s+have\s+known)\b",
    _I,
)

# Judgements, hindsight and vows of care in the shapes people write them (BLM401, BLM501).
# "It is incomprehensible that none of the reviewers noticed", "skipping the canary is
# lunacy", "why anyone would ship that is beyond me": disbelief at what someone did.
INCREDULITY = Gated(
    r"\b(?:incomprehensible|inexplicable|unfathomable|mind-?boggling|baffling|lunacy|madness|"
    r"insane|insanity|crazy|nuts|absurd|ludicrous|beyond\s+me|beyond\s+belief|"
    r"(?:can['’]?t|cannot|could\s+not|couldn['’]t)\s+(?:\w+\s+)?(?:fathom|understand|believe|"
    r"imagine|comprehend|get\s+over)\s+(?:how|why|that|what)|boggles\s+the\s+mind)\b",
    key_words(
        "incomprehensible inexplicable unfathomable boggling mindboggling baffling lunacy "
        "madness insane insanity crazy nuts absurd ludicrous beyond fathom understand believe "
        "imagine comprehend boggles"
    ),
)
# "Someone thought pushing untested code was a good idea", "thought a heads-up was optional".
THOUGHT_FINE = Gated(
    r"\b(?:thought|thinks|figured|decided|assumed|deemed)\s+(?:that\s+)?(?:[^.;:!?]{0,70}?\s+)?"
    r"(?:was|were|is|would\s+be)\s+(?:(?:a|such\s+a)\s+(?:good|great|smart|bright|clever|fine|"
    r"sensible|reasonable)\s+(?:idea|plan|move)|optional|unnecessary|overkill)\b",
    key_words("thought thinks figured decided assumed deemed"),
    also="idea plan move optional unnecessary overkill",
)
# "What were they thinking?", "what the operator was thinking, one can only guess".
WHAT_THINKING = Gated(
    r"\bwhat\s+(?:on\s+earth\s+|in\s+the\s+world\s+|the\s+hell\s+)?(?:(?:was|were|is|are)\s+"
    r"(?:[\w'’-]+\s+){1,3}?thinking|(?:[\w'’-]+\s+){1,3}?(?:was|were)\s+thinking)\b",
    key_words("thinking"),
    also="what",
)
# "Why would they push it on a Friday?", "why on earth did anyone approve it?".
WHY_WOULD = Gated(
    r"\bwhy\s+(?:on\s+earth\s+|in\s+the\s+world\s+|the\s+hell\s+|oh\s+why\s+)?"
    r"(?P<aux>would|wouldn['’]t|did|didn['’]t|do|does|is|are|was|were)\s+"
    r"(?P<who>(?:[\w@'’-]+\s+){1,3}?)(?:\w+\s+)?[\w-]+\b[^.!?]*\?",
    key_words("why"),
    also="would wouldn earth world hell",
)
# "Is there really nobody on staff who checks?", "does nobody test anything any more?".
NOBODY_QUESTION = Gated(
    r"\b(?:is|was)\s+there\s+(?:really\s+|honestly\s+|seriously\s+|even\s+)?(?:nobody|no\s+one|"
    r"not\s+(?:a\s+single|one)\s+[\w-]+)\b[^.!?]*\?|"
    r"\b(?:does|did|do|has|had)\s+(?:really\s+)?(?:nobody|no\s+one)\s+(?:\w+\s+)?(?:test|tests|"
    r"check|checks|review|reviews|think|read|look|care|know|proofread|notice|bother)\b[^.!?]*\?|"
    r"\b(?:doesn['’]t|don['’]t|didn['’]t|does\s+not|did\s+not)\s+(?:anyone|anybody)\s+"
    r"(?:\w+\s+)?(?:test|check|review|think|read|look|care|know|proofread|notice|bother)\b"
    r"[^.!?]*\?",
    key_words("nobody one anyone anybody"),
    also="there does did do has had doesn don didn",
)
# "How did this get past review?", "how does a miss like that even happen?".
HOW_THROUGH = Gated(
    r"\bhow\s+(?:on\s+earth\s+|the\s+hell\s+)?(?:did|does|do|could|can|would|was|is)\s+"
    r"(?:(?:this|that|it|something\s+like\s+(?:this|that)|(?:a|an|the)\s+(?:[\w-]+\s+){1,3}?"
    r"like\s+(?:this|that))\s+(?:\w+\s+)?(?:get|slip|sneak|make\s+it|go|end\s+up)\s+"
    r"(?:through|past|by|into|out|unnoticed|live|to\s+prod\w*)|"
    r"(?:a|an|something)\s+(?:[\w-]+\s+){0,3}?like\s+(?:this|that)\s+(?:\w+\s+)?happen)\b"
    r"[^.!]*(?:\?|beyond\s+me)|"
    r"\bhow\s+(?:is|was|can|could)\s+(?:it|this)\s+(?:be\s+)?possible\s+that\b[^.!?]*\b(?:anyone|"
    r"anybody|nobody|no\s+one)\b[^.!?]*\?",
    key_words("how"),
    also="get slip sneak make go end happen possible",
)
# "In hindsight it was predictable that the cache would fill", "was always going to break".
FORESEEABLE_THAT = Gated(
    r"\b(?:it|this|that)\s+(?:was|were|should\s+have\s+been|had\s+been)\s+(?:\w+ly\s+|all\s+"
    r"too\s+)?(?:predictable|foreseeable|inevitable|a\s+given)\s+that\b|"
    r"\b(?:was|were)\s+always\s+going\s+to\s+(?:\w+\s+)?(?:fail|break|happen|end\s+badly|"
    r"go\s+wrong|bite|blow\s+up|fall\s+over|crash|collapse)\b|"
    r"\bknew\s+(?:it\s+|this\s+)?all\s+along\b|"
    r"\b(?:was|were|is|are)\s+(?:only\s+|just\s+|always\s+)?bound\s+to\s+(?:happen|fail|break|"
    r"go\s+wrong|end\s+badly|blow\s+up|bite)\b|"
    r"\b(?:was|were)\s+(?:\w+\s+){0,2}?(?:accident|disaster|outage|failure|catastrophe|"
    r"incident)\s+waiting\s+to\s+happen\b|"
    r"\b(?:surprised|shocked)\s+(?:absolutely\s+)?(?:no\s+one|nobody)\b|"
    r"\b(?:came\s+as|was|is)\s+no\s+surprise\s+to\s+(?:anyone|anybody|those|people)\b|"
    r"\btold\s+(?:you|them|him|her|everyone)\s+so\b|"
    r"\b(?:obvious|clear|evident|apparent|plain)\s+to\s+(?:anyone|anybody|everyone|everybody|"
    r"any\s+[\w-]+)\b(?![^.!?]*\?)|"
    r"\bnot\s+(?:as\s+(?:if|though)|like)\s+(?:[\w'’-]+\s+){1,5}?(?:didn['’]t|did\s+not|had\s+no|"
    r"weren['’]t|wasn['’]t|isn['’]t|aren['’]t|is|are|was|were)\s+(?:\w+\s+)?(?:know|aware|"
    r"unaware|warned|told|idea|clue)\b",
    key_words(
        "predictable foreseeable inevitable given always knew obvious clear evident apparent "
        "plain as though like bound waiting surprised shocked surprise told"
    ),
)
# "The risks were well known for years", "despite repeated warnings", "had been warned
# about exactly this", "a disaster in the making": what people knew, read back after the fact.
KNOWN_RISK = Gated(
    r"\b(?:risks?|dangers?|problems?|flaws?|issues?|weakness(?:es)?|vulnerabilit(?:y|ies)|"
    r"shortcomings?|defects?|hazards?|gaps?|limitations?|this|it)\s+(?:[\w'’-]+\s+){0,5}?"
    r"(?:was|were|had\s+been)\s+(?:\w+ly\s+|all\s+)?(?:well[- ]known|well[- ]documented|"
    r"long[- ]known|widely\s+known|common\s+knowledge|an\s+open\s+secret|known\s+(?:about\s+)?"
    r"(?:for|since)\s+(?:years|months|decades|a\s+long\s+time|ages|\d{4})|flagged\s+(?:repeatedly|"
    r"many\s+times|for\s+years|years\s+ago|again\s+and\s+again)|raised\s+(?:repeatedly|"
    r"many\s+times|for\s+years|years\s+ago|again\s+and\s+again))\b|"
    r"\bdespite\s+(?:repeated|numerous|multiple|many|several|years\s+of|months\s+of|clear|"
    r"explicit|earlier|prior)\s+(?:\w+\s+)?warnings\b|"
    r"\b(?:had|have|has)\s+been\s+(?:repeatedly\s+)?warned\s+(?:repeatedly|for\s+years|many\s+times|"
    r"again\s+and\s+again|about\s+(?:this|it|exactly))\b|"
    r"\b(?:disaster|catastrophe|outage|failure|meltdown|crisis)\s+in\s+the\s+making\b|"
    r"\bsurprise,?\s+surprise\b|\bcolou?r\s+me\s+(?:surprised|shocked)\b",
    key_words(
        "known documented widely knowledge secret flagged raised despite warned making surprise "
        "color colour"
    ),
)
# "Anyone looking at the graphs should have seen it", "even a junior knows to test".
ANYONE_SHOULD = Gated(
    r"\b(?:anyone|anybody|everyone|everybody)\s+(?:(?!whether\b|if\b|ask\w*\b|wonder\w*\b)"
    r"[\w'’-]+\s+){1,6}?(?:would|could|should)\s+"
    r"have\s+(?:\w+\s+)?(?:seen|noticed|known|caught|spotted|realised|realized|recognised|"
    r"recognized|predicted|foreseen|flagged|raised)\b|"
    r"\bany\s+(?:[\w-]+\s+){3}(?:would|could|should)\s+(?:have\s+)?(?:\w+\s+)?(?:seen|noticed|"
    r"known|caught|spotted|realised|realized|recognised|recognized|know|see|notice|catch|spot)\b|"
    r"\beven\s+(?:a|an|the|tiny|small|junior|new|first-year)\s+(?:[\w-]+\s+){0,3}?(?:knows?|"
    r"gets?|get|understands?|understand|would\s+(?:know|have\s+known|understand|have\s+caught|have\s+noticed|"
    r"have\s+spotted|have\s+seen))\s+(?:to|that|why|how|not|better|what|this|it)\b|"
    r"\b(?:anyone|anybody|everyone|everybody)\s+(?:[\w'’-]+\s+){0,5}?knows\s+(?:to|that|not\s+to|"
    r"better|you)\b|"
    r"\bany\s+(?:competent|reasonable|sensible|decent|halfway\s+competent|half-decent|good|"
    r"experienced|qualified|careful|responsible|self-respecting)\s+(?:[\w-]+\s+){0,2}?(?:would|"
    r"should)\s+have\s+[\w-]+",
    key_words("anyone anybody everyone everybody any even"),
    also="would could should knows know gets get understands understand",
)
# "The operators weren't competent to run it", "had no idea what he was doing", "was in
# over her head": a person's competence judged; read only with a person as the subject.
INCOMPETENT = Gated(
    r"(?:\b|(?=n['’]t))(?:(?:not|n['’]t|never)\s+(?:\w+ly\s+)?(?:competent|qualified)\s+(?:enough\s+)?"
    r"(?:to|for)\s+(?:run|do|handle|deal|operate|manage|the\s+job|the\s+task|the\s+role|it)|"
    r"in\s+over\s+(?:his|her|their|my|our)\s+heads?|"
    r"(?:had|have|has)\s+no\s+(?:idea|clue)\s+what\s+(?:he|she|they|i|we|you)\s+(?:was|were|"
    r"are|is|am)\s+doing|"
    r"(?:didn['’]t|did\s+not|don['’]t|do\s+not|doesn['’]t|does\s+not)\s+know\s+what\s+(?:he|"
    r"she|they|i|we|you)\s+(?:was|were|are|is|am)\s+doing|"
    r"(?:hasn['’]t|haven['’]t|has\s+not|have\s+not|doesn['’]t|don['’]t|didn['’]t)\s+(?:had\s+|"
    r"have\s+|got\s+)?a\s+clue|"
    r"(?:didn['’]t|did\s+not|never)\s+(?:really|fully|even|properly|truly|quite)\s+"
    r"(?:understand|grasp|know)|"
    r"(?:mishandled|mismanaged|bungled|fluffed|flubbed)|"
    r"(?:was|were|is|are|seemed|seems)\s+(?:\w+ly\s+|so\s+|too\s+)?(?:unbothered|cavalier|"
    r"shambolic|out\s+of\s+touch|asleep|half\s+asleep|oblivious|useless|hopeless|inept|"
    r"clueless)|"
    r"(?:responded|reacted|acted|noticed|intervened|realised|realized|escalated|stepped\s+in|"
    r"caught\s+on|snapped\s+out\s+of\s+it|woke\s+up)\s+(?:far\s+|much\s+|way\s+)?too\s+"
    r"(?:late|slowly)|too\s+little,?\s+too\s+late|"
    r"how\s+little\s+(?:he|she|they|we|i|you|it)\s+(?:knew|understood|cared)|"
    r"(?:whether|if)\s+(?:[\w'’-]+\s+){1,6}?(?:are|is|were|was)\s+(?:really\s+)?up\s+to\s+"
    r"(?:the\s+job|the\s+task|scratch|dealing|handling|running|coping)|"
    r"(?:not|n['’]t)\s+up\s+to\s+(?:the\s+job|the\s+task|scratch|dealing|handling|running|"
    r"coping))\b",
    key_words(
        "competent qualified scratch dealing handling running coping job task head heads idea "
        "clue know understand grasp mishandled "
        "mismanaged bungled fluffed flubbed unbothered cavalier shambolic touch asleep "
        "oblivious useless hopeless inept clueless late slowly little"
    ),
)
# "The engineer was too eager to ship", "the responder panicked", "the reviewer
# rubber-stamped it", "blindly trusted the autocomplete": a person's conduct or character
# judged; read only with a person as the subject.
CONDUCT = Gated(
    r"\b(?:(?:was|were|is|are|got|get|seemed|seems|being|been)\s+(?:far\s+|much\s+|way\s+|"
    r"a\s+bit\s+|a\s+little\s+|just\s+|simply\s+)?too\s+(?:eager|quick|keen|hasty|trusting|"
    r"proud|confident|sure|impatient|lazy|arrogant|stubborn|casual|relaxed|cavalier|comfortable|"
    r"complacent|careless|cocky|trigger-happy|gung-ho|clever|smart)\b|"
    r"panick?ed|lost\s+(?:his|her|their|my|our)\s+(?:head|cool|nerve|temper)|"
    r"went\s+(?:rogue|cowboy|off-script|off\s+script)|rubber-?stamp(?:ed|s|ing)?|"
    r"waved\s+(?:it|the\s+[\w-]+|[\w-]+)\s+through|"
    r"(?:barely|hardly|only|just)\s+(?:glanced|skimmed|looked)\s+(?:at|over|through)|"
    r"skimmed\s+(?:the|over|through)|"
    r"blindly\s+(?:trusted|followed|copied|ran|accepted|clicked|pasted|applied|assumed)|"
    r"without\s+(?:a\s+second\s+thought|a\s+moment['’]s\s+thought|thinking\s+twice)|"
    r"(?:didn['’]t|did\s+not|never)\s+(?:even\s+)?think\s+twice|half-?hearted(?:ly)?|"
    r"hung\s*-?over|cut\s+every\s+corner|know-?it-?alls?|"
    r"thought\s+(?:he|she|they|i|we|you)\s+knew\s+(?:better|best)|"
    r"(?:out\s+of|from|through)\s+(?:sheer\s+|pure\s+)?(?:spite|laziness|arrogance|malice|greed|"
    r"ego|vanity|indifference|apathy|impatience))\b",
    key_words(
        "eager quick keen hasty trusting proud confident sure impatient lazy arrogant stubborn "
        "casual relaxed cavalier comfortable complacent careless cocky trigger gung clever smart "
        "panicked panicked head cool nerve temper rogue cowboy script rubber rubberstamped "
        "stamped stamp stamping waved glanced skimmed looked blindly second moment twice "
        "think halfhearted hearted half hungover hung corner know knew spite laziness "
        "arrogance malice greed ego vanity indifference apathy impatience"
    ),
)
# "We will remind staff to double-check", "operators should re-read the policy", "please
# double-check the branch", "remind everyone that ...": more care asked of people as a fix.
CARE_ASKED = Gated(
    r"\b(?:will|['’]ll|shall|must|should|are\s+going\s+to|plan\s+to|intend\s+to|need\s+to|"
    r"needs\s+to|has\s+to|have\s+to)\s+(?:also\s+)?(?P<verb>remind|tell|ask|instruct|urge|"
    r"encourage)\s+(?P<who>(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:to|that|of|about)\b|"
    r"(?:^|^[\w\s-]{1,20}:\s*)\W*(?:please\s+)?remind\s+(?P<who2>everyone|everybody|all|staff|"
    r"people|the\s+team|teams|engineers|operators|developers|reviewers|on-?call\w*)\s+"
    r"(?:to\b|(?:that|of|about)\b(?=[^.;]*\b(?:must|should|always|never|need\s+to|has\s+to|"
    r"have\s+to|check|verify|confirm|double-?check)\b))|"
    r"\b(?:double|triple)-?check\s+(?:that\s+)?(?:you|your)\b|"
    r"\b(?P<modal>should|must|need\s+to|needs\s+to|have\s+to|has\s+to|are\s+expected\s+to|"
    r"is\s+expected\s+to|are\s+required\s+to|will\s+be\s+expected\s+to)\s+(?:always\s+|all\s+|"
    r"now\s+)?(?:re-?read|double-?check|triple-?check|re-?check|remember\s+to|take\s+(?:more\s+|"
    r"extra\s+|greater\s+)?care|be\s+sure\s+to|think\s+twice|slow\s+down|stay\s+alert)\b|"
    r"\b(?:we|i)(?:['’]ll|\s+will|\s+shall|\s+are\s+going\s+to|['’]re\s+going\s+to)\s+"
    r"(?:try\s+(?:hard\s+|harder\s+)?to\s+|make\s+sure\s+to\s+|be\s+sure\s+to\s+)?(?:avoid|not\s+repeat|"
    r"not\s+do|watch\s+out\s+for)\s+(?:it|this|that|such\s+\w+|the\s+same\s+\w+)\s+(?:next\s+time|"
    r"in\s+(?:the\s+)?future|again|from\s+now\s+on|going\s+forward)\b|"
    r"\bmake\s+sure\s+(?:that\s+)?(?P<who3>(?:the\s+|all\s+|our\s+|every\s+|each\s+)?[\w-]+)\s+"
    r"(?:always\s+|carefully\s+)?(?:double-?checks?|triple-?checks?|re-?reads?|pays?\s+(?:more\s+|"
    r"closer\s+)?attention|takes?\s+(?:more\s+|extra\s+)?care|(?:is|are)\s+(?:more\s+)?careful)\b|"
    r"\b(?P<passive>is|are|were|was|have\s+been|has\s+been|will\s+be)\s+(?:again\s+|now\s+|"
    r"all\s+)?(?:reminded|told|instructed|urged|asked|encouraged)\s+(?:again\s+)?to\s+(?:always\s+)?"
    r"(?:follow|double-?check|triple-?check|check|verify|re-?read|read|confirm|take\s+care|"
    r"be\s+careful|pay\s+attention|stick\s+to|adhere\s+to|comply\s+with)\b|"
    r"^\W*(?:lessons?\s+learn(?:ed|t)|note\s+to\s+self|takeaway)\s*[:,-]\s*(?:always\s+|never\s+)"
    r"(?:double-?check|triple-?check|check|read|verify|look|think)\b|"
    r"\bplease\s+(?:don['’]t|do\s+not|never)\s+(?:ever\s+)?[\w-]+\b[^.;!?]{0,60}?\bagain\b|"
    r"\bplease\s+(?:always\s+)?(?:double-?check|triple-?check|re-?read|be\s+(?:more\s+)?careful|"
    r"be\s+sure\s+to|remember\s+to|pay\s+attention|take\s+(?:more\s+)?care|think\s+twice|"
    r"make\s+sure\s+(?:you|to|that\s+you))\b",
    key_words(
        "remind tell ask instruct urge encourage reread read doublecheck double check triplecheck "
        "triple recheck remember care sure twice slow alert please avoid repeat watch reminded "
        "told instructed urged asked encouraged lesson lessons note takeaway"
    ),
)
# "MPs criticised the chief executive over his handling", "customers blasted the staff for
# leaving them in the dark": criticism of a person or company, reported.
CRITICISED = Gated(
    r"\b(?P<verb>critici[sz](?:ed|es|ing)|slamm(?:ed|ing)|slams|blast(?:ed|ing|s)|"
    r"lambast(?:ed|ing|s)|condemn(?:ed|ing|s)|castigat(?:ed|ing|es)|berat(?:ed|ing|es)|"
    r"rebuk(?:ed|ing|es)|chastis(?:ed|ing|es)|censur(?:ed|ing|es)|"
    r"(?:tore|tears|tearing)\s+into|hit\s+out\s+at|hits\s+out\s+at|rounded\s+on|"
    r"took\s+(?:\w+\s+){1,3}?to\s+task)\s+(?P<rest>[^.;:!?]{0,80}?)\s+(?:for|over)\s+",
    key_words(
        "criticised criticized criticises criticizes criticising criticizing slammed slamming "
        "slams blasted blasting blasts lambasted lambasting lambasts condemned condemning "
        "condemns castigated berated rebuked chastised censured tore tears tearing hit hits "
        "rounded task"
    ),
    also="for over",
)
# "The engineer needs more training", "staff were sent for retraining": a person's
# training as the fix for what they did.
TRAINING_FIX = Gated(
    r"\b(?:needs?|needed|require[sd]?|could\s+(?:do\s+with|use)|will\s+(?:receive|get|undergo)|"
    r"(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+(?:being\s+)?(?:given|sent\s+"
    r"(?:on|for|to)))\s+(?:some\s+)?(?:more|better|proper|additional|extra|remedial|refresher|"
    r"further)\s+training\b|"
    r"\b(?:is|are|was|were|has\s+been|have\s+been|will\s+be|be|been|being|get|got)\s+"
    r"(?:\w+ly\s+)?re-?(?:trained|educated)\b|\b(?:remedial|refresher)\s+training\b",
    key_words("training retrained trained reeducated educated remedial refresher"),
)
# "Which genius turned off the alerts?", "who on earth approved that?", "who is responsible
# for this mess?", "so who's getting fired?": a question that looks for a culprit.
CULPRIT_ASKED = Gated(
    r"\b(?:which|what)\s+(?:genius|bright\s+spark|idiot|clown|muppet|numpty|moron|joker|"
    r"wise\s+guy|smart\s+alec|wiseguy|hero|absolute\s+legend|mastermind)\b[^.!?]*\?|"
    r"\bwho\s+(?:on\s+earth|the\s+hell|in\s+the\s+world|in\s+their\s+right\s+mind|exactly)\s+"
    r"(?!(?:is|was|are|were)\s+on\s+call\b)[\w'’-]+[^.!?]*\?|"
    r"\bwho(?:['’]s|\s+is|\s+was|\s+will\s+be|\s+are)\s+(?:\w+ly\s+)?(?:responsible|to\s+blame|"
    r"at\s+fault|accountable|answerable)\s+(?:for\s+)?(?:this|that|the\s+(?:mess|outage|"
    r"screw-?up|fiasco|disaster|downtime|incident|breach|breakage|failure))\b[^.!?]*\?|"
    r"\bwho(?:['’]s|\s+is|\s+will\s+be|\s+are)\s+(?:getting|going\s+to\s+(?:get|be))\s+"
    r"(?:fired|sacked|canned|the\s+blame|the\s+boot|the\s+sack|disciplined|punished)\b",
    key_words(
        "which what who genius spark idiot clown muppet numpty moron joker wise smart wiseguy "
        "hero legend mastermind earth hell world mind exactly responsible blame fault "
        "accountable answerable fired sacked canned boot sack disciplined punished"
    ),
    also="genius spark idiot clown muppet numpty moron joker wise smart wiseguy hero legend "
    "mastermind earth hell world mind exactly responsible blame fault accountable answerable "
    "fired sacked canned boot sack disciplined punished",
)
# "Heads should roll", "he deserves to be fired", "somebody needs to lose their job".
PUNISH_CALL = Gated(
    r"\bheads?\s+(?:should|must|need\s+to|needs\s+to|will|ought\s+to|have\s+to|are\s+going\s+to)"
    r"\s+roll\b|"
    r"\b(?:should|must|needs?\s+to|ought\s+to|deserves?\s+to|has\s+to|have\s+to)\s+(?:\w+\s+)?"
    r"(?:be\s+(?:fired|sacked|dismissed|punished|disciplined|let\s+go|held\s+(?:personally\s+)?"
    r"accountable|held\s+responsible|named\s+and\s+shamed|prosecuted|jailed|canned)|"
    r"lose\s+(?:his|her|their|your|my|a|the)\s+(?:jobs?|access|bonus|badge|commit\s+rights)|get\s+(?:fired|sacked|canned|the\s+sack|"
    r"the\s+boot))\b|"
    r"\b(?:fire|sack|can)\s+(?:the\s+(?:[\w-]+\s+){0,2}?(?:who|responsible)|whoever|him|her|them|"
    r"the\s+lot\s+of\s+them)\b|"
    r"\b(?:needs?|should|must|deserves?\s+to)\s+(?:have\s+)?(?:his|her|their|your)\s+(?:[\w-]+\s+)?"
    r"(?:rights|access|keys|privileges|permissions|badge)\s+(?:taken\s+away|revoked|removed|"
    r"pulled|stripped)\b|"
    r"\bdock(?:ed|ing)?\s+(?:the\s+)?(?:bonus|bonuses|pay|wages)\b|\byou['’]re\s+(?:so\s+)?fired\b",
    key_words(
        "heads head should must needs need ought deserves deserve fire sack docked docking dock "
        "fired"
    ),
    also="roll fired sacked dismissed punished disciplined let accountable responsible shamed "
    "prosecuted jailed canned lose get who whoever him her them lot bonus bonuses pay wages re "
    "rights access keys privileges permissions badge",
)


# --- a person's deed and what it did (person.py) -----------------------------------------

# "..., which took the site down", "..., cutting the phone system", "... and half the web
# went down": what follows a deed and makes it the cause of a failure.
DEED_OUTCOME = Gated(
    r"(?:,\s+(?:which|thereby)|,?\s+and\s+(?:this|that|it|so))\s+(?:\w+\s+){0,2}?(?:caused|broke|"
    r"crashed|wiped|destroyed|corrupted|triggered|led\s+to|resulted\s+in|cut|shut|killed|"
    r"cost|plunged|blacked|tripped|disrupted|"
    r"(?:took|brought|knocked|made|left|locked)\s+(?:[\w-]+\s+){0,4}?(?:down|out|offline|over|"
    r"fail|crash|break|unavailable|unusable|unreachable|without|stranded|dark))\b|"
    r",\s+(?:thereby\s+)?(?:tripping|plunging|wiping|causing|crashing|breaking|triggering|"
    r"blacking|destroying|corrupting|disrupting|flooding|overloading|overwhelming|crippling|"
    r"stranding|grounding|halting|"
    r"(?:taking|bringing|knocking|shutting|locking|leaving|cutting)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:down|out|offline|off|over|without|stranded|dark|power|phones?))\b|"
    r"\s+and\s+(?:then\s+)?(?:wiped|destroyed|crashed|broke|caused|triggered|plunged|"
    r"blacked|corrupted|tripped|flooded|crippled|"
    # "... and killed every phone call": a damage to all of something.
    r"(?:killed|cut|shut|dropped|stopped|broke)\s+(?:off\s+|out\s+|down\s+)?(?:every|all|"
    r"the\s+whole|the\s+entire|half|most)\b|"
    r"(?:took|brought|knocked|locked)\s+(?:[\w-]+\s+){0,4}?(?:down|out|offline|over))\b|"
    r",?\s+and\s+(?:[\w-]+\s+){1,6}?(?:went\s+(?:down|offline|dark|black|out)|crashed|failed|"
    r"fell\s+over|stopped\s+working|died|cooked|melted)\b",
    key_words(
        "which thereby took brought knocked caused broke crashed wiped destroyed corrupted "
        "triggered led resulted made cut shut locked killed cost plunged left blacked "
        "tripped disrupted taking bringing knocking cutting tripping shutting plunging locking "
        "wiping causing crashing breaking triggering killing blacking destroying corrupting "
        "disrupting leaving went failed fell stopped died cooked melted flooding overloading "
        "overwhelming crippling stranding grounding halting flooded crippled dropped"
    ),
)
# What a fix brings down: "which brought the error rate down" is a recovery, not a failure.
RECOVERY = re.compile(
    r"\b(?:rates?|latency|load|errors?|queues?|backlog|lag|usage|costs?|number|count|times?|"
    r"pressure|temperature|noise|spikes?|alerts?)\b",
    _I,
)
# "A broker typed three hundred million instead of three million": a slip of the object.
INSTEAD_OF_THING = Gated(
    r"\binstead\s+of\s+(?!(?:\w+ing|being|doing)\b)", key_words("instead"), also="of"
)
# "The outage was the line crew's doing".
DOING = Gated(
    r"\b(?:was|is|were|are)\s+(?:all\s+|entirely\s+|largely\s+|partly\s+)?(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?P<owner>[^\W\d_][\w.-]*)['’]s\s+doing\b",
    key_words("doing"),
)
# "One specific person was behind the outage".
BEHIND = Gated(
    rf"\b(?:was|were|is|are)\s+(?:\w+ly\s+)?behind\s+(?:the|this|that|these|those|its|our|"
    rf"their|yesterday['’]s|today['’]s)?\s*(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{alternation(FAILURE_NOUNS)}|blackouts?|meltdowns?|crash(?:es)?|breach(?:es)?)\b",
    key_words("behind"),
)
# "The manufacturer placed the blame squarely on the pilots", "putting the blame on".
BLAME_PLACED = Gated(
    r"\b(?:plac|put|lay|laid|shift|pinn|heap|lump|dump)\w*\s+(?:the\s+|all\s+(?:of\s+)?the\s+|"
    r"much\s+of\s+the\s+|most\s+of\s+the\s+|some\s+of\s+the\s+|part\s+of\s+the\s+)?blame\s+"
    r"(?:for\s+[^,.;]{1,50}?\s+)?(?:\w+ly\s+)?(?:on|at)\s+",
    key_words("blame"),
    also="placed placing places put puts putting lay lays laid laying shifted shifting "
    "shifts pinned pinning heaped heaping lumped dumped",
)
# "A failure by its communications unit", "decisions by the crew were leading causes".
FAILURE_BY = Gated(
    r"\b(?:failures?|failings?|decisions?|actions?|negligence|carelessness|misconduct|"
    r"incompetence|inaction)\s+(?:\w+\s+)?(?:made\s+|taken\s+|committed\s+)?by\s+",
    key_words(
        "failure failures failing failings decision decisions action actions negligence "
        "carelessness misconduct incompetence inaction"
    ),
    also="by",
)
# "Without either crew member doing anything to correct it": an omission by a person.
WITHOUT_PERSON = Gated(
    r"\bwithout\s+(?:any\s+|either\s+|the\s+|a\s+|an\s+|its\s+|their\s+|his\s+|her\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?P<who>[\w-]+)\s+(?:\w+ly\s+)?(?:doing|checking|testing|telling|"
    r"noticing|asking|informing|notifying|warning|reviewing|verifying|reading|consulting|"
    r"following|looking|acting|responding|intervening|saying)\b",
    key_words("without"),
)
# "The nurse breached the standard of care", "the host failed in its duty": legal fault.
BREACHED = Gated(
    r"\b(?:breached|breaches|breaching|violated|violates|failed\s+in|derelict\s+in)\s+"
    r"(?:its|their|his|her|the|a|our|my)\s+(?:[\w-]+\s+){0,2}?(?:duty|duties|standard\s+of\s+"
    r"care|obligations?|contract|agreement|sla|responsibilit(?:y|ies)|procedures?|policy|"
    r"policies|rules|terms)\b",
    key_words("breached breaches breaching violated violates failed derelict"),
    also="duty duties care obligation obligations contract agreement sla responsibility "
    "responsibilities procedure procedures policy policies rules terms",
)
# "The contractor's failure to isolate the panel", "his failure to check": a person's
# omission as a noun, whatever the verb.
POSS_FAILURE_TO = Gated(
    r"(?:\b(?P<pron>their|his|her|my)|(?P<owner>[^\W\d_][\w.-]*)['’]s)\s+(?:\w+\s+)?"
    r"(?:failures?|failings?|refusals?)\s+to\s+(?:\w+ly\s+)?[a-z]+",
    key_words("failure failures failing failings refusal refusals"),
    also="to",
)
# "The vendor fell short of its obligations", "the crew's work fell short of the standard".
FELL_SHORT = Gated(
    r"\b(?:fell|falls|fall|fallen)\s+(?:well\s+|far\s+)?short\s+of\s+(?:[\w-]+\s+){0,3}?"
    r"(?:standards?|expectations|obligations|requirements|duty|duties|practice|procedures?)\b",
    key_words("short"),
    also="fell falls fall fallen",
)
# "The night nurse did not read the label", "the vendor didn't do an incremental rollout":
# any deed a person did not do, except what befalls them or what they knew or meant.
DID_NOT = Gated(
    r"\b(?:did\s+not|didn['’]t)\s+(?:\w+ly\s+|even\s+|once\s+)?(?!(?:receive|get|need|have|"
    r"know|see|hear|expect|intend|want|mean|seem|appear|exist|happen|occur|work|help|matter|"
    r"affect|impact|reach|remember|understand|think|believe|feel|like|mind|care|lose|break|"
    r"fail|go|come|say|realise|realize|notice|find|recognise|recognize|anticipate|foresee|"
    r"experience|suffer|encounter|show|look|sound|last|take|make|apply|be|bother|is|are|was|"
    r"were|trust|doubt|agree|wish|plan|do|been|had|yet|always|ever)\b)[a-z]+\b",
    key_words("not didn"),
    also="did didn",
)
# "Key tests were cut back or skipped", "the canary stage was bypassed": a step people
# are meant to take, left out (read only when the step is the subject).
STEP_SKIPPED = Gated(
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+){0,3}?(?:skipped|bypassed|"
    r"circumvented|waived|cut\s+short)\b",
    key_words("skipped bypassed circumvented waived short"),
)
# "An engineer made a config slip", "she made two typos in the zone file".
MADE_SLIP = Gated(
    r"\bmade\s+(?:a|an|the|one|two|three|several|a\s+few|another|some)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:mistakes?|errors?|slips?|slip-ups?|typos?|blunders?|misjudge?ments?|mess)\b",
    key_words("mistake mistakes error errors slip slips typo typos blunder blunders mess"),
    also="made",
)
# "The DBA dropped the production database", "he wiped every server", "she deleted the
# backups": a destructive act on what people depend on, done by a person.
DESTROYED = Gated(
    r"\b(?:deleted|dropped|wiped|erased|destroyed|truncated|purged|nuked|overwrote|"
    r"overwritten|formatted)\s+(?:out\s+)?(?:(?:the|our|their|his|her|its)\s+)?(?:(?:production|"
    r"prod|live|master|primary|main|remote|customer|customers['’]?|entire|whole)\s+)(?:[\w-]+\s+)?"
    r"(?:database|databases|db|cluster|table|tables|data|backups?|records|servers?|repository|"
    r"repo|disk|drive|bucket|index)\b|"
    r"\b(?:deleted|dropped|wiped|erased|destroyed|truncated|purged|nuked)\s+(?:every|all|"
    r"everything)\b|"
    r"\bplunged\s+(?:[\w-]+\s+){1,4}?into\s+(?:darkness|chaos|the\s+dark)\b|"
    r"\bcost\s+(?:the|his|her|their|its|our)\s+(?:company|bank|firm|employer|business|"
    r"client|customer)\b|"
    r"\blocked\s+(?:everyone|everybody|all|every|the\s+whole|half|customers|users)\s+"
    r"(?:[\w-]+\s+){0,2}?out\b|"
    # "switched off both layers of protection": every safeguard of a kind taken away.
    r"\b(?:disabled|switched\s+off|turned\s+off|removed|bypassed|defeated|overrode)\s+"
    r"(?:both|all|every|each|the\s+only)\s+(?:[\w-]+\s+){0,3}?(?:protection|safeguards?|"
    r"safety|relays?|alarms?|interlocks?|backups?|failovers?|breakers?)\b",
    key_words(
        "deleted dropped wiped erased destroyed truncated purged nuked overwrote overwritten "
        "formatted plunged cost locked disabled switched turned removed bypassed defeated "
        "overrode"
    ),
)
# "The then chief officer's actions played a key role in the delay", "his decision
# contributed to the outage".
ROLE_IN = Gated(
    rf"\b(?:played\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:role|part)\s+in|contributed\s+"
    rf"(?:\w+ly\s+)?to)\s+(?:the|this|that|its|our|their|a)?\s*(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{alternation(FAILURE_NOUNS)}|delays?|blackouts?|meltdowns?|crash(?:es)?|"
    rf"breach(?:es)?|losses?|accidents?|collapse|disaster)\b",
    key_words("played contributed"),
)
# "Someone made a massive change and told absolutely nobody".
TOLD_NOBODY = Gated(
    r"\b(?:told|informed|warned|asked|notified|consulted|alerted|tells|informs|warns)\s+"
    r"(?:absolutely\s+|literally\s+)?(?:nobody|no\s+one|no-one)\b",
    key_words("nobody one"),
    also="told informed warned asked notified consulted alerted tells informs warns",
)
# "Nobody from the facilities division told IT", "no one on the client's side acted on the
# notices": an omission pinned on a team or organisation named by where its people sit.
NOBODY_FROM = Gated(
    r"\b(?:nobody|no\s+one|no-one|none\s+of\s+the\s+[\w-]+)\s+(?:from|on|at|in)\s+"
    r"(?:the\s+|our\s+|their\s+)?(?:[\w'’-]+\s+){1,3}?(?:\w+ly\s+)?(?:acted|told|checked|warned|"
    r"noticed|responded|replied|bothered|followed|read|looked|called|escalated|informed|"
    r"tested|reviewed|answered|picked|raised|flagged|mentioned|said|thought)\b",
    key_words("nobody one"),
    also="from on at in",
)
# --- end of the person.py patterns ---
