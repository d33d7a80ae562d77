"""The answer-vector leads benchmark (``bench/vector_leads.py``, BENCHMARKS.md "nmi31"):
"off" remade gives the prepared run's vectors and the engine's own grouping; each lead
changes the vectors as named, gives k themes, the same on a rerun, and leaves the
representation module as it was."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import represent
from analysis.api import ThemeModel
from analysis.static_vectors import StaticVectors
from bench import grouping_leads
from bench import vector_leads as bench

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths, lovely staff",
    "school classes are too big for the teachers",
    "hospital waiting lists for a doctor are far too long and terrible",
    "street lights are broken and the roads are dark at night",
)
TEXTS = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(90)]


def test_bm25_rows_are_unit_length_and_rare_terms_weigh_more():
    tokens = [["bus", "late"], ["bus", "rent"], ["bus", "late", "late"]] * 20
    vectorizer = bench.BM25Vectorizer()
    matrix = vectorizer.fit_transform(tokens)
    assert np.allclose(np.linalg.norm(matrix.toarray(), axis=1), 1.0)
    row = matrix[1].toarray().ravel()  # "bus" in every answer, "rent" in a third
    vocabulary = vectorizer.vocabulary_
    assert row[vocabulary["rent"]] > row[vocabulary["bus"]]
    assert np.allclose(vectorizer.transform(tokens[:3]).toarray(), matrix[:3].toarray())


def test_off_remade_is_the_run_and_leads_partition_into_k():
    run = grouping_leads.prepare(TEXTS, None, "fast", 0)
    own = ThemeModel(n_themes=6, engine="fast", seed=0).fit_partition(TEXTS).labels_
    off = bench.rebuilt(run, bench.VARIANTS["off"])
    assert np.array_equal(off.vectors, run.vectors)
    assert np.array_equal(grouping_leads.themes_of(off, 6, "fast", 0).labels, own)
    for name in ("bm25", "no phrases", "no sentiment 1.5", "lsa 50", "lsa share 0.3 dims 32"):
        done = bench.rebuilt(run, bench.VARIANTS[name])
        assert not np.array_equal(done.vectors, run.vectors), name
        first = grouping_leads.themes_of(done, 6, "fast", 0)
        again = grouping_leads.themes_of(bench.rebuilt(run, bench.VARIANTS[name]), 6, "fast", 0)
        assert first.k == 6 and set(first.labels) <= set(range(6)), name
        assert np.array_equal(first.labels, again.labels), name
    # the module's patches are undone after each remake
    assert represent.term_matrix is bench._ORIGINAL_TERM_MATRIX
    assert represent.StaticVectors is StaticVectors


def test_filtered_terms_drop_sentiment_words_only():
    stems = bench.sentiment_stems(1.5)
    assert {"love", "terribl"} <= stems and "bus" not in stems
    run = grouping_leads.prepare(TEXTS, None, "fast", 0)
    done = bench.rebuilt(run, bench.VARIANTS["no sentiment 1.5"])
    vocabulary = done.representation.vectorizer_.vocabulary_
    assert "bus" in vocabulary and "love" not in vocabulary and "terribl" not in vocabulary


def test_learned_projection_joins_the_sentence_vectors():
    import pytest

    from analysis.represent import semantic_available
    from bench import learned_projection

    if not semantic_available():
        pytest.skip("the semantic engine is not installed")
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    from analysis.embeddings import MiniLMEmbedder

    topics = [i % len(TOPICS) for i in range(len(TEXTS))]
    lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto")
    lda.fit(MiniLMEmbedder(threads=1).embed(TEXTS), topics)
    run = grouping_leads.prepare(TEXTS, None, "semantic", 0)
    own = grouping_leads.themes_of(run, 6, "semantic", 0).labels
    none = bench.rebuilt(run, learned_projection.learned(lda, 0.0))
    assert none.vectors.shape[1] == run.vectors.shape[1] + 5  # 6 topics: 5 LDA axes
    assert np.array_equal(grouping_leads.themes_of(none, 6, "semantic", 0).labels, own)
    half = learned_projection.learned(lda, 0.5)
    first = grouping_leads.themes_of(bench.rebuilt(run, half), 6, "semantic", 0).labels
    again = grouping_leads.themes_of(bench.rebuilt(run, half), 6, "semantic", 0).labels
    assert set(first) <= set(range(6)) and np.array_equal(first, again)


def test_both_lead_benches_print_their_variants_one_way(capsys):
    """rev31: bench.vector_leads printed its variants with a copy of bench.grouping_leads'
    loop; both now call ``score_variants`` ("off" first, each gain against it)."""
    import argparse

    from bench import grouping_leads

    figures = {"off": {"nhs9": 50.0, "argkp": 40.0}, "lead": {"nhs9": 52.0, "argkp": 39.0}}
    args = argparse.Namespace(engine="fast", sets="dev", seed=0, variants="lead")
    grouping_leads.score_variants(
        [], args, {"off": "off", "lead": "lead"}, lambda *a: figures[a[3]]
    )
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" | ")[1] for line in lines] == ["off", "lead"]
    assert (
        "nhs9 52.00 (+2.00) | argkp 39.00 (-1.00) | mean of NHS and ArgKP gains +0.50" in lines[1]
    )


@pytest.mark.parametrize("text", ["9", "x:1", "9:abc", ":0.1"])
def test_learned_projection_refuses_a_malformed_pair_with_exit_2(text, capsys):
    """A ``LABELS:BETA`` argument it cannot read exits 2 with the reason, not a traceback
    (rev31), before anything is fitted."""
    from bench import learned_projection

    with pytest.raises(SystemExit) as stopped:
        learned_projection._pair(text)
    assert stopped.value.code == 2
    assert "expected LABELS:BETA" in capsys.readouterr().err


def test_learned_projection_reads_a_pair():
    from bench import learned_projection

    assert learned_projection._pair("44:0.15") == ("44", 0.15)


def test_learned_projection_reads_a_several_codebooks_pair():
    """proj32: ``m8``/``m16``/``m32`` name the projections learned from several codebooks."""
    from bench import learned_projection

    assert learned_projection._pair("m16:0.3") == ("m16", 0.3)


def test_several_codebooks_keep_their_classes_apart_and_centre_each():
    """proj32: a label shared by two codebooks is two classes, and a codebook moved as a whole
    (another consultation's offset) gives the same projection once centred."""
    from bench import learned_projection

    rng = np.random.default_rng(0)
    first = rng.normal(size=(60, 12))
    second = rng.normal(size=(60, 12))
    labels = ["a", "b", "c"] * 20
    lda = learned_projection.several_codebooks([("x", first, labels), ("y", second, labels)], 4)
    assert len(lda.classes_) == 6 and lda.transform(first).shape == (60, 4)
    moved = learned_projection.several_codebooks(
        [("x", first, labels), ("y", second + 5.0, labels)], 4
    )
    assert np.allclose(lda.transform(first), moved.transform(first))
