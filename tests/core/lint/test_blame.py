"""The blame pack: hard negatives, names from the document and the roster, configuration."""

from __future__ import annotations

import pytest

from nofault.core.lint.config import LintConfig, config_from_mapping
from nofault.core.lint.engine import lint
from nofault.core.lint.text import mask_markup

BLAME = LintConfig(select=["blame"])


def blame_codes(text: str, config: LintConfig = BLAME, *, warnings_only: bool = True) -> list[str]:
    """Return the codes of the blame findings (warning and error unless told otherwise)."""
    return [
        f.code
        for f in lint(text, config=config).findings
        if f.category == "blame" and (not warnings_only or f.level != "info")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Forward-looking recommendations and action items.
        "We should add an alert on queue depth.",
        "We should have a runbook for the failover by the end of the quarter.",
        "Add a confirmation step before the CLI applies a change to every region.",
        # Systems as the subject of failure verbs.
        "The health check failed to detect the outage.",
        "The job failed to start after the node was drained.",
        "The cache broke under the load and the retries took the database down.",
        "The load balancer should have removed the node, but its check passed.",
        "The alert should have fired at 5%, but the threshold was set to 50%.",
        "Kafka ignored the retention setting after the upgrade.",
        # People described neutrally.
        "The on-call engineer was paged at 02:14.",
        "Alice restarted the service and traffic recovered.",
        "We should have been paged, but the alert routed to an old rotation.",
        "We missed our SLO for March.",
        # Risks and outcomes, not choices.
        "Without the cache, the database could have been overwhelmed.",
        "The outage could have been much worse.",
        # Descriptive uses of minimising and hindsight words.
        "The graph clearly showed the spike at 02:10.",
        "The alert fired just before 02:00.",
        "In hindsight, the retry policy amplified the load on the database.",
        "By 14:05 it was clear that the primary was down.",
        # Technical terms that contain a judgemental word.
        "The page uses lazy loading for images, and Dynamo uses a sloppy quorum.",
        # Guide text and glossaries that discuss the words.
        "Avoid writing 'human error' as a root cause.",
        "A blameless review asks what made the action reasonable, not who was careless.",
        "Counterfactuals such as 'should have' describe a world that did not happen.",
        "The root cause was not human error but a missing validation in the deploy tool.",
        "No single person caused this incident; several safeguards were missing.",
    ],
)
def test_hard_negatives_pass(text: str) -> None:
    assert blame_codes(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Alice broke the deploy.", "BLM101"),
        ("He forgot to renew the certificate.", "BLM101"),
        ("Bob's mistake took down checkout.", "BLM101"),
        ("The outage was caused by the new hire.", "BLM101"),
        ("The outage happened because Dave pushed an untested config.", "BLM101"),
        ("Root cause: human error.", "BLM201"),
        ("The engineer should have checked the dashboard.", "BLM301"),
        ("Had the on-call checked the logs, the outage would have been shorter.", "BLM301"),
        ("The person who wrote the cron job should have added a lock.", "BLM301"),
        ("Nobody bothered to check whether the backups restored.", "BLM301"),
        ("The change was a careless mistake.", "BLM401"),
        ("She obviously didn't read the runbook.", "BLM402"),
        ("In hindsight it was obvious that the disk was filling up.", "BLM501"),
        ("Anyone would have seen that the queue was backing up.", "BLM501"),
    ],
)
def test_blame_is_found(text: str, code: str) -> None:
    assert code in blame_codes(text)


def test_human_error_as_root_cause_is_an_error() -> None:
    levels = {f.level for f in lint("Root cause: human error.", config=BLAME).findings}
    assert levels == {"error"}
    levels = {
        f.level for f in lint("Was it human error? We never found out.", config=BLAME).findings
    }
    assert levels == {"warning"}


def test_findings_point_at_the_words_and_suggest_a_rewording() -> None:
    text = "# Outage\n\nTraffic dropped at 02:00.\nThen Alice broke the deploy.\n"
    (finding,) = lint(text, config=BLAME).findings
    assert (finding.line, finding.column) == (4, 6)
    assert finding.excerpt == "Alice broke"
    assert "Alice broke" in finding.message
    # The rewording is built from the sentence's own words, then the rule's advice.
    assert "deploy" in finding.suggestion and "Alice" not in finding.suggestion
    assert "conditions" in finding.suggestion


def test_quotes_code_and_urls_are_not_linted() -> None:
    text = (
        "> Bob: I forgot to renew it, sorry.\n\n"
        "The chat said “he forgot to renew it” and we moved on.\n\n"
        "Run `he broke the deploy` to reproduce.\n\n"
        "```\nhuman error\n```\n\n"
        "See https://example.com/human-error-should-have for details.\n"
    )
    assert blame_codes(text) == []


def test_reported_quotations_are_read_and_quoted_chat_is_not() -> None:
    # A sentence that is one quotation is a statement reported as it stands.
    assert "BLM301" in blame_codes(
        "“We consider that the contractor's failure to follow the lock-out procedure caused"
        " the fire.”"
    )
    # Scare quotes inside a reported clause are the report's own words.
    assert "BLM201" in blame_codes(
        "The chief told reporters the outage came down to an “embarrassing human error”."
    )
    # A quotation that follows the speech verb reproduces someone's words (chat, a log).
    assert blame_codes("The chat said “he forgot to renew it” and we moved on.") == []
    assert blame_codes("Someone typed “rm -rf /tmp/cache” into the channel.") == []


def test_action_items_section_is_forward_looking() -> None:
    text = (
        "---\nseverity: SEV3\n---\n\n# Outage\n\n## Action items\n\n"
        "- The on-call engineer should have a checklist that failed to exist before.\n"
    )
    assert "BLM301" not in blame_codes(text)


def test_names_come_from_front_matter_and_roster() -> None:
    text = "---\nauthors: [Zed Okonkwo]\nseverity: SEV3\n---\n\n# Outage\n\n## Summary\n\nzed missed the page.\n"
    assert "BLM101" in blame_codes(text)
    plain = "Quillon overlooked the page."
    roster = config_from_mapping({"select": ["blame"], "roster": ["quillon"]})
    assert "BLM101" in blame_codes(plain, roster)


def test_capitalised_system_names_are_not_people() -> None:
    assert blame_codes("Postgres broke the replication slot.") == []
    assert "BLM101" in blame_codes("Oluwaseun broke the replication slot.")


def test_plain_account_of_a_triggering_action_is_only_a_hint() -> None:
    text = "An engineer ran the cleanup command at 14:02 and errors rose at 14:03."
    assert blame_codes(text) == []
    assert blame_codes(text, warnings_only=False) == ["BLM102"]


def test_disabling_a_rule_by_dotted_path() -> None:
    text = "The careless change was pushed. He forgot to renew the certificate."
    config = config_from_mapping({"rules": {"blame": {"judgemental": False}}})
    codes = blame_codes(text, config)
    assert "BLM401" not in codes and "BLM101" in codes
    assert "BLM401" in blame_codes(text)


def test_extra_blame_words_from_the_configuration() -> None:
    config = config_from_mapping({"select": ["blame"], "blame-words": ["hero culture", "slacker"]})
    assert blame_codes("The slacker on call went to lunch.", config) == ["BLM401"]
    assert blame_codes("The slacker on call went to lunch.") == []


def test_inline_suppression_with_a_reason() -> None:
    text = (
        "# Outage\n\n<!-- nofault: disable=BLM301 -- quoting the customer's report -->\n"
        "The vendor should have told us about the change.\n\n"
        "The engineer should have checked the dashboard.\n"
    )
    findings = [f for f in lint(text, config=BLAME).findings if f.code == "BLM301"]
    assert [f.line for f in findings] == [6]


def test_mask_markup_keeps_offsets() -> None:
    line = "Bob ran `rm -rf` see <https://x.io/a> and **stop**."
    masked = mask_markup(line)
    assert len(masked) == len(line)
    assert "rm -rf" not in masked and "https" not in masked
    assert masked.index("stop") == line.index("stop")


@pytest.mark.parametrize(
    "text",
    [
        "Traffic recovered because Alice restarted the pods.",
        "The alert fired at 02:14 and the on-call engineer acknowledged it.",
        "Losing production data is unacceptable, and we are improving our backups.",
        "One of the inputs was entered incorrectly, which the CLI did not validate.",
        "If someone deployed a change that broke things, it's not their fault.",
        "The team could have waited for the hosts to recover, but chose to restore from backup.",
        "We could have noticed it much later without the customer report.",
    ],
)
def test_more_hard_negatives_pass(text: str) -> None:
    assert blame_codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The outage happened because Dave pushed an untested config.",
        "Root cause: the intern.",
        "This one is on me and Ravi; we broke it.",
        "Tomás disabled the alert last month, so nobody was paged.",
        "We have taken disciplinary action against the engineer.",
        "Two engineers deleted the cluster by accident.",
        "Why did the operator skip the check?",
        "It appears the change was never tested.",
    ],
)
def test_person_as_cause_in_other_shapes(text: str) -> None:
    assert "BLM101" in blame_codes(text)


def test_sentences_without_trigger_words_cost_one_lookup() -> None:
    from nofault.core.lint.packs.blame import analysis, gates, patterns

    words = gates.words_of("The cache warmed up and latency returned to normal by 14:05.")
    assert analysis.gates_for(words) == frozenset()
    words = gates.words_of("He forgot to renew the certificate.")
    assert patterns.OMIT in analysis.gates_for(words)


def test_every_pattern_is_read_by_a_check_table() -> None:
    from nofault.core.lint.packs.blame import analysis, checks, patterns

    tables = [*analysis.ALWAYS, *analysis.ABOUT_THE_PAST]
    read = set().union(*(table.gates for table in tables))
    # The guide-text gate and the exceptions only hold checks back; the hint reads ACTION.
    read |= {patterns.META, patterns.JUDGEMENT_EXCEPTIONS, patterns.ACTION}
    every = {name for name, value in vars(patterns).items() if isinstance(value, checks.Gated)}
    assert {name for name in every if getattr(patterns, name) not in read} == set()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Error adverbs on a person's deed, including a subject left unsaid.
        ("During the cutover an operator mistakenly pointed the script at the primary.", "BLM101"),
        ("While cleaning up old branches, accidentally deleted the release tag.", "BLM101"),
        (
            "Traffic spiked and while restarting pods inadvertently drained the whole pool.",
            "BLM101",
        ),
        # Omissions, awareness, faulty work, wrong objects, absence, inaction.
        ("They never asked the storage team before resizing the volume.", "BLM101"),
        ("Because we did not deploy the fix to the EU region, the bug came back.", "BLM101"),
        ("She wasn't fully aware which cluster her shell was pointed at.", "BLM101"),
        ("Without being aware of the freeze, the contractor shipped on Friday.", "BLM101"),
        ("@kmiller committed the broken config to main.", "BLM101"),
        ("The operator unplugged the wrong cable.", "BLM101"),
        ("omar went awol right after the deploy", "BLM101"),
        ("No action was taken for another forty minutes.", "BLM101"),
        # Past conditionals about a step people did not take; work that left something out.
        ("Had the restore been tested last quarter, the gap would have been found.", "BLM301"),
        ("The hotfix failed to account for tenants on the legacy plan.", "BLM301"),
        # Judgements of work; action items that ask people to try harder.
        ("The schema change was hastily reviewed and merged.", "BLM401"),
        ("Sloppy testing let the regression through.", "BLM401"),
        ("Action item: remind engineers to double-check the region before deploys.", "BLM401"),
        # Hindsight as predicates and questions.
        ("Why were the capacity warnings dismissed?", "BLM501"),
        ("Many of these risks were foreseeable, and the launch went ahead anyway.", "BLM501"),
    ],
)
def test_generalising_shapes_are_found(text: str, code: str) -> None:
    assert code in blame_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # The writing team owning a slip, or a judgement given with its reason.
        "By mistake we were reading the old config file, so the hostnames were stale.",
        "We mistakenly assumed the replica was current; the lag metric read zero because the exporter had stalled.",
        # Systems and passives with error adverbs.
        "The cleanup job, while running, accidentally deleted the release tag.",
        "The job restarted and accidentally deleted the lock file.",
        "Several pods were accidentally evicted when the node pool was resized.",
        # Non-agentive or explained omissions.
        "We did not receive any alerts during the outage.",
        "Because of a gap in the alert routing, we did not learn of the outage until 09:10.",
        "The engineer did not page the database team, since the runbook listed it as low priority.",
        "We were not aware of the outage until a customer reported it.",
        "Most engineers are not aware of this failure mode, so we will document it.",
        "She did not check the dashboard before the deploy because the pipeline reported success.",
        "The team was not aware of the dependency on the legacy auth service.",
        # Conditionals about a system's state; mechanical failures of a change.
        "If the disk had been larger, the compaction would have finished.",
        "If the request had been retried by the client, it would have succeeded.",
        "The fix failed to apply cleanly on the release branch.",
        # Judgements of things, not work; obvious about detection; questions about systems.
        "The service was poorly configured for bursty traffic, so requests queued.",
        "Poor network conditions between the regions slowed replication.",
        "The impact was immediately obvious on the dashboards.",
        "It was not obvious from the logs which request triggered the crash.",
        "Why was the alert threshold set to 50%?",
        # Faulty or wrong things handled by systems, fixed by people, or with context.
        "The pipeline deployed the faulty build to the canary hosts first.",
        "Alice reverted the faulty build at 14:20.",
        "The script deleted the wrong directory because the path variable was empty.",
        "The on-call engineer picked the wrong runbook because both had the same title.",
        "An engineer ran the cleanup command at 14:02 and errors rose at 14:03.",
        # Things that vanish; delays with a condition; action items that change the system.
        "The metrics vanished from the dashboard when the exporter crashed.",
        "Nothing was done to the primary until the backup had been verified.",
        "Make sure the deploy tool shows the target region before it runs.",
        "Ensure the on-call engineer has access to the database console.",
        # Hedges, weighed alternatives and guide text.
        "Nobody was paged for the replica lag, though arguably we should have?",
        "Remind people that an outcome can feel embarrassing only because we now know the end.",
    ],
)
def test_generalising_shapes_keep_hard_negatives(text: str) -> None:
    assert blame_codes(text) == []
