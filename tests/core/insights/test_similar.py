"""Similar postmortems: the right one first, shared words alone not enough, caching works."""

from __future__ import annotations

from pathlib import Path

import yaml

from nofault.core.insights.corpus import load_folder
from nofault.core.insights.similar import SimilarityIndex
from tests.core.insights.conftest import action, pm

PAIRS = Path(__file__).parents[2] / "data" / "similar_pairs"

CORPUS = [
    pm("cert", "TLS certificate on the API gateway expired",
       "Every client handshake failed for two hours after the gateway certificate expired.",
       ("Certificate renewal was a manual task with no owner.",
        "No alert watched certificate expiry dates."), started="2026-01-10T10:00:00",
       actions=(action("open", "2026-03-01"), action("done", ident="A2"),
                action("in_progress", ident="A3"))),
    pm("gateway-latency", "API gateway latency after a logging plugin change",
       "The API gateway slowed down because a logging plugin blocked its event loop.",
       ("The plugin wrote logs to disk synchronously on the request path.",),
       started="2026-01-20T10:00:00"),
    pm("dns", "Internal DNS resolution failed cluster-wide",
       "Pods could not resolve service names after the DNS pods were evicted.",
       ("Only two resolver replicas, both on drained nodes.",), started="2026-01-05T10:00:00"),
    pm("pool", "Orders API exhausted its database connection pool",
       "A slow report query held every pooled connection.",
       ("The pool had no statement timeout.",), started="2026-01-03T10:00:00"),
]  # fmt: skip

DRAFT = pm(
    "draft", "Mobile apps could not connect: our cert lapsed",
    "Apps refused to talk to the API because its TLS cert had lapsed over the weekend.",
    ("Nobody was reminded that the certificate would run out.",),
    started="2026-02-01T10:00:00",
)  # fmt: skip


def test_the_obviously_similar_postmortem_ranks_first() -> None:
    hits = SimilarityIndex.build(CORPUS).query(DRAFT)
    assert hits[0].record.key == "cert"
    assert "certificate" in hits[0].shared_terms


def test_an_unrelated_one_sharing_words_ranks_below_the_related_one() -> None:
    index = SimilarityIndex.build(CORPUS)
    ranked = [h.record.key for h in index.query(DRAFT)]
    # "gateway-latency" shares "API gateway" with the draft's match but not its failure.
    assert ranked.index("cert") < ranked.index("gateway-latency")


def test_the_headline_counts_open_actions() -> None:
    hit = SimilarityIndex.build(CORPUS).query(DRAFT)[0]
    assert hit.headline() == "This looks like INC-cert; two of its actions are still open."
    assert len(hit.open_actions) == 2


def test_later_incidents_and_the_draft_itself_are_left_out() -> None:
    later = pm(
        "later-cert",
        "The certificate expired again",
        "TLS certificate expired.",
        ("No alert watched certificate expiry.",),
        started="2026-06-01T10:00:00",
    )
    index = SimilarityIndex.build([*CORPUS, later, DRAFT])
    keys = [h.record.key for h in index.query(DRAFT)]
    assert "later-cert" not in keys and "draft" not in keys
    assert "later-cert" in [h.record.key for h in index.query(DRAFT, earlier_only=False)]


def test_the_index_survives_a_round_trip_through_bytes() -> None:
    index = SimilarityIndex.build(CORPUS)
    again = SimilarityIndex.loads(index.dumps())
    assert [(h.record.key, round(h.score, 6)) for h in again.query(DRAFT)] == [
        (h.record.key, round(h.score, 6)) for h in index.query(DRAFT)
    ]


def test_an_empty_corpus_finds_nothing() -> None:
    assert SimilarityIndex.build([]).query(DRAFT) == []


def test_labelled_pairs_reach_the_quality_floor() -> None:
    pairs = yaml.safe_load((PAIRS / "pairs.yaml").read_text(encoding="utf-8"))
    assert len(pairs) >= 60
    records = {r.key: r for r in load_folder(PAIRS)}
    index = SimilarityIndex.build(list(records.values()))
    found = sum(
        pair["related"] in [h.record.key for h in index.query(records[pair["anchor"]],
                                                              earlier_only=False)]
        for pair in pairs
    )  # fmt: skip
    # benchmarks/similar_quality.py prints the exact figure; this guards against regressions.
    assert found / len(pairs) >= 0.9
