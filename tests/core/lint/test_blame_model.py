"""The blame pack's learned layer (BLM601): the shipped model, its inference and its findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nofault.core.lint.config import LintConfig
from nofault.core.lint.engine import lint
from nofault.core.lint.packs.blame.learned import MODEL_PATH, features, model
from tests.shared_corpus import shared_folder

DATA = Path(__file__).resolve().parents[2] / "data"
PREVIEW = LintConfig(select=["blame"], preview=True)
# A sentence the rules are silent on and the model flags (one of the rule's own examples).
FLAGGED = 'It turns out the deletion was the result of "operator error" by an employee.'


def _learned(text: str) -> list[str]:
    return [f.message for f in lint(text, config=PREVIEW).findings if f.code == "BLM601"]


def test_BLM601_model_file_is_small_and_names_its_training_data() -> None:
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    assert 0 < len(data["weights"]) <= 3000
    assert data["command"] == "python scripts/train_blame_model.py"
    sources = " ".join(data["training"]["sources"])
    assert "blame_own.jsonl" in sources and "development part only" in sources
    assert isinstance(data["threshold"], float) and isinstance(data["bias"], float)


def test_BLM601_inference_is_the_sum_of_the_shipped_weights_and_deterministic() -> None:
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    expected = data["bias"] + sum(data["weights"].get(f, 0.0) for f in features(FLAGGED))
    assert model().score(FLAGGED) == pytest.approx(expected)
    assert model().score(FLAGGED) == model().score(FLAGGED) > data["threshold"]
    assert features("At 9:10 Maya restarted 3 pods.") == features("At 10:45 Kim restarted 12 pods.")


@pytest.mark.parametrize(
    ("blameful", "blameless"),
    [
        # judgement of a person
        ("The admin was rash and far too sure of himself.",
         "The admin was on call and had the runbook open."),
        # culprit questions
        ("Who let this through? Which of you merged it?",
         "What let this through? Which check merged it?"),
        # an error noun as the cause
        ("The site went down over a single mistyped flag by an engineer.",
         "The site went down over a single flag the parser misread."),
        # a vow of more care
        ("Going forward, engineers must be more careful and pay closer attention.",
         "Going forward, the deploy tool will check the flag before it runs."),
        # hindsight
        ("It should have been clear to anyone that the disk was filling up.",
         "It was not clear from the dashboards that the disk was filling up."),
    ],
)  # fmt: skip
def test_BLM601_scores_each_missed_kind_above_its_blameless_twin(
    blameful: str, blameless: str
) -> None:
    assert model().score(blameful) > model().score(blameless)


def test_BLM601_finding_names_its_words_and_gives_a_rewording() -> None:
    [finding] = [f for f in lint(FLAGGED, config=PREVIEW).findings if f.code == "BLM601"]
    assert "“employee”" in finding.message and "“error”" in finding.message
    assert finding.suggestion and finding.suggestion.startswith("Instead of")
    assert not _learned(
        "It turns out the deletion was the result of a fault in the migration tool."
    )
    assert not [f for f in lint(FLAGGED).findings if f.code == "BLM601"], "preview: off by default"


@pytest.mark.parametrize(
    "text",
    [
        "We are not looking for someone to blame, and calling it carelessness would explain nothing.",
        "Thanks to Maya, who spotted the spike and paged the database team.",
        f"> {FLAGGED}\n",  # quoted chat
        f"```\n{FLAGGED}\n```\n",  # code
        f"# Checkout outage\n\n## Action items\n\n- {FLAGGED}\n",  # forward-looking actions
        "The health check marked the node as down and the balancer drained it.",
    ],
)
def test_BLM601_passes_the_must_pass_kinds(text: str) -> None:
    assert not _learned(text)


def test_BLM601_flags_none_of_the_repository_corpora_negatives() -> None:
    rows = [
        json.loads(line)
        for name in ("blame_corpus.jsonl", "blame_corpus_extra.jsonl", "blame_own.jsonl")
        for line in (DATA / name).read_text("utf-8").splitlines()
        if line.strip()
    ]
    negatives = [r["text"] for r in rows if not r["blameful"]]
    assert len(negatives) > 1000
    assert [text for text in negatives if model().flags(text)] == []


def test_BLM601_adds_no_warning_to_the_real_postmortems() -> None:
    folder = shared_folder("corpus/real-postmortems")
    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.md")) if p.name != "SOURCES.md"]
    assert texts
    learned = [m for text in texts for m in _learned(text)]
    assert learned == []
