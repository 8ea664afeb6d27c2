"""Guards: constructions in which blame words lay no blame, read after every family has run.

A family of checks finds a blame cue (a person before "caused", "should have", "careless")
in a sentence. Some constructions around the cue make the sentence assert no fault, whatever
rule found it, so they are read here once, over every finding, rather than in each family:

- a supposition: an open conditional ("if the operator's negligence contributed, its waivers
  may not hold"), a general "when" in the present ("when an admin gets something wrong ...");
- a general statement about a practice: a generic subject in the present ("investigators
  frequently slip it into findings", "everyone blames the pilot", "one typically finds"), a
  definition ("human error refers to slips ...");
- a denial or doubt of the cause ("I doubt it came down to them being sloppy", "most problems
  did not stem from reckless behaviour", "none of the failures were the fault of ...");
- impossibility for anyone ("nobody could have realised"), a rejected punishment ("nobody
  should have been fired"), hindsight explained ("looks inexplicable only once the outcome
  is known");
- a thing as the real subject or object: "safeguards that should have stopped it", "as they
  should have" (things working as expected), "no barcode reader that she could have used"
  (missing tooling), "had they received the proposal" (what reached people, not what they
  did), "the engineer's laptop had filled its disk" (equipment a person uses), "does not know
  what broke", "Elan 20210305 processed" (a versioned program), "prone to being misread"
  (a design's property), "due to them being unnecessary" (a state of things);
- an epistemic "could just be" (not a minimising "just"), and a past "did a more careful
  migration" (a plain account, not a vow of care).

Each guard is a pattern or a small function over one quote-masked sentence and a finding's
span; the families stay free to find more, and these constructions hold for any of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nofault.core.lint.packs.blame.checks import Found
from nofault.core.lint.packs.blame.grammar import TOKEN, People
from nofault.core.lint.packs.blame.lexicon import LEXICON

_I = re.IGNORECASE

# --- supposition and generality ------------------------------------------------------------

# An open conditional: "if" (not "if only", "if it wasn't for", "if not for", "if you ask me").
_IF = re.compile(
    r"\b(?:even\s+)?(?:if|unless|in\s+case)\b(?!\s+only\b|\s+not\s+for\b|\s+(?:it\s+)?"
    r"(?:was|were|had|hadn['’]t|wasn['’]t|weren['’]t)(?:\s+not)?\s+for\b|\s+you\s+ask\b)",
    _I,
)
# What makes a conditional counterfactual or a threat about a past deed: "if we had tested",
# "if they fail to post notice again".
_COUNTERFACTUAL_IF = re.compile(
    # "if anyone is to blame, it's the manager": a condition about blame that the result answers
    r"\b(?:had|hadn['’]t|would\s+have|would['’]ve|'d\s+\w+ed|again|once\s+more|to\s+blame|"
    r"at\s+fault|culpable|responsible)\b",
    _I,
)
_CLAUSE_END = re.compile(r"[,;:.?!]|\s[-–—]\s|\bthen\b")
_SENTENCE_PART_END = re.compile(r"[;.?!]|\s[-–—]\s")
# A general "when" in the present: "when an admin gets something wrong", "when a supplier's
# switchgear fails" (a narrative "when Bob deployed" is in the past and stays).
_WHEN = re.compile(r"(?:^|[,;:]\s*|\bthat\s+)\W*(?:when|whenever|once)\s+", _I)
_PAST = re.compile(
    r"\b(?:[a-z]+ed|was|were|had|did|didn['’]t|wasn['’]t|weren['’]t|hadn['’]t|took|made|ran|"
    r"broke|forgot|left|sent|wrote|put|set|got|went|came|saw|knew|thought|told|said|gave|"
    r"kept|began|brought|caught|chose|fell|felt|found|heard|hit|led|lost|meant|met|paid|"
    r"shut|stood|threw|tore|understood|woke|yesterday|ago|last)\b",
    _I,
)


_PERFECT_MODAL = re.compile(
    r"\b(?:should|ought\s+to|must|could|would)(?:\s+not|n['’]t)?\s+(?:have|['’]ve)\b|"
    r"\bshould\s+be\s+(?:fired|sacked|punished|blamed|disciplined|jailed)\b",
    _I,
)
_HABIT = re.compile(r"\b(?:usually|typically|often|generally|always|normally|tends?\s+to)\b", _I)
_MODAL = re.compile(r"\b(?:may|might|can|could|would|will|won['’]t|cannot|can['’]t)\b", _I)


def _supposed(text: str, f: Found) -> bool:
    """Tell whether a finding stands in an open conditional or a general "when" and its result.

    A conditional with a perfect modal judges the past ("if he felt wronged, he should have
    hired a lawyer"), and a condition after a main clause is only a supposition when that
    clause is ("a court may cut the damages if ..."; not "I'm hoping for jail time if ...").
    """
    if _PERFECT_MODAL.search(text):
        return False
    for m in _IF.finditer(text, 0, f.start + 1):
        before = text[: m.start()]
        opens = not before.strip() or re.search(r"(?:[,;:(]|\bthat)\W*$", before)
        if not opens:
            part_start = max((e.end() for e in _SENTENCE_PART_END.finditer(before)), default=0)
            if not _MODAL.search(text, part_start, m.start()):
                continue
        end = _CLAUSE_END.search(text, m.end())
        clause_end = end.start() if end else len(text)
        if _COUNTERFACTUAL_IF.search(text, m.end(), clause_end):
            continue
        if f.start < clause_end:
            return True  # inside the condition: "if the operator's negligence contributed"
        # The result of a condition that opens its part of the sentence: "If X, Y" (not "even
        # if X, Y" nor "unless X, Y", which assert Y).
        part = _SENTENCE_PART_END.search(text, clause_end)
        plain_if = m.group(0).lower() == "if"
        if plain_if and opens and f.start < (part.start() if part else len(text)):
            return True
    for m in _WHEN.finditer(text, 0, f.start + 1):
        end = _CLAUSE_END.search(text, m.end())
        clause_end = end.start() if end else len(text)
        if _PAST.search(text, m.end(), clause_end):
            continue
        part = _SENTENCE_PART_END.search(text, clause_end)
        finding_part_end = part.start() if part else len(text)
        past = _PAST.search(text, clause_end, max(f.end, finding_part_end))
        # The result is general too: a modal or a habit before any past form ("will usually
        # argue the vendor caused it"), not a story ("once airborne, the captain did not").
        modal = _MODAL.search(text, clause_end, f.end) or _HABIT.search(text, clause_end, f.end)
        if f.start < finding_part_end and (not past or (modal and modal.start() < past.start())):
            return True
    return False


# A generic subject in the present tense: a practice described, not an incident told. The
# verbs are those of judging, saying and treating, in the present: "investigators frequently
# slip it into findings", "reviewers judge", "everyone blames the pilot", "one typically
# finds", "an accident board spends six months deciding".
_PRACTICE_VERBS = (
    r"(?:judge|blame|find|claim|argue|say|think|believe|assume|ask|tend|call|label|point|seek|"
    r"hunt|slip|treat|attribute|spend|decide|focus|look|expect|accuse|sue|punish|conclude|"
    r"default|insist|reach|write|put|pin|chalk|reduce|lay|explain|dismiss|hold|stop|go|let|"
    r"allow|accept|enforce|award|honou?r)"
)
_GENERIC_PLURAL = (
    r"(?:you|people|we\s+all|investigators|reviewers|analysts|observers|outsiders|critics|"
    r"managers|organi[sz]ations|companies|firms|courts|teams|tenants|lawyers|insurers|"
    r"regulators|customers|users|journalists|reporters|inquiries|investigations|reports)"
)
_GENERIC_SINGULAR = (
    r"(?:one|everyone|everybody|the\s+media|(?:an?|any|every|each)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:board|investigator|reviewer|inquiry|investigation|report|court|company|organi[sz]ation|"
    r"manager|observer|outsider|critic|analysis|review|postmortem|post-mortem|culture))"
)
_ADVERB = r"(?:(?:\w+ly|often|always|still|then|just|mostly|all|soon|quickly)\s+)?"
_GENERIC_PRESENT = re.compile(
    rf"(?:^|[,;:(]\s*|\b(?:and|but|then|that|yet|so)\s+)\W*(?:{_GENERIC_PLURAL}\s+{_ADVERB}"
    rf"(?:tend\s+to\s+)?{_PRACTICE_VERBS}|{_GENERIC_SINGULAR}\s+{_ADVERB}(?:tends\s+to\s+"
    rf"{_PRACTICE_VERBS}|{_PRACTICE_VERBS}e?s))\b",
    _I,
)


_REPORTING = re.compile(
    r"\b(?:say|says|claim|claims|argue|argues|think|thinks|believe|believes|find|finds|"
    r"insist|insists|conclude|concludes|report|reports|allege|alleges|write|writes)\b",
    _I,
)


def _generic(text: str, f: Found) -> bool:
    """Tell whether the finding's clause describes a practice: a generic subject, present tense."""
    for m in _GENERIC_PRESENT.finditer(text, 0, f.end):
        if m.end() < f.start and _CONTRAST.search(text, m.end(), f.start):
            continue  # "you blame the intern, but you approved it": the contrast asserts
        if (
            m.end() < f.start
            and _REPORTING.search(m.group(0))
            and _PAST.search(text, m.end(), f.end)
        ):
            # "people say he broke it", "customers claim the team ignored the outage": a past
            # deed reported is still told of someone; a practice's own object ("reviewers
            # judge the actions of those involved as stupid") is not.
            continue
        return True
    return False


_CONTRAST = re.compile(r"\b(?:but|however|yet|whereas|although|though)\b|[;:]", _I)


# A definition heading its sentence ("human error refers to slips ..."), not a document that
# refers to something ("the report refers to the engineer's mistake").
_DEFINITION = re.compile(
    r"^\W*(?!(?:the|this|that|a|an|our|their|its)\s+(?:report|investigation|inquiry|board|"
    r"document|email|letter|message|ticket|review|finding|court|judge|regulator)\b)"
    r"(?:[\w'’\"“”-]+\s+){1,8}?(?:\w+ly\s+)?(?:refers?\s+to|(?:is|are)\s+defined\s+as|(?:is|are)\s+(?:a|the)\s+(?:\w+\s+)?"
    r"(?:term|label|name|word|category)\s+for|stands\s+for|is\s+shorthand\s+for)\b",
    _I,
)

# --- denial, doubt and rejection --------------------------------------------------------------

_DENIED = re.compile(
    # "I doubt", "doubtful that" (not "no doubt", "beyond doubt"); "unlikely that"
    r"(?<!no\s)(?<!without\s)(?<!beyond\s)(?<!little\s)\b(?:(?:i|we)\s+(?:really\s+|very\s+much\s+)?"
    r"doubt|doubtful\s+(?:that|whether|if)|unlikely\s+that|"
    r"(?:i|we)\s+(?:really\s+)?(?:do|did)(?:\s+not|n['’]t)\s+"
    r"(?:think|believe)(?!\s+to\b)|"
    r"(?:did|does|do|was|is|were|are)(?:\s+not|n['’]t)\s+(?:\w+ly\s+)?(?:stem|come|result|"
    r"arise|caused|due|down|because|about|the\s+fault)|no\s+(?:grounds|reason|evidence|sign|"
    r"indication|suggestion|allegation|proof|finding)\s+(?:to\s+(?:think|believe|suspect|assume|"
    r"expect)|that|of)|"
    r"(?:had|has|have)\s+nothing\s+to\s+do"
    r"\s+with|not\s+(?:the\s+)?(?:fault|result)\s+of|none\s+of\s+(?:the|this|these|those|it|"
    r"that)\b[^.;]{0,60}?\b(?:were|was|is|are)\s+(?:\w+\s+)?(?:the\s+)?(?:fault|doing|result))",
    _I,
)
# "not caused by X but by Y": the denial moves the blame, it does not lift it.
_BUT = re.compile(r"\b(?:but|rather|instead|everything\s+to\s+do\s+with)\b", _I)
# A denial that moves the blame on: "the cause was not the network, it was Bob's typo".
_BLAME_MOVED = re.compile(
    r"\b(?:but|rather|instead|everything\s+to\s+do\s+with)\b|,\s*(?:it|the\s+cause|the\s+fault)\s+"
    r"(?:was|is|lies|lay)\b",
    _I,
)
# A degree that presupposes the judgement: "anyone else would have been that careless".
_DEGREE_BEFORE = re.compile(r"\b(?:that|so|as|this|too)\s+$", _I)


def _denied(text: str, f: Found) -> bool:
    """Tell whether a denial or doubt of the cause stands before the finding in its part."""
    for m in _DENIED.finditer(text, 0, f.end):
        if m.start() > f.end:
            break
        between = text[m.end() : f.start]
        if (
            _SENTENCE_PART_END.search(between)
            or _BUT.search(text, m.end(), len(text))
            or _DEGREE_BEFORE.search(text, max(0, f.start - 8), f.start)
        ):
            continue
        return True
    return False


# Words whose complement is not asserted: what one must prove, what one fears may happen.
_UNASSERTED = re.compile(
    # An obligation to prove: "you have to prove that the company was negligent".
    r"\b(?:(?:have|has|need|needs|had)\s+to|must|burden\s+(?:is\s+)?to)\s+(?:\w+ly\s+)?"
    r"(?:prove|establish|demonstrate)\b|\b(?:fear|feared|fears|worried|worry|afraid|"
    r"dread|dreaded)\b(?=[^.;]{0,40}\b(?:i['’]d|would|might|could|will|may)\b)",
    _I,
)
# A claim reported in order to reject it: "comments saying someone will be fired are wrong".
_REJECTED_CLAIM = re.compile(
    r"\b(?:saying|claiming|suggesting|asserting|insisting|(?:who|that)\s+(?:say|claim|suggest))"
    r"\b[^.;]{0,120}?\b(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:wrong|mistaken|false|untrue|"
    r"unfair|misguided|misplaced|nonsense|a\s+myth)\b",
    _I,
)
# A fact given as the subject of a rejection: "that a vendor caused it does not mean ...".
_DOES_NOT_MEAN = re.compile(
    r"^\W*(?:that|just\s+because|the\s+fact\s+that)\b[^;]*?\b(?:does\s+not|doesn['’]t|"
    r"did\s+not|didn['’]t)\s+mean\b",
    _I,
)
# An instruction to avoid or stop: the words that follow are what to avoid.
_AVOID = re.compile(r"^\W*(?:avoid|stop|quit|resist|refrain\s+from|beware\s+of|ban)\b", _I)
# A legal category ("negligence claims"), not a judgement of anyone in particular.
_LEGAL_CATEGORY = re.compile(
    r"\b(?:negligence|misconduct|malpractice)\s+(?:claims?|suits?|lawsuits?|cases?|law|"
    r"actions?|standards?|tests?|liability|proceedings)\b(?!\s+against)",
    _I,
)
# A counterfactual about a system: "testing should have caught this".
_SYSTEM_MODAL = re.compile(
    r"\b(?:testing|tests?|ci|monitoring|alerting|alerts?|alarms?|checks?|validation|linters?|"
    r"pipelines?|tool|tools|tooling|system|systems|scripts?|canary|canaries|dashboards?|"
    r"safeguards?|guard\s?rails?|health\s+checks?|automation|sensors?|software|code)\s+"
    r"(?:alone\s+)?(?:should|could|would|might|ought\s+to)(?:\s+not|n['’]t)?\s+(?:have|['’]ve)\b"
    # the system acting, not a step people take said in the passive ("the code should have
    # been reviewed")
    r"(?!\s+been\b)",
    _I,
)
# A yes-or-no question about whether something was obvious ("Is ... obvious to everyone?")
# asks; a negative one ("Wasn't it obvious?") answers.
_OPEN_QUESTION = re.compile(r"^\W*(?:is|are|was|were|does|do|did)\b(?![^?]*\bnot\b)[^?]*\?\W*$", _I)

# Hindsight named as such: "it is easy in hindsight to say the engineer should have waited".
_EASY_TO_SAY = re.compile(
    # the act of judging named ("easy to say", "tempting to blame"); "easy to see that he was
    # careless" asserts the obviousness itself and is hindsight
    r"\b(?:easy|tempting|convenient)\s+(?:\w+\s+){0,3}?to\s+(?:say|judge|conclude|"
    r"criticise|criticize|second-guess|point\s+at|blame)\b",
    _I,
)
# A miss with a reason outside people: "were ignored due to a separate issue".
_MISSED_FOR_A_REASON = re.compile(
    r"\b(?:ignored|missed|overlooked|skipped|dropped|discarded)\s+(?:due\s+to|because\s+of|"
    r"owing\s+to)\s+(?:a|an|the|its|their)\s+(?P<word>[\w-]+)",
    _I,
)

_NOBODY_COULD = re.compile(
    r"\b(?:nobody|no\s+one|no-one|none\s+of\s+(?:us|them)|no\s+[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:could|would|can|might)(?:\s+not|n['’]t)?\s*(?:\w+ly\s+)?(?:have|['’]ve)\b|"
    # "a human reviewer could not have spotted it" (not "couldn't have picked a worse time")
    r"\b(?:could|can)(?:\s+not|n['’]t|not)\s*(?:\w+ly\s+)?(?:have|['’]ve)\b"
    r"(?![^.;]{0,40}\b(?:worse|better)\b)",
    _I,
)
# Thanks and credit: "thanks to Jo for catching the certificate", "kudos to the team who".
_THANKS = re.compile(
    r"\b(?:thanks|thank\s+you|many\s+thanks|kudos|credit|shout-?out|gratitude|grateful)\s+"
    r"(?:goes\s+|go\s+)?to\s+(?:[\w@.'’-]+\s+){1,5}?(?:for\b|who\b|,\s*who\b)",
    _I,
)
_NOBODY_PUNISHED = re.compile(
    r"\b(?:nobody|no\s+one|no-one|none\s+of\s+(?:us|them))\s+(?:should|ought\s+to|deserves?\s+to|"
    r"will|would)\s+(?:have\s+)?(?:been\s+|be\s+)(?:fired|sacked|blamed|punished|disciplined|"
    r"reprimanded|named|shamed|let\s+go|written\s+up|suspended|dismissed|demoted|jailed|"
    r"charged|prosecuted|sued|penali[sz]ed)\b",
    _I,
)
# One's own punishment feared or expected, not called for: "I was sure I would be fired".
_SELF_PUNISHED = re.compile(
    r"\b(?:i|we)\s+(?:would|['’]d|will|['’]ll|was\s+going\s+to|were\s+going\s+to|might|could|"
    r"may)\s+(?:\w+ly\s+)?(?:be|get)\s+(?:fired|sacked|blamed|punished|disciplined|let\s+go|"
    r"written\s+up|suspended|dismissed|demoted)\b",
    _I,
)
# Blame as the topic: "pointing a finger at the operator is nothing new", "blaming the
# engineer who ran the command would teach us nothing".
_BLAME_AS_TOPIC = re.compile(
    r"(?:^|[;:]\s*)\W*(?:pointing\s+(?:a|the)\s+finger|blaming|naming|scapegoating|punishing|"
    r"firing|shaming|singling\s+out|hunting\s+for|saying|claiming|concluding|assuming|"
    r"shrugging|writing|calling|labell?ing|declaring|deciding|retraining|disciplining|"
    r"sacking|reprimanding|judging|grading|punishing)\b[^.;]{0,80}?(?:\b(?:is|was|are|were|does|did|would|will|can|may|"
    r"makes?|explains?|teaches|helps?|tells?|address(?:es)?|solves?|fix(?:es)?|prevents?|"
    r"changes?|stops?)\s+(?:\w+\s+){0,2}?(?:nothing|none|no|not|never|little|the\s+easy|"
    r"pointless|useless|counterproductive|unfair|wrong|misguided|how\s+you\s+get|why)\b|"
    r"\b(?:makes?|leads?|drives?|pushes|teaches)\s+(?:\w+\s+){0,2}?(?:hide|afraid|defensive|fear\w*|"
    r"silen\w*|less\s+likely)\b|"
    r"\b(?:doesn['’]t|does\s+not|won['’]t|will\s+not|didn['’]t|did\s+not|never|rarely|"
    r"seldom)\b)|"
    # A framing criticised: "it locates the failure in one person's decision rather than in
    # the system that produced it".
    r"\b(?:locates|places|puts|pins|lays|attributes|frames|reduces|blames|treats|seeks|finds)\b"
    r"[^.;]{0,80}\b(?:rather\s+than|instead\s+of)\b[^.;]{0,30}\b(?:system|systems|process|"
    r"processes|design|organi[sz]ation|conditions|context)\b|"
    r"\b(?:instead\s+of|rather\s+than)\s+(?:pointing\s+(?:a|the)\s+finger|blaming|piling\s+on|"
    r"scapegoating|punishing|firing|shaming|singling\s+out|yelling\s+at|naming\s+and\s+shaming)\b|"
    # A practice named: "one approach is to track down whoever made the mistake".
    r"\b(?:one|an|the|a\s+common|the\s+usual|the\s+traditional|the\s+old)\s+(?:approach|way|"
    r"response|reaction|instinct|temptation|method|practice|habit)\s+(?:is|was|has\s+been)\s+to\b",
    _I,
)
# A share of cases blamed on a role: "60 percent of accidents are blamed on the operator".
_BLAME_STATISTIC = re.compile(
    r"\b(?:\d+(?:\s*(?:to|-|–)\s*\d+)?\s*(?:%|per\s*cent|percent)|most|many|some|half|"
    r"a\s+(?:third|quarter|fifth)|the\s+majority)\s+of\s+(?:all\s+)?[\w-]+\s+(?:are|is|get|gets)\s+"
    r"(?:\w+ly\s+)?(?:blamed|attributed|put\s+down|pinned|chalked\s+up)\b",
    _I,
)
# A rule stated for anyone: "a supplier cannot cap its liability for ...", "neither party may".
_GENERAL_RULE = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|but|that)\s+)\W*(?:(?:an?|any|no|neither|either|every|each)\s+"
    r"(?:[\w-]+\s+){0,2}?[\w-]+|anyone|anybody|everyone|everybody)\s+(?:\w+ly\s+)?(?:can|cannot|"
    r"can['’]t|may|must|need\s+not|will\s+not|won['’]t)(?:\s+not)?\s+"
    # not "can't be trusted", "can see the config was wrong", "must have deleted"
    r"(?!have\b|be\s+trusted\b|see\b|tell\b|spot\b|know\b)[a-z]+",
    _I,
)
# Fault denied of the subject: "human error often is not the fault of the human", "no one
# on the team was at fault".
_FAULT_DENIED = re.compile(
    r"\b(?:(?:is|was|are|were)(?:\s+\w+ly|\s+often|\s+usually)?\s+(?:not|never|rarely|seldom)|"
    r"isn['’]t|wasn['’]t|aren['’]t|weren['’]t)\s+(?:\w+ly\s+)?(?:the\s+|a\s+)?(?:fault|cause|"
    r"root\s+cause|reason|result|doing|to\s+blame|at\s+fault|responsible|guilty|culprit|"
    r"careless|negligent)\b|\b(?:not|never|hardly)\s+(?:\w+\s+){0,3}?[\w-]+['’]s\s+fault\b|"
    r"\b(?:no\s+one|nobody|no-one|none\s+of\s+(?:us|them|"
    r"the\s+[\w-]+))\b[^.;,]{0,30}?\b(?:is|was|were|are)\s+(?:\w+\s+)?(?:at\s+fault|to\s+blame|"
    r"responsible|careless|negligent|guilty)\b",
    _I,
)

# A rhetorical question that rejects fault: "how could that ever be the trainee's fault?"
_HOW_COULD_IT_BE = re.compile(
    r"\bhow\s+(?:could|can|is|was|would)\b[^?]*\b(?:be|is|was)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:fault|to\s+blame|responsible)\b[^?]*\?|"
    # "how were they to know this was the one that mattered?", "how could anyone have known?"
    r"\bhow\s+(?:were|was|are|is|could|would|should|can)\s+(?:they|we|he|she|you|i|anyone|"
    r"anybody|one|the\s+[\w-]+)\s+(?:(?:possibly|ever|really)\s+)?(?:(?:to|have)\s+)?(?:know|"
    r"known|tell|told|guess|guessed|foresee|foreseen|predict|predicted|see|seen)\b[^?]*\?",
    _I,
)
# A step done as planned: "the team took the systems offline at the agreed time".
_AS_PLANNED = re.compile(
    r"\b(?:as\s+(?:planned|scheduled|agreed|intended|instructed|documented|expected)|at\s+the\s+"
    r"(?:agreed|planned|scheduled|appointed|announced)\s+time|(?:per|following|according\s+to)"
    r"\s+the\s+(?:runbook|plan|procedure|playbook|schedule|change\s+request|checklist))\b",
    _I,
)
_ERROR_CUE = re.compile(
    r"\b(?:accidentally|mistakenly|inadvertently|unintentionally|by\s+mistake|wrongly|in\s+error|"
    r"forgot|forgotten|failed\s+to|neglected|ignored|carelessly)\b",
    _I,
)
# Blame withheld or excluded: "the bank did not blame any individual", "human error was
# ruled out", "the report stops short of blaming the engineers".
_NOT_BLAMED = re.compile(
    r"\b(?:(?:did|does|do|will|would|could)(?:\s+not|n['’]t)\s+(?:\w+ly\s+)?(?:blame|fault|"
    r"critici[sz]e|single\s+out|find|conclude|establish|suggest)|(?:refused|declined|stops?\s+short"
    r"\s+of|stopped\s+short\s+of)\s+(?:to\s+)?(?:blam|fault|nam|singl|criticis|criticiz)\w*|"
    r"(?<!not\s)(?:was|were|has\s+been|have\s+been|is|are)\s+(?:\w+ly\s+)?(?:ruled\s+out|"
    r"excluded)|played\s+no\s+(?:part|role)|(?:was|were)\s+not\s+a\s+factor)\b",
    _I,
)
# Everyone's experience: "everyone has fat-fingered a command", "we've all deleted prod".
_UNIVERSAL_PERFECT = re.compile(
    r"\b(?:(?:everyone|everybody|(?:every|any)\s+[\w-]+)\s+(?:\w+\s+)?has|we\s+have\s+all|"
    r"we['’]ve\s+all|all\s+of\s+us\s+have)\s+(?:\w+ly\s+)?"
    r"(?:at\s+some\s+point\s+|once\s+)?[\w-]+(?:ed|en|ne|wn|ot|ok|de|un|ft)\b",
    _I,
)
# An organisation's apology in the first person: "we messed up, and we are sorry".
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|apologising|apologizing)\b", _I)
_WE_BEFORE = re.compile(r"\b(?:we|our\s+team)\s+(?:\w+\s+)?$", _I)
# A slip in the conversation itself, owned by its writer: "I accidentally closed this issue,
# reopening", "sorry, my mistake, I linked the wrong PR".
_HOUSEKEEPING = re.compile(
    r"^\W*(?:sorry\W+|oops\W+)?(?:my\s+(?:mistake|bad|error)\W+)?(?:i|we)\s+(?:\w+ly\s+)?"
    r"[\w-]+\s+(?:this|the|that|my|a)\s+(?:wrong\s+)?(?:issue|pr|pull\s+request|ticket|comment|"
    r"thread|link|label|reply|post|milestone|branch\s+name|title)\b",
    _I,
)
_HARM = re.compile(
    r"\s*\b(?:deleting|breaking|dropping|wiping|crashing|forgetting|ignoring|skipping|missing|"
    r"nuking|taking\s+down|knocking|caus\w*|trigger\w*|result\w*|led\s+to|outage|broke\w*|took\s+down|knocked|"
    r"deleted|wiped|lost|failed|down)\b",
    _I,
)
# Customers and users as the ones a slip befell, with no harm beyond themselves: "people were
# mistakenly making transfers with fees applied".
_CUSTOMERS = re.compile(
    r"\b(?:users?|customers?|people|visitors|clients|subscribers|passengers|players|buyers|"
    r"shoppers|members\s+of\s+the\s+public|account\s+holders)\s+(?:were\s+|was\s+|had\s+been\s+)?"
    r"(?:\w+\s+)?(?:mistakenly|accidentally|inadvertently|unknowingly|wrongly)\b",
    _I,
)
_OUTAGE_LINK = re.compile(
    r"\b(?:caus\w*|led\s+to|lead\s+to|took\s+down|brought\s+down|knocked|broke\w*|outage|"
    r"overload\w*|crash\w*|triggered)\b",
    _I,
)
# An instruction about a process step for the future, with no call for care: "we will
# instruct members to upgrade more gradually ahead of any ceremony" (not "we will remind
# engineers to be more careful", nor retraining).
_INSTRUCTED_STEP = re.compile(
    r"\b(?:will|['’]ll|shall|going\s+to|plan\s+to|intend\s+to)\s+(?:\w+ly\s+)?(?:instruct|ask|"
    r"tell|advise|request|encourage)\b",
    _I,
)
_CARE = re.compile(
    r"\b(?:care\w*|attent\w*|vigilan\w*|diligen\w*|disciplin\w*|cautio\w*|double[-\s]check\w*|"
    r"mindful|aware\w*|think\w*|focus\w*|train\w*|retrain\w*|remind\w*|warn\w*|mistakes?|"
    r"errors?|again|never|always|properly)\b",
    _I,
)
# A deed whose consequence is a mechanism doing its job, not harm: "restarted the primary,
# which triggered a failover".
_ROUTINE_CONSEQUENCE = re.compile(
    r"\s*(?:an?\s+|the\s+)?(?:(?:automatic|planned|expected|normal|clean|controlled)\s+)?"
    r"(?:failover|fail-over|rollback|roll-back|restart|reload|re-election|leader\s+election|"
    r"resync|re-sync|reindex|rebalance|retry|retries|page|alert|redeploy|cache\s+flush|"
    r"health\s+check|scale-up|scale\s+up)\b(?!\s+(?:storm|loop|that\s+failed|failure))",
    _I,
)
# A judgement word on a time, an event or a bug, not on a person: "an embarrassing week for
# the bank", "a stupid bug in the date parser".
_THING_JUDGED = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:week|weeks|day|days|night|month|year|morning|weekend|moment|episode|"
    r"outage|outages|incident|incidents|situation|bug|bugs|glitch|glitches|edge\s+case|race|"
    r"default|defaults|error\s+message|timeout|limit)\b",
    _I,
)
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|this|that|one|such\s+an?|what\s+an?)\s+$", _I)
# An attack, not an error ("criminals broke into the data centre", "thieves cut the cable"),
# and "broke into / broke in", which break nothing.
_ATTACKERS = frozenset(
    [
        *("attacker", "attackers", "hacker", "hackers", "criminal", "criminals", "thief"),
        *("thieves", "burglar", "burglars", "vandal", "vandals", "intruder", "intruders"),
        *("saboteur", "saboteurs", "arsonist", "arsonists", "scammer", "scammers"),
    ]
)
_BROKE_INTO = re.compile(r"\s+(?:into|in\b|out\s+of|free|ground|the\s+news|records?)", _I)
# A view described, not held: "under the bad apple theory, a few careless individuals are to
# blame"; "in the old view, bad people make bad mistakes".
_VIEW_DESCRIBED = re.compile(
    r"^\W*(?:under|in|according\s+to|by)\s+(?:the|this|that|a)\s+(?:[\w-]+\s+){0,2}?(?:view|theory|"
    r"model|approach|thinking|logic|story|narrative|framing|mindset)\b",
    _I,
)
# A quotation made the subject of a remark about it: '"The operator failed to notice the
# alarm" tells you where the operator was looking, not why.'
_QUOTATION_DISCUSSED = re.compile(
    r"^\W*[\"“](?P<quote>[^\"”]{3,200})[\"”]\s+(?:is|are|was|tells|says|explains|describes|means|"
    r"shows|gives|does|doesn['’]t|offers|names|labels|ends|stops|reads)\b",
    _I,
)
# The writer's own present ignorance: "for reasons we don't yet understand".
_WE_DO_NOT_KNOW = re.compile(
    r"\b(?:we|i)\s+(?:still\s+)?(?:do\s+not|don['’]t|cannot|can['’]t)\s+(?:yet\s+|fully\s+|"
    r"quite\s+)?(?:know|understand|explain|tell)\b",
    _I,
)

_OUTCOME_KNOWN = re.compile(
    r"\b(?:(?:once|after|when|because|since)\s+(?:the\s+|its\s+)?outcome\s+(?:is|was|has\s+been)"
    r"\s+known|knowing\s+the\s+outcome|knowledge\s+of\s+the\s+outcome|hindsight\s+(?:bias\s+)?(?:makes?|made|can\s+make)\s+[^.;]{0,60}?\b(?:look|seem|"
    r"appear)|"
    r"(?:looks?|seems?|appears?|feels?|sounds?)\s+(?:\w+\s+){1,2}only\s+(?:in|once|after|with|"
    r"because)|only\s+because\s+(?:we|you|they|one)\s+(?:now\s+|already\s+)?know)\b",
    _I,
)

# --- a thing as the real subject or object --------------------------------------------------

_THING_RELATIVE = re.compile(
    r"(?P<noun>[\w-]+)\s+(?:that|which)\s+(?:should|could|would|might|ought\s+to)(?:n['’]t)?\s+"
    r"(?:have|['’]ve)\b(?!\s+been\b)(?P<rest>(?:\s+[\w'’-]+){0,3})",
    _I,
)
_EXPECTED = re.compile(
    r"\bas\s+(?:it|they|designed|intended|expected|planned|documented)\s+(?:should|would|"
    r"was\s+supposed\s+to|were\s+supposed\s+to)(?:\s+have)?\b",
    _I,
)
_MISSING_TOOL = re.compile(
    r"\b(?:no|nor|without|lacked|lacking|absence\s+of|(?:did|does)(?:\s+not|n['’]t)\s+have)\b"
    r"[^.;]{0,80}?\b(?:that|which|with\s+which)\s+[^.;]{0,40}?\b(?:could|would|might)\s+have\s+"
    r"(?:used|relied|consulted|seen|read|checked|caught|flagged|alerted|warned|shown|told)\b",
    _I,
)
# Detection that monitoring would have given: "this one could have been flagged by tracking
# the count of 5xx replies" (missing tooling), not "could have been avoided by deploying the
# changes one at a time" (a choice people made).
_DETECTABLE = re.compile(
    r"\b(?:could|might|would)\s+have\s+been\s+(?:flagged|detected|caught|spotted|noticed|"
    r"surfaced|alerted\s+on)\s+(?:\w+\s+)?(?:by|with|through|via)\s+(?:(?:a|an|the)\s+)?"
    r"(?:tracking|monitoring|alerting|measuring|graphing|watching\s+the\s+metric|alert|alerts|check|"
    r"checks|test|tests|canary|probe|metric|metrics|dashboard|synthetic|health\s+check)\b",
    _I,
)
_RECEIVED = re.compile(
    r"\bhad\s+(?:they|we|he|she|you|i|[\w-]+)\s+(?:all\s+|each\s+|both\s+)?(?:\w+ly\s+)?"
    r"(?:received|got|gotten|been\s+(?:given|told|paged|notified|alerted|warned|informed|shown|"
    r"sent|trained|invited))\b",
    _I,
)
_EQUIPMENT = re.compile(
    r"(?:['’]s|s['’])\s+(?:(?:[\w-]+)\s+){0,3}?(?:laptop|laptops|machine|machines|workstation|"
    r"computer|desktop|environment|cluster|terminal|shell|session|phone|browser|disk|vm|"
    r"kubeconfig|connection|screen|keyboard|editor|ide|inbox|pager|"
    # An organisation's systems, as the head of their clause: "the airline's systems failed".
    r"(?:systems?|servers?|network|infrastructure|platform|equipment|hardware|data\s+cent(?:re|er)s?)"
    r"(?=\s+(?:had|has|have|was|were|is|are|failed|crashed|went|ran|stopped|broke|froze|"
    r"collapsed|suffered)\b|[,.;]))\b",
    _I,
)
# An organisation blaming a thing: "the bank blamed a hardware failure at its data centre".
_BLAMED = re.compile(r"\bblam(?:ed|es|ing)\s+", _I)
_BLAMED_ON = re.compile(r"(?:[\w'’-]+\s+){1,5}?on\s+", _I)
_BLAMED_FOR = re.compile(r"\b(?:for|as|over)\b", _I)
_PARTIES = frozenset(
    [
        "firm",
        "firms",
        "company",
        "companies",
        "vendor",
        "vendors",
        "supplier",
        "suppliers",
        "contractor",
        "contractors",
        "subcontractor",
        "subcontractors",
        "integrator",
        "integrators",
        "provider",
        "providers",
        "operator",
        "operators",
        "manufacturer",
        "manufacturers",
        "staff",
        "crew",
        "crews",
        "team",
        "teams",
    ]
)
_BLAMED_NP = re.compile(
    r"(?:(?:a|an|the|its|their|our|this|that|some|years\s+of|decades\s+of|a\s+lack\s+of|"
    r"lack\s+of)\s+)*(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*(?=\s+(?:for|on|as|over)\b|\s*[,.;]|$)"
)
_ORGANISATIONS = frozenset(
    [
        *("airline", "bank", "company", "firm", "government", "council", "utility", "carrier"),
        *("operator", "provider", "vendor", "supplier", "contractor", "management", "board"),
        *("regulator", "agency", "department", "ministry", "union", "team", "staff", "crew"),
        *("hospital", "railway", "network", "owner", "owners", "landlord", "authority"),
    ]
)
_BLAMED_THING = re.compile(
    r"(?:(?:a|an|the|its|their|our|this|that|some|one)\s+)?(?:[\w-]+\s+){0,3}?(?:failures?|"
    r"glitch(?:es)?|bugs?|faults?|storms?|weather|heat(?:wave)?|power\s+cuts?|fires?|floods?|"
    r"software|hardware|updates?|upgrades?|systems?|network|equipment|surges?|cyber-?attacks?|"
    r"attacks?|malware|virus|ransomware|lightning|wind|snow|ice|traffic|demand|load|outages?)\b",
    _I,
)
# A person's error among the blamed words ("blamed human error", "a slip by"); a failure, a
# decision or a choice may be a machine's or an organisation's.
_ERROR_NOUNS = frozenset(
    str(w).lower()
    for w in [*LEXICON["fault_nouns"], "slip", "slips", "lapse", "lapses", "human", "operator"]
) - {"failure", "decision", "choice"}
# An incident judged, not a person: "the minister said the outage was unacceptable".
_INCIDENT_JUDGED = re.compile(
    r"\b(?:the|this|that|an?|such\s+an?|today['’]s|yesterday['’]s)\s+(?:[\w-]+\s+)?"
    r"(?:outage|outages|incident|downtime|failure|disruption|delays?|breach|blackout|glitch|"
    r"situation|meltdown|service|response\s+time)\s+(?:was|is|were|are|has\s+been|had\s+been)"
    r"\s+(?:\w+ly\s+|also\s+|simply\s+)?$",
    _I,
)
_THING_PRONOUNS = frozenset(
    ["what", "whatever", "something", "anything", "nothing", "everything", "whether"]
)
# Verbs of what befalls someone, not of what they do.
_UNDERGONE = frozenset(
    [
        "experienced",
        "encountered",
        "faced",
        "suffered",
        "seen",
        "saw",
        "received",
        "got",
        "witnessed",
        "felt",
        "enjoyed",
        "heard",
        "met",
        "endured",
    ]
)
_VERSIONED = re.compile(r"\s+v?\d[\w.-]*\b")
_PRONE = re.compile(
    r"\b(?:prone|easy|hard|difficult|likely|liable|apt|open|vulnerable)\s+to\s+(?:be\s+|being\s+)?"
    r"(?:\w+ly\s+)?$",
    _I,
)
_BEING = re.compile(r"\s+being\s+(?P<word>[\w-]+)", _I)
_JUDGEMENTAL = frozenset(str(w).lower() for w in LEXICON["judgemental"])
_AWARE = re.compile(
    r"\b(?:i|we)\s+(?:\w+ly\s+)?(?:didn['’]t|did\s+not|never|couldn['’]t|could\s+not)\s+"
    r"(?:notice|realise|realize|know|see|understand)\s+(?:that\s+)?(?:what|everything|anything|"
    r"something|the\s+(?:outage|incident|problem))\b",
    _I,
)
_EPISTEMIC_JUST = re.compile(r"\b(?:could|might|may|would|can)\s+(?:just|simply|merely)\s+be\b", _I)
_DID_CAREFUL = re.compile(
    r"\b(?:did|ran|performed|carried\s+out|made|took|started|began|planned)\s+(?:a|an|the|our)\s+"
    r"(?:much\s+|far\s+|slightly\s+)?more\s+(?:careful|cautious|thorough|deliberate|attentive)\s+"
    r"[\w-]+",
    _I,
)


def _overlaps(m: re.Match[str], f: Found, slack: int = 0) -> bool:
    return m.start() - slack < f.end and f.start < m.end() + slack


def _housekeeping_without_harm(text: str) -> bool:
    """Whether the sentence opens with routine housekeeping and names no harm after it."""
    opening = _HOUSEKEEPING.match(text)
    return opening is not None and not _HARM.search(text, opening.end())


def _any_overlap(pattern: re.Pattern[str], text: str, f: Found, slack: int = 0) -> bool:
    return any(_overlaps(m, f, slack) for m in pattern.finditer(text))


def _in_part(pattern: re.Pattern[str], text: str, f: Found) -> bool:
    """Tell whether the pattern matches in the finding's part of the sentence (between ; . ?)."""
    starts = [0, *(m.end() for m in _SENTENCE_PART_END.finditer(text, 0, f.start))]
    end = _SENTENCE_PART_END.search(text, f.end)
    return bool(pattern.search(text, starts[-1], end.start() if end else len(text)))


def _blamed_thing(text: str, f: Found, people: People) -> bool:
    """Tell whether a finding on "blamed" lays the blame on a thing ("blamed a hardware fault")."""
    m = _BLAMED.search(text, f.start, f.end + 1)
    if m is None or not re.search(r"\w\s+$", text[: m.start()]):
        return False  # a headline's passive ("Lineman Blamed as ...") or nothing before it
    end = _SENTENCE_PART_END.search(text, m.end())
    stop = end.start() if end else len(text)
    # "blamed the outage on X": X is what is blamed.
    on = _BLAMED_ON.match(text, m.end(), stop)
    start = on.end() if on else m.end()
    thing = _BLAMED_THING.match(text, start)
    if thing is None:
        # An abstract cause in plain lower-case words ("blamed years of underinvestment for
        # the failure"), not a name, an organisation ("the airline") or a quotation.
        thing = _BLAMED_NP.match(text, start)
        if thing is None or any(w[:1].isupper() for w in TOKEN.findall(thing.group(0))):
            return False
        head = TOKEN.findall(thing.group(0))[-1].lower()
        if head in _ORGANISATIONS or head.endswith(("er", "ers", "or", "ors", "ist", "ists")):
            return False
    # The blamed phrase with what hangs on it, up to "for" or "as": "a chain of failures by
    # several firms", "the equipment, which a third-party integrator had installed".
    rest = _BLAMED_FOR.search(text, thing.end(), stop)
    words = TOKEN.findall(text, start, rest.start() if rest else stop)
    return not any(people.kind(w) or w.lower() in _PARTIES for w in words) and {
        w.lower() for w in words
    }.isdisjoint(_ERROR_NOUNS)


def _thing_relative(text: str, f: Found, people: People) -> bool:
    for m in _THING_RELATIVE.finditer(text):
        # "signs that should have alerted them": the thing was to move a person to act.
        moved = any(people.kind(w) for w in TOKEN.findall(m.group("rest")))
        if _overlaps(m, f) and people.kind(m.group("noun")) is None and not moved:
            return True
    return False


def _thing_subject(text: str, f: Found, people: People) -> bool:
    """Tell whether the verb a person-finding ends on has a thing for its subject."""
    tokens = [t.group(0) for t in TOKEN.finditer(text, f.start, f.end)]
    if len(tokens) >= 3 and tokens[-2].lower() in _THING_PRONOUNS:
        return True  # "the pilot does not know what broke"
    if len(tokens) >= 2 and tokens[-1].lower() in _UNDERGONE:
        return True  # "the company had never experienced an outage": what befell it
    if tokens and _VERSIONED.match(text, f.start + len(tokens[0])):
        return True  # "Elan 20210305 incorrectly processed": a program and its version
    if _PRONE.search(text, max(0, f.start - 40), f.start):
        return True  # "the design is prone to being misread"
    being = _BEING.match(text, f.end)
    if being and being.group("word").lower() not in _JUDGEMENTAL and f.rule == "BLM101":
        # "due to them being unnecessary": a state of things is the cause
        return not people.kind(being.group("word"))
    return any(m.start() >= f.start - 2 and m.start() <= f.end for m in _EQUIPMENT.finditer(text))


Guard = Callable[[str, Found, People], bool]

# (rules it applies to, or None for every rule; the guard)
GUARDS: tuple[tuple[frozenset[str] | None, Guard], ...] = (
    (None, lambda t, f, p: _supposed(t, f)),
    (None, lambda t, f, p: _generic(t, f)),
    (None, lambda t, f, p: bool(_DEFINITION.match(t))),
    (None, lambda t, f, p: _denied(t, f)),
    (None, lambda t, f, p: any(m.end() <= f.start for m in _UNASSERTED.finditer(t))),
    (None, lambda t, f, p: any(m.start() < f.start < m.end() for m in _REJECTED_CLAIM.finditer(t))),
    (None, lambda t, f, p: any(f.end <= m.end() for m in _DOES_NOT_MEAN.finditer(t))),
    (None, lambda t, f, p: bool(_AVOID.match(t)) and _in_part(_AVOID, t, f)),
    (frozenset({"BLM401"}), lambda t, f, p: _any_overlap(_LEGAL_CATEGORY, t, f)),
    (frozenset({"BLM301", "BLM501"}), lambda t, f, p: _any_overlap(_SYSTEM_MODAL, t, f)),
    (frozenset({"BLM501"}), lambda t, f, p: bool(_OPEN_QUESTION.match(t))),
    (None, lambda t, f, p: any(m.start() <= f.start for m in _EASY_TO_SAY.finditer(t))),
    (
        frozenset({"BLM101", "BLM301"}),
        lambda t, f, p: any(
            _overlaps(m, f) and not p.kind(m.group("word"))
            for m in _MISSED_FOR_A_REASON.finditer(t)
        ),
    ),
    (None, lambda t, f, p: _any_overlap(_NOBODY_COULD, t, f, 40)),
    (frozenset({"BLM101"}), lambda t, f, p: _any_overlap(_SELF_PUNISHED, t, f)),
    (
        None,
        lambda t, f, p: any(
            _overlaps(m, f) and not _HARM.match(t, m.end() + 1) for m in _THANKS.finditer(t)
        ),
    ),
    (None, lambda t, f, p: bool(_HOW_COULD_IT_BE.search(t))),
    (
        frozenset({"BLM101"}),
        lambda t, f, p: _in_part(_AS_PLANNED, t, f) and not _in_part(_ERROR_CUE, t, f),
    ),
    (frozenset({"BLM401"}), lambda t, f, p: _any_overlap(_WE_DO_NOT_KNOW, t, f)),
    (
        frozenset({"BLM401"}),
        lambda t, f, p: (
            len(TOKEN.findall(t, f.start, f.end)) == 1
            and bool(_THING_JUDGED.match(t, f.end))
            # attributive ("an embarrassing week"), not "Bob was careless last week"
            and bool(_DETERMINER_BEFORE.search(t, max(0, f.start - 12), f.start))
        ),
    ),
    (
        frozenset({"BLM301", "BLM401"}),
        lambda t, f, p: _any_overlap(_INSTRUCTED_STEP, t, f, 2) and not _CARE.search(t),
    ),
    (None, lambda t, f, p: _in_part(_NOT_BLAMED, t, f)),
    (
        frozenset({"BLM101"}),
        lambda t, f, p: _any_overlap(_CUSTOMERS, t, f) and not _OUTAGE_LINK.search(t),
    ),
    (None, lambda t, f, p: _housekeeping_without_harm(t)),
    (None, lambda t, f, p: _any_overlap(_UNIVERSAL_PERFECT, t, f)),
    (
        None,
        lambda t, f, p: (
            bool(_APOLOGY.search(t)) and bool(_WE_BEFORE.search(t, max(0, f.start - 20), f.start))
        ),
    ),
    (None, lambda t, f, p: bool(_BLAME_AS_TOPIC.search(t))),
    (None, lambda t, f, p: bool(_BLAME_STATISTIC.search(t))),
    (None, lambda t, f, p: any(m.start() <= f.start for m in _GENERAL_RULE.finditer(t))),
    (
        None,
        lambda t, f, p: _in_part(_FAULT_DENIED, t, f) and not _in_part(_BLAME_MOVED, t, f),
    ),
    (None, lambda t, f, p: _any_overlap(_NOBODY_PUNISHED, t, f)),
    (None, lambda t, f, p: bool(_OUTCOME_KNOWN.search(t))),
    (None, lambda t, f, p: bool(_VIEW_DESCRIBED.match(t))),
    (
        None,
        lambda t, f, p: any(
            m.start("quote") <= f.start and f.end <= m.end("quote")
            for m in _QUOTATION_DISCUSSED.finditer(t)
        ),
    ),
    (frozenset({"BLM301", "BLM501"}), _thing_relative),
    (frozenset({"BLM301"}), lambda t, f, p: _any_overlap(_EXPECTED, t, f)),
    (None, lambda t, f, p: _any_overlap(_MISSING_TOOL, t, f)),
    (frozenset({"BLM301"}), lambda t, f, p: _any_overlap(_RECEIVED, t, f)),
    (frozenset({"BLM301", "BLM501"}), lambda t, f, p: _any_overlap(_DETECTABLE, t, f)),
    (frozenset({"BLM101"}), _thing_subject),
    (frozenset({"BLM101"}), _blamed_thing),
    (
        frozenset({"BLM101", "BLM301"}),
        lambda t, f, p: (
            any(w.lower() in _ATTACKERS for w in TOKEN.findall(t, f.start, f.end))
            or (t[f.start : f.end].lower().endswith("broke") and bool(_BROKE_INTO.match(t, f.end)))
        ),
    ),
    (
        frozenset({"BLM101"}),
        lambda t, f, p: (
            bool(
                re.search(
                    r"\b(?:triggered|started|kicked\s+off|initiated|caused)$", t[f.start : f.end]
                )
            )
            and bool(_ROUTINE_CONSEQUENCE.match(t, f.end))
        ),
    ),
    (
        frozenset({"BLM401"}),
        lambda t, f, p: bool(_INCIDENT_JUDGED.search(t, max(0, f.start - 80), f.start)),
    ),
    (frozenset({"BLM101", "BLM301"}), lambda t, f, p: _any_overlap(_AWARE, t, f)),
    (frozenset({"BLM402"}), lambda t, f, p: _any_overlap(_EPISTEMIC_JUST, t, f)),
    (frozenset({"BLM401"}), lambda t, f, p: _any_overlap(_DID_CAREFUL, t, f)),
)


def guarded(text: str, f: Found, people: People) -> bool:
    """Tell whether a finding stands in a construction that lays no blame."""
    return any(
        (rules is None or f.rule in rules) and guard(text, f, people) for rules, guard in GUARDS
    )


def keep(text: str, found: list[Found], people: People) -> list[Found]:
    """Return the findings that no guard lifts."""
    return [f for f in found if not guarded(text, f, people)]
