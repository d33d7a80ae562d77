"""Coding against a codebook: training, prediction, cold start, suggestions, metrics, stance,
and the ``consult-analyse code`` contract with its bad-input exits."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest

from analysis.agreement import bootstrap_interval, intercoder
from analysis.cli import main
from analysis.code_cli import CODED_COLUMNS
from analysis.codebook import Code, Codebook, parse_codebook
from analysis.coding import CodingModel, decide, decide_matrix, multi_hot_f1, sample_f1
from analysis.coding_floor import CONFIDENCE_FLOOR, EARLY_FLOOR, floor_for
from analysis.errors import InputError
from analysis.stance_model import StanceModel
from analysis.suggest import suggest
from tests.analysis.fixtures import TOPICS

pytestmark = pytest.mark.coding_encoder

BOOK = Codebook(
    (
        Code("buses", "Bus services", "Reliable, frequent buses", ("bus", "late")),
        Code("housing", "Affordable housing", "Homes people can afford", ("housing", "rent")),
        Code("skills", "Skills and colleges", "Courses and apprenticeships", ("skills",)),
    )
)
FOR = ["We support the proposal.", "This plan is welcome.", "We back this change."]
AGAINST = ["We oppose the proposal.", "This plan is a mistake.", "We reject this change."]


def coded_rows(count: int = 160, seed: int = 3) -> list[dict]:
    """Synthetic answers written by the test: one or two topics each, and a side."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        themes = rng.sample(sorted(TOPICS), k=1 if rng.random() < 0.7 else 2)
        side = rng.choice(["for", "against"])
        opener = rng.choice(FOR if side == "for" else AGAINST)
        text = " ".join([opener, *(rng.choice(TOPICS[t]) for t in themes)])
        rows.append(
            {"id": f"R{index + 1:03d}", "text": text, "truth": frozenset(themes), "side": side}
        )
    return rows


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return coded_rows()


def _labels(rows, share: float, seed: int = 0):
    picked = set(random.Random(seed).sample(range(len(rows)), int(share * len(rows))))
    return [r["truth"] if i in picked else None for i, r in enumerate(rows)], picked


def test_learns_several_themes_per_answer_and_keeps_human_codes(rows, engine):
    labels, picked = _labels(rows, 0.3)
    model = CodingModel(engine=engine).fit([r["text"] for r in rows], labels, BOOK)
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 >= 0.85
    assert any(len(model.coded_[i]) == 2 for i in rest)  # second themes are found
    for i in picked:  # human codes are never changed
        assert model.coded_[i] == rows[i]["truth"] and model.source_[i] == "human"
    assert all(model.source_[i] == "model" for i in rest)
    assert model.proba_.shape == (len(rows), 3) and np.all(
        (model.proba_ >= 0) & (model.proba_ <= 1)
    )
    assert np.all((model.confidence_ > 0) & (model.confidence_ <= 1))


def test_predicts_new_texts_and_refuses_unknown_theme_ids(rows):
    labels, _ = _labels(rows, 0.3)
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    assert "housing" in model.predict(["Rents are too high and housing is unaffordable."])[0]
    bad = list(labels)
    bad[0] = frozenset({"trains"})
    with pytest.raises(InputError, match="unknown theme id 'trains'"):
        CodingModel(engine="fast").fit([r["text"] for r in rows], bad, BOOK)


def test_decision_rule_with_a_threshold_per_theme():
    proba = np.array([[0.6, 0.3, 0.1], [0.2, 0.25, 0.1], [0.05, 0.1, 0.15]])
    ids = ("a", "b", "c")
    assert decide(proba, ids, np.array([0.5, 0.3, 0.5]), top=1.01) == [
        frozenset({"a", "b"}),
        frozenset(),
        frozenset(),
    ]
    # when no theme reaches its threshold, the most likely one if it reaches ``top``
    assert decide(proba, ids, np.array([0.5, 0.3, 0.5]), top=0.12)[1:] == [
        frozenset({"b"}),
        frozenset({"c"}),
    ]
    truth = [frozenset({"a"}), frozenset(), frozenset({"b", "c"})]
    predicted = decide(proba, ids, 0.2, 0.0)
    as_matrix = np.array([[t in row for t in ids] for row in truth], dtype=np.int8)
    assert np.allclose(
        multi_hot_f1(as_matrix, decide_matrix(proba, 0.2, 0.0)), sample_f1(truth, predicted)
    )


def test_each_theme_with_enough_examples_gets_its_own_threshold(rows):
    labels, _ = _labels(rows, 0.5)
    texts = [r["text"] for r in rows]
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert model.theme_thresholds_.shape == (len(BOOK.ids),)
    assert np.all((model.theme_thresholds_ > 0) & (model.theme_thresholds_ < 1))
    # a theme nobody has coded yet keeps the threshold common to all themes
    without = [None if t is None else t - {"skills"} for t in labels]
    sparse = CodingModel(engine="fast").fit(texts, without, BOOK)
    assert sparse.theme_thresholds_[BOOK.ids.index("skills")] == sparse.add_threshold_
    # and with too few coded rows to tune, every theme has the common one
    few = [t if i < 10 else None for i, t in enumerate(labels)]
    assert set(CodingModel(engine="fast").fit(texts, few, BOOK).theme_thresholds_) == {0.5}


def test_cold_start_codes_by_similarity_to_the_codebook(rows):
    texts = [r["text"] for r in rows]
    model = CodingModel(engine="fast").fit(texts, [None] * len(rows), BOOK)
    assert model.cold_start_
    right = np.mean([bool(model.coded_[i] & r["truth"]) for i, r in enumerate(rows)])
    assert right >= 0.8  # the closest code is one of the answer's themes


def test_fitting_is_reproducible(rows):
    labels, _ = _labels(rows, 0.2)
    texts = [r["text"] for r in rows]
    first = CodingModel(engine="fast", seed=4).fit(texts, labels, BOOK)
    second = CodingModel(engine="fast", seed=4).fit(texts, labels, BOOK)
    assert first.coded_ == second.coded_
    assert np.array_equal(first.proba_, second.proba_)


def test_suggestions_are_uncoded_distinct_and_explained(rows):
    labels, picked = _labels(rows, 0.15)
    texts = [r["text"] for r in rows]
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    picks = suggest(10, model.vectors_, coding=model)
    assert len(picks) == 10 and len({p.row for p in picks}) == 10
    assert not {p.row for p in picks} & picked
    assert all(p.reason for p in picks)
    cold = CodingModel(engine="fast").fit(texts, [None] * len(rows), BOOK)
    first = suggest(5, cold.vectors_, coding=cold)
    assert [p.reason for p in first] == ["a typical response not yet like any coded one"] * 5
    assert len({texts[p.row] for p in first}) == 5  # no two picks are the same answer


def test_with_few_coded_rows_doubt_is_weighted_by_how_typical_a_response_is(rows, monkeypatch):
    from sklearn.preprocessing import normalize

    import analysis.suggest as module

    labels, picked = _labels(rows, 0.15)
    texts = [r["text"] for r in rows]
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    uncoded = np.array(sorted(set(range(len(rows))) - picked))
    assert len(model.coded_rows_) < module.SMALL and module.DENSITY > 0
    weighted = suggest(10, model.vectors_, coding=model)
    monkeypatch.setattr(module, "DENSITY", 0.0)
    plain = suggest(10, model.vectors_, coding=model)
    density = module._density(normalize(model.vectors_), uncoded)
    by_row = dict(zip(uncoded.tolist(), density, strict=True))
    plain_all = {p.row: p.score for p in suggest(len(uncoded), model.vectors_, coding=model)}
    for pick in weighted:  # each score is the plain doubt times the row's density
        assert pick.score == pytest.approx(plain_all[pick.row] * by_row[pick.row], abs=1e-4)
    assert [p.row for p in weighted] != [p.row for p in plain]
    # From SMALL coded rows on, the doubt is used as it is.
    monkeypatch.setattr(module, "DENSITY", 1.0)
    monkeypatch.setattr(module, "SMALL", len(model.coded_rows_))
    assert [p.row for p in suggest(10, model.vectors_, coding=model)] == [p.row for p in plain]


def test_density_is_the_mean_similarity_to_the_nearest_other_responses(monkeypatch):
    import analysis.suggest as module

    rng = np.random.default_rng(0)
    centre = np.ones(8) / np.sqrt(8)
    crowd = centre + 0.05 * rng.normal(size=(30, 8))
    crowd /= np.linalg.norm(crowd, axis=1, keepdims=True)
    odd = -centre[None, :]
    vectors = np.vstack([crowd, odd])
    density = module._density(vectors, np.arange(31))
    assert density[:30].min() > 0.9 and density[30] == pytest.approx(1e-3)  # clipped
    similarity = vectors[:30] @ vectors[:30].T
    np.fill_diagonal(similarity, -np.inf)
    nearest = -np.sort(-similarity, axis=1)[:, : module.DENSITY_K]
    assert np.allclose(density[:30], nearest.mean(axis=1))
    # Many responses: neighbours sought among a seeded sample, same answer each time.
    monkeypatch.setattr(module, "DENSITY_SAMPLE", 12)
    sampled = module._density(vectors, np.arange(31))
    assert np.array_equal(sampled, module._density(vectors, np.arange(31)))
    assert sampled[:30].min() > 0.9 and sampled[30] == pytest.approx(1e-3)


def test_metrics_interval_and_curve(rows):
    from analysis.agreement import coding_metrics

    labels, _ = _labels(rows, 0.4)
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    metrics = coding_metrics(model)
    low, high = metrics["sample_f1_interval"]
    assert low <= metrics["sample_f1"] <= high and metrics["sample_f1"] > 0.8
    assert [p["sample_f1"] for p in metrics["learning_curve"]][-1] == pytest.approx(
        metrics["sample_f1"], abs=0.05
    )
    assert {t["theme"] for t in metrics["per_theme"]} == set(BOOK.ids)
    assert set(metrics["decision_rule"]["theme_thresholds"]) == set(BOOK.ids)
    assert metrics["themed"] + metrics["no_theme_by_both"] == metrics["coded"]
    assert metrics["sample_f1_themed"] is not None
    assert bootstrap_interval(np.ones(20)) == (1.0, 1.0)


def test_stance_is_learned_from_coded_sides(rows):
    sides = [r["side"] if i % 4 == 0 else None for i, r in enumerate(rows)]
    model = StanceModel(engine="fast").fit([r["text"] for r in rows], sides)
    rest = [i for i in range(len(rows)) if i % 4]
    accuracy = np.mean([model.stance_[i] == rows[i]["side"] for i in rest])
    majority = max(np.mean([rows[i]["side"] == side for i in rest]) for side in ("for", "against"))
    assert accuracy >= 0.7 and accuracy >= majority + 0.15
    with pytest.raises(InputError, match="at least two kinds"):
        StanceModel(engine="fast").fit(["a", "b"], ["for", None])


def test_intercoder_agreement():
    first = [frozenset({"a"}), frozenset({"a", "b"}), frozenset(), frozenset({"b"})]
    same = intercoder(first, first, ["a", "b"])
    assert same["sample_f1"] == 1.0 and all(t["kappa"] == 1.0 for t in same["per_theme"])
    other = [frozenset({"b"}), frozenset({"a"}), frozenset({"a"}), frozenset({"b"})]
    differ = intercoder(first, other, ["a", "b"])
    assert differ["sample_f1"] < 0.6
    assert min(t["kappa"] for t in differ["per_theme"]) < 0.5


def test_codebook_from_themes_json_and_bad_codebooks():
    document = {
        "themes": [
            {
                "id": "T1",
                "label": "Bus services",
                "keywords": ["bus"],
                "quotes": [{"text": "Late buses"}],
            },
            {"id": "non-substantive", "label": "No substantive answer"},
        ]
    }
    book = parse_codebook(json.dumps(document).encode(), "themes.json")
    assert book.ids == ["T1"] and book.codes[0].examples == ("Late buses",)
    with pytest.raises(InputError, match="appears twice"):
        parse_codebook(b"id,name\nA,x\nA,y\n", "book.csv")
    with pytest.raises(InputError, match="needs 'id' and 'name'"):
        parse_codebook(b"code,title\nA,x\n", "book.csv")
    with pytest.raises(InputError, match="not allowed"):
        parse_codebook(b"id,name\n=cmd,x\n", "book.csv")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"id,name\nA,x\nB,y\nA,z\n",
            "book.csv",
            "book.csv: row 4: theme id 'A' appears twice in the codebook (first in row 2)",
        ),
        # A cell over two lines is still one spreadsheet row.
        (b'id,name\nA,"x\nand y"\n,z\n', "book.csv", "book.csv: row 3: a theme has no id"),
        (
            b'[{"id": "A", "name": "x"}, {"id": "b;c", "name": "y"}]',
            "book.json",
            "book.json: theme 2: theme id 'b;c' is not allowed",
        ),
    ],
)
def test_a_codebook_problem_names_its_row(data, name, message):
    """Staff fixing a codebook of 40 themes need to know where the problem is."""
    with pytest.raises(InputError) as raised:
        parse_codebook(data, name)
    assert str(raised.value).startswith(message), str(raised.value)


# --- the command line contract -----------------------------------------------------------


def _write(path: Path, rows, labelled: set[int], stance_rows: set[int]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rid", "answer", "codes", "position"])
        for i, r in enumerate(rows):
            codes = (";".join(sorted(r["truth"])) or "-") if i in labelled else ""
            writer.writerow([r["id"], r["text"], codes, r["side"] if i in stance_rows else ""])
    return path


def _book(path: Path) -> Path:
    path.write_text(
        "id,name,description,keywords\n"
        + "\n".join(
            f'{c.id},{c.name},{c.description},"{";".join(c.keywords)}"' for c in BOOK.codes
        ),
        encoding="utf-8",
    )
    return path


def test_cli_writes_coded_suggest_and_metrics(rows, tmp_path, capsys):
    labelled = set(range(0, len(rows), 4))
    data = _write(tmp_path / "in.csv", rows, labelled, labelled)
    out = tmp_path / "out"
    code = main(
        [
            "code",
            str(data),
            "--text-column",
            "answer",
            "--labels-column",
            "codes",
            "--stance-column",
            "position",
            "--id-column",
            "rid",
            "--codebook",
            str(_book(tmp_path / "book.csv")),
            "--question",
            "What matters most?",
            "--engine",
            "fast",
            "--suggest",
            "7",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    coded = list(csv.DictReader((out / "coded.csv").open(encoding="utf-8")))
    assert list(coded[0]) == [
        "id",
        "themes",
        "source",
        "confidence",
        "stance",
        "stance_source",
        "stance_confidence",
        "unsure",
    ]
    assert [c["id"] for c in coded] == [r["id"] for r in rows]  # input order
    for i, c in enumerate(coded):
        if i in labelled:
            assert c["source"] == "human" and c["themes"] == ";".join(sorted(rows[i]["truth"]))
            assert c["stance"] == rows[i]["side"] and c["stance_source"] == "human"
            assert c["unsure"] == ""
        else:
            assert c["source"] == "model" and 0 < float(c["confidence"]) <= 1
            # below the floor: marked, its themes still given (the columns' contract)
            assert c["unsure"] == ("yes" if float(c["confidence"]) < CONFIDENCE_FLOOR else "")
            assert c["themes"]
            assert c["stance"] in {"for", "against"} and c["stance_source"] == "model"
    suggested = list(csv.DictReader((out / "suggest.csv").open(encoding="utf-8")))
    assert len(suggested) == 7 and all(s["reason"] for s in suggested)
    assert not {s["id"] for s in suggested} & {rows[i]["id"] for i in labelled}
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["themes"]["sample_f1"] > 0.8 and metrics["stance"]["accuracy"] >= 0.6
    assert metrics["question"] == "What matters most?"
    # 40 rows coded over 3 themes: enough, so the base floor, as the web app's rule gives
    assert (metrics["floor"], metrics["floor_why"]) == (CONFIDENCE_FLOOR, "")


def _unsure_run(rows, tmp_path, labelled: set[int], *extra: str) -> tuple[list[dict], dict]:
    """``code`` on ``rows`` with ``labelled`` coded (and ``extra`` options): coded.csv's
    rows and metrics.json."""
    data = _write(tmp_path / "in.csv", rows, labelled, set())
    out = tmp_path / "out"
    args = ["code", str(data), "--text-column", "answer", "--labels-column", "codes"]
    args += ["--codebook", str(_book(tmp_path / "book.csv")), "--engine", "fast", "--quiet"]
    assert main([*args, *extra, "--out", str(out)]) == 0
    coded = list(csv.DictReader((out / "coded.csv").open(encoding="utf-8")))
    return coded, json.loads((out / "metrics.json").read_text())


def test_cli_floor_is_the_web_apps_rule_unless_given(rows, tmp_path, capsys):
    """The default floor is :func:`analysis.coding_floor.floor_for`, as web coding jobs use
    (0.3 while fewer than 20 rows are coded or fewer than 2 a theme, else 0.1); an explicit
    ``--confidence-floor`` still wins. The columns stay as they were (reviewedrun)."""
    labelled = set(range(0, 64, 8))  # 8 coded rows: too few
    assert floor_for(len(labelled), len(BOOK)) == EARLY_FLOOR
    coded, metrics = _unsure_run(rows, tmp_path, labelled)
    assert list(coded[0]) == list(CODED_COLUMNS)
    assert metrics["floor"] == EARLY_FLOOR
    assert metrics["floor_why"] == "the model has learnt from only 8 codes"
    model = [c for c in coded if c["source"] == "model"]
    assert len(model) == len(rows) - len(labelled)
    for c in model:
        assert c["unsure"] == ("yes" if float(c["confidence"]) < EARLY_FLOOR else "")
    raised = {c["id"] for c in model if c["unsure"]}
    # the same codes with the floor given: it wins, and no reason is recorded
    given, metrics = _unsure_run(rows, tmp_path, labelled, "--confidence-floor", "0.1")
    assert (metrics["floor"], metrics["floor_why"]) == (0.1, "")
    for c in given:
        if c["source"] == "model":
            assert c["unsure"] == ("yes" if float(c["confidence"]) < 0.1 else "")
    lowered = {c["id"] for c in given if c["unsure"]}
    assert lowered < raised  # rows between the two floors are unsure only by default
    # the raised floor is in the summary line, said why (not with --quiet)
    capsys.readouterr()
    data = tmp_path / "in.csv"
    args = ["code", str(data), "--text-column", "answer", "--labels-column", "codes"]
    args += ["--codebook", str(tmp_path / "book.csv"), "--engine", "fast"]
    assert main([*args, "--out", str(tmp_path / "again")]) == 0
    line = capsys.readouterr().out
    unsure = sum(c["unsure"] == "yes" for c in model)
    assert (
        f"; {unsure} of {len(model)} model-coded rows are unsure (below 0.3: the model has "
        "learnt from only 8 codes); "
    ) in line


def test_cli_cold_start_says_so(rows, tmp_path):
    data = _write(tmp_path / "in.csv", rows, set(), set())
    out = tmp_path / "out"
    assert (
        main(
            [
                "code",
                str(data),
                "--text-column",
                "answer",
                "--codebook",
                str(_book(tmp_path / "book.csv")),
                "--engine",
                "fast",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["mode"].startswith("cold start")
    assert metrics["stance"]["note"].startswith("stance not measured")
    assert {c["source"] for c in csv.DictReader((out / "coded.csv").open())} == {"model"}


@pytest.mark.parametrize(
    "change, extra, reason",
    [
        (
            lambda t: t.replace(",buses,", ",trains,", 1),
            ["--codebook", "BOOK"],
            "unknown theme id 'trains'",
        ),
        (lambda t: t, [], "no coded rows and no --codebook"),
        (
            lambda t: t.replace(",for\n", ",maybe\n", 1),
            ["--codebook", "BOOK"],
            "unknown stance 'maybe'",
        ),
        (lambda t: t, ["--codebook", "BOOK", "--suggest", "-1"], "--suggest must be 0 or more"),
        (lambda t: t, ["--codebook", "missing.csv"], "cannot read the codebook"),
        (
            lambda t: t,
            ["--codebook", "BOOK", "--confidence-floor", "1.5"],
            "--confidence-floor must be from 0 to 1",
        ),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(rows, tmp_path, capsys, change, extra, reason):
    labelled = set(range(0, len(rows), 4)) if "BOOK" in extra else set()
    data = tmp_path / "in.csv"
    _write(data, rows, labelled, labelled)
    data.write_text(change(data.read_text(encoding="utf-8")), encoding="utf-8")
    book = str(_book(tmp_path / "book.csv"))
    extra = [book if e == "BOOK" else str(tmp_path / e) if e.endswith(".csv") else e for e in extra]
    code = main(
        [
            "code",
            str(data),
            "--text-column",
            "answer",
            "--labels-column",
            "codes",
            "--stance-column",
            "position",
            "--engine",
            "fast",
            *extra,
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and reason in err and err.count("\n") == 1


def test_theme_views_are_the_features_with_each_themes_similarity_columns(rows):
    """The per-theme matrices built once and rewritten in place hold what a sparse hstack
    of the features and the theme's two similarity columns would (zeros stored or not)."""
    import scipy.sparse as sp

    model = CodingModel(engine="fast").fit([r["text"] for r in rows], _labels(rows, 0.3)[0], BOOK)
    x = model.vectors_[:40]
    similarity = model._similarity_columns(x)
    similarity[0][3, 1] = 0.0  # a zero appended value is stored, and changes no sum
    views = model._theme_views(x, similarity)
    for j, view in enumerate(views):
        extra = model.similarity_weight * np.column_stack([s[:, j] for s in similarity])
        expected = sp.hstack([x, sp.csr_matrix(extra)]).tocsr()
        assert view.shape == expected.shape and (view != expected).nnz == 0
        assert np.array_equal(view @ np.arange(view.shape[1]), expected @ np.arange(view.shape[1]))
    assert j == len(BOOK) - 1


def test_suggestions_weigh_theme_and_stance_doubt_together(rows, monkeypatch):
    import analysis.suggest as module

    labels, picked = _labels(rows, 0.15)
    texts = [r["text"] for r in rows]
    sides = [r["side"] if i in picked else None for i, r in enumerate(rows)]
    coding = CodingModel(engine="fast").fit(texts, labels, BOOK)
    stance = StanceModel(engine="fast").fit(texts, sides)
    uncoded = np.array(sorted(set(range(len(rows))) - picked))
    theme_doubt = 1 - np.asarray(coding.confidence_)[uncoded]
    top = np.sort(stance.proba_[uncoded], axis=1)
    stance_doubt = 1 - (top[:, -1] - top[:, -2])
    assert module.SHARE == "sum"
    monkeypatch.setattr(module, "DENSITY", 0.0)  # doubts as they are (see the density test)
    picks = suggest(10, coding.vectors_, coding=coding, stance=stance, uncoded=uncoded)
    assert len({p.row for p in picks}) == 10 and not {p.row for p in picks} & picked
    # Each pick's score is its theme doubt (plus any rare-theme bonus) and its weighted
    # stance doubt together, so a row doubtful on both outranks one doubtful on either.
    for pick in picks:
        k = int(np.flatnonzero(uncoded == pick.row)[0])
        both = theme_doubt[k] + module.STANCE_WEIGHT * stance_doubt[k]
        assert both - 1e-4 <= pick.score <= both + module.RARE_BONUS + 1e-4
        # beside the score, the two doubts it was made of (tests/analysis/test_suggest_reasons)
        assert pick.theme_doubt == round(float(theme_doubt[k]), 4)
        assert pick.stance_doubt == round(float(stance_doubt[k]), 4)
        assert "unsure of its stance" in pick.reason or "theme" in pick.reason
    first = picks[0]  # the most useful: no diversity penalty yet
    assert first.score >= np.max(theme_doubt + module.STANCE_WEIGHT * stance_doubt) - 1e-4
    # The rule only concerns stance: with no stance model, the batch is what it always was.
    alone = [p.row for p in suggest(10, coding.vectors_, coding=coding, uncoded=uncoded)]
    monkeypatch.setattr(module, "SHARE", "max")
    assert alone == [p.row for p in suggest(10, coding.vectors_, coding=coding, uncoded=uncoded)]
    before = suggest(10, coding.vectors_, coding=coding, stance=stance, uncoded=uncoded)
    assert [p.score for p in before] != [p.score for p in picks]


@pytest.mark.skipif(
    not __import__("analysis.embeddings", fromlist=["available"]).available(),
    reason="the semantic extra is not installed",
)
def test_coding_features_take_the_questions_direction_out_of_the_embeddings(tmp_path):
    """With the question's wording, the coding vectors lose its direction (answers that echo
    it are told apart by their reasons); without it they are MiniLM's own."""
    from analysis.features import CodingFeatures

    question = "We should ban the use of child actors"
    texts = [
        "We should not ban child actors because films need children in them",
        "Child actors miss out on school",
    ]
    plain = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(texts)
    asked = CodingFeatures(engine="semantic", cache_dir=str(tmp_path), question=question).fit(texts)
    direction = plain.embed([question])[0]
    before, after = plain.embed(texts), asked.embed(texts)
    assert np.all(np.abs(before @ direction) > 0.3)
    assert np.all(np.abs(after @ direction) < 1e-4)
    assert np.allclose(np.linalg.norm(after, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(asked.embed(texts), after)  # reruns are identical
