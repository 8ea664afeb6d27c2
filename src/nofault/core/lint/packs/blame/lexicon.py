"""The blame pack's word lists (lexicon.yaml), read once, as sets of lower-case words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nofault.core.lint.packs.loader import load_yaml

_HERE = Path(__file__).parent
LEXICON: dict[str, Any] = load_yaml((_HERE / "lexicon.yaml").read_text(encoding="utf-8"))


def word_set(key: str) -> frozenset[str]:
    """Return one list of the lexicon as a set of lower-case words."""
    return frozenset(str(w).lower() for w in LEXICON[key])


PRONOUNS = word_set("pronouns")
TEAM = word_set("team_pronouns")
ROLES = word_set("roles")
FIRST_NAMES = word_set("first_names")
PATIENT = word_set("patient_participles")
HUMAN_PASSIVES = word_set("human_passives")
OUTCOMES = word_set("outcome_verbs")
CONDUCT = word_set("conduct_words")
HUMAN_ACTIONS = word_set("human_actions")
DUTIES = word_set("duty_verbs")
PARTICIPLES = word_set("participles")
MISSED_TARGETS = word_set("missed_targets")
FAILURE_NOUNS = word_set("failure_nouns")
FAULT_NOUNS = word_set("fault_nouns")
NOT_NAMES = word_set("not_names")
ORG_UNITS = word_set("org_units")
ING_NOUNS = word_set("ing_nouns")
IMPERATIVES = word_set("imperatives")
OUTCOME_JUDGEMENTS = word_set("outcome_judgements")
SUGGESTIONS: dict[str, str] = {k: " ".join(v.split()) for k, v in LEXICON["suggestions"].items()}
ARTIFACTS = word_set("artifacts")
REMEDY_VERBS = word_set("remedy_verbs")
JUDGEMENT_VERBS = word_set("judgement_verbs")
