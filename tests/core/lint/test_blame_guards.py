"""The blame pack's guards: constructions that lay no blame, whatever rule found the cue.

Each blameless sentence below stands beside a blameful twin of the same shape: the guard must
lift the first and leave the second, so a guard that swallowed the construction's blameful
uses would fail here.
"""

from __future__ import annotations

import pytest

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint
from nofault.core.lint.packs.blame import guards
from nofault.core.lint.packs.blame.checks import Found
from nofault.core.lint.packs.blame.grammar import People

CONFIG = LintConfig(select=["blame"])


def warnings(text: str) -> list[str]:
    """Return the codes of the blame warnings and errors for one sentence."""
    return [
        f.code
        for f in lint(text, config=CONFIG).findings
        if f.category == "blame" and f.level in ("warning", "error")
    ]


# (construction, blameless sentence, blameful twin)
PAIRS = [
    (
        "open-conditional",
        "If the operator's negligence contributed to the downtime, the waiver may not hold.",
        "The operator's negligence contributed to the downtime.",
    ),
    (
        "general-when",
        "When an admin gets something wrong, will they have to prove it was an honest mistake?",
        "The admin got the config wrong, and it was a careless mistake.",
    ),
    (
        "practice-described",
        "Twenty small failures line up, and then everyone blames the pilot.",
        "Twenty small failures lined up, and the pilot caused the crash.",
    ),
    (
        "definition",
        "Human error in incident reviews refers to slips and poor decisions that lead to incidents.",
        "Human error led to the incident.",
    ),
    (
        "doubt",
        "I really doubt it came down to them being sloppy.",
        "It came down to them being sloppy.",
    ),
    (
        "denied-cause",
        "Most of the failures did not stem from reckless behaviour.",
        "Most of the failures stemmed from reckless behaviour by the operators.",
    ),
    (
        "nobody-could-have",
        "Nobody could have realised the harmless-looking change was dangerous.",
        "The engineer should have realised the change was dangerous.",
    ),
    (
        "punishment-rejected",
        "Nobody should have been fired over a tool that let one command wipe the cluster.",
        "Whoever ran that command should be fired.",
    ),
    (
        "thing-relative",
        "One typically finds safeguards that should have stopped the initiating event.",
        "The on-call engineer should have stopped the initiating event.",
    ),
    (
        "missing-tooling",
        "There was no barcode reader on the ward that the nurse could have used to check the dose.",
        "The nurse could have checked the dose against the chart.",
    ),
    (
        "equipment-possessive",
        "The release slowed down because the release engineer's laptop had filled its disk.",
        "The release slowed down because of the release engineer's mistake.",
    ),
    (
        "thanks",
        "Thanks to Jo for catching the bad certificate before it expired.",
        "The release was a mess from start to finish, thanks to the mobile team.",
    ),
    (
        "blame-as-topic",
        "Pointing a finger at the operator is nothing new in rail or aviation.",
        "The operator caused the derailment by ignoring the signal.",
    ),
    (
        "fault-denied",
        "No one on the team was at fault; the suite never covered per-account limits.",
        "The engineer who shipped the change was at fault for skipping the test.",
    ),
    (
        "hindsight-named",
        "It is easy in hindsight to say the engineer should have waited.",
        "In hindsight, the engineer should have waited.",
    ),
    (
        "blame-withheld",
        "The bank did not blame any individual for the outage.",
        "The bank blamed the outage on a contractor who did not follow the procedure.",
    ),
    (
        "ruled-out",
        "Human error was ruled out early on.",
        "Human error by the crew caused the crash, the board said.",
    ),
    (
        "everyones-experience",
        "Everyone has fat-fingered a command at some point in their career.",
        "The new hire fat-fingered a command and took down the cluster.",
    ),
    (
        "apology-in-the-first-person",
        "We messed up, and we are sorry.",
        "The intern messed up, and we are sorry.",
    ),
    (
        "general-when-with-a-habit",
        "When a dispute arises, the customer usually argues the supplier's carelessness caused it.",
        "Once airborne, the captain did not compare his three sources of airspeed.",
    ),
    (
        "not-to-blame",
        "The intern is not to blame here.",
        "The intern is to blame here.",
    ),
    (
        "a-slip-in-the-thread-itself",
        "Sorry, my mistake, I linked the wrong PR.",
        "Oops, I merged the wrong PR and broke the build for everyone.",
    ),
    (
        "how-were-they-to-know",
        "Among thousands of open issues, how were they to know this was the one that mattered?",
        "How did nobody catch this?",
    ),
    (
        "customers-slip-harming-themselves",
        "In the first days people were mistakenly making transfers with large fees applied.",
        "The new hire mistakenly made a transfer that drained the hot wallet.",
    ),
    (
        "detection-by-monitoring",
        "The regression could have been caught with a canary in one region.",
        "The outage could have been avoided by deploying the two changes one at a time.",
    ),
    (
        "a-process-step-instructed",
        "We will instruct node operators to upgrade more gradually ahead of any ceremony.",
        "We will ask the operators to double-check the target before running the script.",
    ),
    (
        "a-routine-consequence",
        "The on-call engineer restarted the primary, which triggered a failover.",
        "The on-call engineer restarted the primary, which triggered the outage.",
    ),
    (
        "a-time-or-bug-judged",
        "It was an embarrassing week for the bank.",
        "The intern made a stupid change on Friday.",
    ),
    (
        "a-finding-withheld",
        "The inquiry did not find that any individual acted improperly.",
        "The inquiry found that the engineer acted improperly.",
    ),
    (
        "not-their-fault",
        "Not the engineer's fault; the tool had no confirmation prompt.",
        "It was not the engineer's fault, it was the intern's fault.",
    ),
    (
        "an-attack-not-an-error",
        "Criminals broke into the data centre and stole two servers.",
        "A technician broke the main breaker while tidying the cables.",
    ),
    (
        "a-thing-blamed",
        "The bank blamed a hardware failure at its main data centre.",
        "The bank blamed the outage on a contractor.",
    ),
    (
        "an-abstract-cause-blamed",
        "The union blamed years of underinvestment for the failure.",
        "Passengers blamed the airline for the lack of information.",
    ),
    (
        "an-organisations-systems",
        "Passengers were stranded after the airline's systems failed.",
        "Passengers were stranded after the airline's dispatcher forgot to file the plans.",
    ),
    (
        "an-incident-judged",
        "The minister said the outage was unacceptable and demanded answers from the company.",
        "The minister said the engineer's conduct was unacceptable.",
    ),
    (
        "a-view-described",
        "Under the bad apple theory, a few careless individuals are to blame for most accidents.",
        "In the end, the careless operator caused the explosion.",
    ),
    (
        "a-quotation-discussed",
        '"The operator failed to notice the alarm" tells you where the operator was looking.',
        "The operator failed to notice the alarm, and the tank overflowed.",
    ),
    (
        "hindsight-explained",
        "Hindsight makes the path to failure look obvious and the operators look negligent.",
        "Hindsight makes it obvious that the engineer was heading for the wrong cluster.",
    ),
    (
        "system-counterfactual",
        "For anyone asking whether testing should have caught this: yes, something went wrong.",
        "For anyone asking: yes, the reviewer should have caught this.",
    ),
]


@pytest.mark.parametrize(
    ("construction", "blameless", "blameful"), PAIRS, ids=[p[0] for p in PAIRS]
)
def test_guard_lifts_the_construction_and_keeps_its_twin(
    construction: str, blameless: str, blameful: str
) -> None:
    assert warnings(blameless) == [], construction
    assert warnings(blameful), f"{construction}: the twin must still warn"


MUST_PASS = [
    "We are not looking for someone to blame.",
    "Calling it carelessness would explain nothing.",
    "Thanks to Maya, who spotted the spike.",
    "Many thanks to the users who reported the broken checkout on the forum.",
    "Going forward, the deploy tool will refuse configs that fail validation.",
    "The deploy tool failed to validate the config before pushing it.",
    "Dave pushed a config change at 14:02.",
    "The team took the systems offline at the agreed time.",
    "A human reviewer could not have spotted the change in a 4,000-line diff.",
    "For reasons we don't yet understand, the mail server went down at 12:56.",
    "The pod restarted again; it could just be the autoscaler moving it.",
    "After the rollback we ran a more careful migration, one table at a time.",
    "Retraining the operator addresses none of these possibilities.",
    "It locates the failure in one person's decision rather than in the system that produced it.",
]


@pytest.mark.parametrize("text", MUST_PASS)
def test_must_pass_sentences_give_no_warning(text: str) -> None:
    assert warnings(text) == []


# Blameful sentences that carry a guard's words: the guards must not lift them.
MUST_WARN = [
    "The outage had nothing to do with the network and everything to do with a careless admin.",
    "I doubt anyone else would have been that careless.",
    "There's no doubt the engineer screwed up.",
    "Thanks to Bob for deleting the production database.",
    "It's easy to see the engineer was careless.",
    "The report refers to the engineer's mistake as the root cause.",
    "The report went on to show that the operator had ignored the alarm.",
    "A junior engineer can't be trusted with production access.",
    "If only the admin had checked the target, none of this would have happened.",
    "Following the runbook, Bob accidentally deleted the production database.",
    "Retraining the operator was the right call after he ignored the alarm twice.",
    "The code should have been reviewed by a second engineer.",
    "The cause was not the network, it was Bob's typo.",
    "Customers claim the support team ignored the outage for hours.",
    "You blame the intern, but you approved the change without reading it.",
    "If anyone is to blame, it's the manager who approved the change.",
]


@pytest.mark.parametrize("text", MUST_WARN)
def test_blameful_sentences_with_a_guards_words_still_warn(text: str) -> None:
    assert warnings(text)


PEOPLE = People(frozenset())


def found_at(text: str, words: str, rule: str) -> Found:
    start = text.index(words)
    return Found(rule, start, start + len(words), "cause")


@pytest.mark.parametrize("rule", ["BLM101", "BLM401", "BLM999"])
def test_guards_hold_for_any_rule_that_finds_a_cue(rule: str) -> None:
    # A rule added later (here a made-up code) is guarded like the others: the guards read
    # the construction, not which family found the cue.
    text = "If the vendor's negligence caused the outage, the cap may not apply."
    assert guards.keep(text, [found_at(text, "vendor's negligence", rule)], PEOPLE) == []
    plain = "The vendor's negligence caused the outage."
    kept = guards.keep(plain, [found_at(plain, "vendor's negligence", rule)], PEOPLE)
    assert [f.rule for f in kept] == [rule]


def test_a_counterfactual_condition_is_not_a_supposition() -> None:
    text = "If he felt wronged, he should have hired a lawyer instead of wiping the servers."
    assert warnings(text)


def test_an_error_cue_outweighs_a_step_done_as_planned() -> None:
    assert warnings("Following the runbook, Bob accidentally deleted the production database.")
