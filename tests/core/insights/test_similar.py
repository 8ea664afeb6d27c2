"""Similar postmortems: the right one first, shared words alone not enough, caching works."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest
import yaml

from nofault.core.insights.corpus import load_folder
from nofault.core.insights.similar import LIKELY_SCORE, SimilarityIndex
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


# Two teams' words for one failure (a process killed for memory) and a third postmortem that
# shares their service's words but not the failure. Written for nofault.
HEAP = pm("heap", "Ingest workers OOM-killed every few hours",
          "The ingest workers were OOM-killed by the kernel again and again.",
          ("An in-process map of sessions grew without bound.",))  # fmt: skip
RAM = pm("ram", "Search nodes ran out of memory",
         "Search nodes exhausted their RAM and the process died; the resident set kept growing.",
         ("A buffer was never released after each request.",))  # fmt: skip
SEARCH_DNS = pm("search-dns", "Search nodes could not resolve the ingest hosts",
                "Search nodes failed name resolution for the ingest hosts after a resolver change.",
                ("The resolver change was not staged.",))  # fmt: skip


def test_concepts_match_different_words_for_one_failure() -> None:
    ranked = [h.record.key for h in SimilarityIndex.build([RAM, SEARCH_DNS]).query(HEAP)]
    assert ranked[0] == "ram"


def test_shared_terms_name_the_concept_and_never_filler_words() -> None:
    hit = SimilarityIndex.build([RAM, SEARCH_DNS]).query(HEAP)[0]
    assert "memory" in hit.shared_terms
    assert not {"team", "time", "saw", "again"} & set(hit.shared_terms)


def test_only_a_strong_match_is_said_to_look_like_the_draft() -> None:
    strong = SimilarityIndex.build(CORPUS).query(DRAFT)[0]
    assert strong.likely and strong.score >= LIKELY_SCORE
    assert strong.headline().startswith("This looks like INC-cert")
    weak = SimilarityIndex.build([SEARCH_DNS]).query(HEAP)
    assert weak and not weak[0].likely and weak[0].score < LIKELY_SCORE
    assert weak[0].headline().startswith("This may be related to INC-search-dns")
    assert weak[0].as_dict()["likely"] is False


def test_a_loaded_index_answers_like_the_built_one_and_knows_its_keys() -> None:
    index = SimilarityIndex.loads(SimilarityIndex.build([*CORPUS, HEAP, RAM]).dumps())
    assert "ram" in index and "missing" not in index and len(index) == 6
    hit = index.query(HEAP)[0]
    assert hit.record == RAM and hit.record.factors == RAM.factors


def test_an_index_from_another_version_is_refused() -> None:
    data = SimilarityIndex.build(CORPUS).dumps()
    payload = pickle.loads(data)
    payload["version"] = "0.0.0-other"
    with pytest.raises(ValueError, match="another nofault version"):
        SimilarityIndex.loads(pickle.dumps(payload))


INCIDENTS = Path(__file__).parents[2] / "data" / "similar_incidents"


def test_real_incidents_of_held_out_organisations_reach_the_floor() -> None:
    # benchmarks/similar_quality.py prints the figures (85% on the held-out organisations
    # when this was written); this keeps the held-out half from sliding back unnoticed.
    sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
    from similar_quality import held_out, recall_at_5

    entries = {e["file"]: e for e in yaml.safe_load((INCIDENTS / "incidents.yaml").read_text())}
    records = [r for r in load_folder(INCIDENTS) if held_out(entries[r.key]["org"])]
    classes = ["" if "near" in entries[r.key] else entries[r.key]["class"] for r in records]
    index = SimilarityIndex.build(records)
    recall, _, queries = recall_at_5(classes, lambda i: index.scores(records[i]))
    assert queries >= 40 and recall >= 0.75


def test_a_word_its_concept_already_names_is_not_repeated() -> None:
    old = pm("old", "Gateway certificate expired", "The gateway certificate expired at night.")
    new = pm("new", "Certificate expired on the API", "The API certificate expired again.")
    shared = SimilarityIndex.build([old]).query(new)[0].shared_terms
    assert {"certificate", "expiry"} <= set(shared)
    assert not {"expired", "certificates"} & set(shared)
