"""A theme's summary says its commonest points (issue 12): a point one in five of its answers
make is read though its sentences lie nearer another theme's centre, and comes second."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.describe import COMMON_SHARE, common_points, summarise
from analysis.tokens import Tokenizer
from bench.summary_coverage import theme_record

LABEL = "Buses should run later in the evening"


def _summary(
    texts: list[str], terms_from: list[int] | None = None, project=None, centers=None, count=4
):
    """The fast path's summary of one theme holding every text (label: later buses)."""
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(texts)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    rows = terms_from if terms_from is not None else range(len(texts))
    terms = np.asarray(vectorizer.transform([tokens[r] for r in rows]).mean(axis=0)).ravel()
    members = list(range(len(texts)))
    return summarise(
        members,
        np.linspace(1.0, 0.5, len(texts)),
        texts,
        [f"R{i}" for i in members],
        texts,
        tokenizer,
        vectorizer,
        terms,
        label=LABEL,
        project=project,
        centers=centers,
        theme=0,
        count=count,
    )


def _elsewhere(texts: list[str]) -> np.ndarray:
    """Housing and parking sentences lie nearer theme 1's centre; the rest nearer theme 0's."""
    return np.asarray(
        [
            [0.0, 1.0] if "housing" in t.lower() or "parking" in t.lower() else [1.0, 0.0]
            for t in texts
        ]
    )


def test_a_point_one_in_five_answers_make_is_said_though_nearer_another_theme():
    texts = [f"Buses should run later in the evening on route {n}." for n in range(15)]
    for n in range(4):  # 4 of 15: a main point of this theme, nearer theme 1's centre
        texts[n] += f" Housing rents are too high for young families in town {n}."
    for n in range(4, 6):  # 2 of 15: an answer's other topic, theme 1's to report
        texts[n] += f" Parking charges in the city centre hurt shops in street {n}."
    summary = _summary(texts, project=_elsewhere, centers=np.eye(2))
    said = [s.text for s in summary if not s.only_point]
    assert any(s.startswith("Housing rents are too high") for s in said), said
    assert not any("Parking" in s for s in said), said
    housing = next(s for s in summary if s.text.startswith("Housing"))
    assert sorted(housing.ids) == ["R0", "R1", "R2", "R3"]


def test_the_second_point_is_the_most_made_main_point_before_variety():
    """Of two sentences, the second is a point a quarter of the answers make, not a rarer one
    nearer the theme's terms (variety comes after the main points)."""
    texts = [f"Buses should run later in the evening on route {n}." for n in range(20)]
    for n in range(6):
        texts[n] += f" Timetables at stops are out of date in ward {n}."
    for n in range(6, 11):
        texts[n] += f" Fares are too expensive for young people in town {n}."
    for n in range(11, 13):
        texts[n] += f" Drivers should be kinder to older passengers in village {n}."
    # The theme's terms lean on the rare point's words.
    summary = _summary(texts, terms_from=[11, 12], count=2)
    assert summary[0].text.startswith("Timetables at stops")
    assert summary[1].text.startswith("Fares are too expensive"), [s.text for s in summary]


def test_common_points_flags_the_sentences_of_points_one_in_five_answers_make():
    candidates = [(r, f"Fares are too expensive for young people in town {r}.") for r in range(3)]
    candidates += [(r, f"Bus stops need shelters and seating in village {r}.") for r in (3,)]
    candidates += [(r, f"Route {r} needs a later last bus.") for r in range(4, 15)]
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform([s for _, s in candidates])
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    vectors = np.asarray(vectorizer.transform(tokens).todense())
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    flags = common_points(candidates, vectors, 0.4, share=COMMON_SHARE)
    assert flags[:3].all()  # 3 of 15 answers: one in five
    assert not flags[3]  # one answer


def test_the_bench_counts_a_due_point_as_said_only_when_a_sentence_makes_it():
    theme = {
        "label": "later buses",
        "summary": [{"text": "cheaper fares"}, {"text": "x", "only_point": True}],
    }
    points = {"later buses": ["late"], "cheaper fares": ["fares"], "x": []}
    counts = {"late": 10, "fares": 4, "shelters": 3, "wifi": 1}
    record = theme_record(theme, counts, 10, points.__getitem__, {"shelters"})
    assert [(d["point"], d["said"], d["elsewhere"]) for d in record["due"]] == [
        ("fares", True, False),
        ("shelters", False, True),
    ]


def test_the_benches_measure_another_copy_of_the_code_in_its_own_process(tmp_path):
    """``--code DIR`` (bench.summary_coverage and bench.summary_repeats, one helper): the
    script runs with DIR first on the path and in DIR, and its ``--json`` file comes back."""
    from bench.common import run_with_json

    code = tmp_path / "code"
    code.mkdir()
    (code / "probe.py").write_text("WHERE = 'the other copy'\n", "utf-8")
    script = tmp_path / "script.py"
    script.write_text(
        "import json, os, sys\n"
        "import probe\n"
        "out, flags = sys.argv[2], sys.argv[3:]\n"
        "assert sys.argv[1] == '--json'\n"
        "json.dump({'where': probe.WHERE, 'flags': flags, 'cwd': os.getcwd()}, open(out, 'w'))\n",
        "utf-8",
    )
    found = run_with_json(code, str(script), ["--argkp", "--nhs"])
    assert found == {"where": "the other copy", "flags": ["--argkp", "--nhs"], "cwd": str(code)}
