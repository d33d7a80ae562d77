"""The estimator: scikit-learn's contract, and each stage's behaviour through it, on both
engines (the ``engine`` fixture)."""

from __future__ import annotations

import io
import pickle
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis.api import STAGE_NAMES, ThemeModel
from analysis.describe import make_label
from analysis.errors import InputError
from analysis.tokens import Tokenizer
from tests.analysis.fixtures import CAMPAIGN, responses

pytestmark = pytest.mark.coding_encoder

NEW_ANSWERS = ["The buses are late every morning", "n/a", "Affordable housing for families"]


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def data():
    rows = responses(150)
    return (
        [r["answer"] for r in rows],
        [r["response_id"] for r in rows],
        [r["partner_type"] for r in rows],
    )


@pytest.fixture(scope="module")
def fitted(data, engine):
    texts, ids, partners = data
    return ThemeModel(n_themes=3, seed=0, engine=engine).fit(
        texts, ids=ids, segments={"type": partners}
    )


def test_fit_returns_self_and_learns_attributes(data, engine):
    texts, ids, _ = data
    model = ThemeModel(n_themes=3, engine=engine)
    assert model.fit(texts, ids=ids) is model
    for name in (
        "labels_",
        "themes_",
        "memberships_",
        "confidence_",
        "sentiment_",
        "stance_",
        "cluster_centers_",
        "n_themes_",
        "summary_",
        "timings_",
    ):
        assert hasattr(model, name), name
    assert model.n_themes_ == 3 and len(model.labels_) == len(texts)
    assert model.engine_ == engine


def test_get_params_set_params_and_clone(fitted):
    model = ThemeModel(n_themes=4, seed=3, verbose=1)
    assert model.get_params()["n_themes"] == 4 and model.get_params()["verbose"] == 1
    assert model.set_params(n_themes=2, verbose=0) is model
    assert (model.n_themes, model.verbose) == (2, 0)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    fitted_copy = clone(fitted.set_params(verbose=2))  # a fitted model clones unfitted
    fitted.set_params(verbose=0)
    assert fitted_copy.get_params() == {**fitted.get_params(), "verbose": 2}
    assert not hasattr(fitted_copy, "labels_") and hasattr(fitted, "labels_")


def test_unfitted_model_says_so():
    for use in (ThemeModel().predict, ThemeModel().transform):
        with pytest.raises(NotFittedError, match="not fitted"):
            use(["buses"])


def test_verbose_draws_the_bar_only_on_a_terminal(data, monkeypatch):
    texts, _, _ = data
    stages_seen = []
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    ThemeModel(n_themes=3, engine="fast", verbose=1).fit(
        texts, on_stage=lambda stage, done, total: stages_seen.append((stage, done, total))
    )
    assert stages_seen == [(name, i, 7) for i, name in enumerate(STAGE_NAMES, start=1)]
    frames = screen.getvalue().split("\r")[1:]
    assert len(frames) == 7 and frames[-1].endswith("s\n")
    assert frames[-1].startswith("[" + "#" * 30 + "] 7/7 segments")
    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    ThemeModel(n_themes=3, engine="fast").fit(texts)  # verbose=0
    not_a_terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", not_a_terminal)
    ThemeModel(n_themes=3, engine="fast", verbose=1).fit(texts)
    assert quiet.getvalue() == "" and not_a_terminal.getvalue() == ""


def test_a_run_that_stops_early_ends_the_bar_line(monkeypatch, data):
    from analysis import stages

    def refuse(*args, **kwargs):
        raise InputError("stopped in the grouping stage")

    monkeypatch.setattr(stages, "themes", refuse)
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with pytest.raises(InputError, match="stopped in the grouping stage"):
        ThemeModel(engine="fast", verbose=1).fit(data[0])  # fails in stage 3
    assert screen.getvalue().endswith("\n") and "2/7 representation" in screen.getvalue()


def test_nothing_substantive_is_refused_in_the_cleaning_stage(monkeypatch):
    """Input that cannot be themed is refused before the vectors are made (the distinct
    answers are picked in the cleaning stage), so nothing slow runs first."""
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with pytest.raises(InputError, match="no usable rows"):
        ThemeModel(engine="fast", verbose=1).fit(["n/a", "nothing"])
    assert screen.getvalue() == ""  # not even the first stage finished


def test_verbose_2_writes_a_line_a_stage_when_not_a_terminal(monkeypatch, data):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    ThemeModel(n_themes=3, engine="fast", verbose=2).fit(data[0])
    lines = log.getvalue().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        f"{i}/7 {word}"
        for i, word in enumerate(
            ["cleaning", "vectors", "grouping", "stability", "sentiment and stance"]
            + ["describing", "segments"],
            start=1,
        )
    ]
    assert ": 3 themes (after " in lines[2] and "\r" not in log.getvalue()
    screen = FakeTerminal()  # on a terminal, the bar as at verbose=1
    monkeypatch.setattr(sys, "stderr", screen)
    ThemeModel(n_themes=3, engine="fast", verbose=2).fit(data[0])
    assert screen.getvalue().count("\r") == 7 and "consult-analyse:" not in screen.getvalue()


def test_themes_match_the_topics(fitted, data):
    """Each synthetic topic lands in its own theme with a readable label."""
    texts, _, _ = data
    label_of = {t["id"]: t["label"].lower() for t in fitted.themes_}
    hits = {"bus": set(), "housing": set(), "skill": set()}
    for text, theme in zip(texts, fitted.theme_ids_, strict=True):
        for word, found in hits.items():
            if word in text.lower() and theme != "NS":
                found.add(theme)
    majority = {
        word: max(
            found,
            key=lambda t: sum(
                1
                for text, th in zip(texts, fitted.theme_ids_, strict=True)
                if th == t and word in text.lower()
            ),
        )
        for word, found in hits.items()
    }
    assert len(set(majority.values())) == 3
    assert any(word in label_of[majority["bus"]] for word in ("bus", "late", "service"))
    assert any(word in label_of[majority["housing"]] for word in ("housing", "afford"))


def test_predict_and_transform(fitted):
    predicted = fitted.predict(NEW_ANSWERS)
    assert predicted[1] == -1 and predicted[0] != predicted[2]
    similarity = fitted.transform(["Bus service is unreliable"])
    assert similarity.shape == (1, 3) and np.all(similarity <= 1.0001)


def test_predict_and_transform_change_nothing_learned(fitted):
    before = pickle.dumps(fitted)
    surface = {token: dict(forms) for token, forms in fitted.tokenizer_.surface_.items()}
    fitted.predict(["Buses servicing servicing the estate", *NEW_ANSWERS])
    fitted.transform(["Housings housings, housing costings"] * 20)
    assert pickle.dumps(fitted) == before
    assert {t: dict(f) for t, f in fitted.tokenizer_.surface_.items()} == surface


def test_a_fitted_model_pickles_and_predicts_after_loading(fitted, data):
    texts, _, _ = data
    loaded = pickle.loads(pickle.dumps(fitted))
    assert loaded.themes_ == fitted.themes_ and loaded.get_params() == fitted.get_params()
    assert np.array_equal(loaded.predict(NEW_ANSWERS), fitted.predict(NEW_ANSWERS))
    assert np.allclose(loaded.transform(texts[:30]), fitted.transform(texts[:30]))
    assert np.array_equal(loaded.predict(texts), fitted.labels_)


def test_non_substantive_bucket_counted_never_dropped(fitted, data):
    texts, _, _ = data
    assert fitted.non_substantive_["size"] == sum(1 for t in fitted.theme_ids_ if t == "NS")
    assert fitted.non_substantive_["size"] > 0
    blank = sum(1 for t in texts if not t.strip())
    assert blank and fitted.not_answered_["size"] == blank  # blank: not answered, apart
    assert sum(1 for t in fitted.theme_ids_ if t == "") == blank
    assert sum(t["size"] for t in fitted.themes_) + fitted.non_substantive_["size"] + blank == len(
        texts
    )


def test_campaign_counts_once_but_every_response_is_mapped(fitted, data):
    texts, _, _ = data
    campaign = [i for i, text in enumerate(texts) if text == CAMPAIGN]
    assert len(campaign) >= 3 and all("campaign" in fitted.flags_[i] for i in campaign)
    assert len({fitted.theme_ids_[i] for i in campaign}) == 1
    assert fitted.summary_["distinct_answers_clustered"] < fitted.summary_["substantive"]


def test_multi_label_primary_first(fitted):
    for primary, themes in zip(fitted.labels_, fitted.memberships_, strict=True):
        if primary >= 0:
            assert themes[0] == primary and len(set(themes)) == len(themes)


def test_stance_from_agreement_answers(data):
    texts, ids, _ = data
    agreement = ["Strongly agree", "Disagree", "Neither agree nor disagree", ""] * 40
    model = ThemeModel(n_themes=3, engine="fast").fit(texts, agreement=agreement[: len(texts)])
    assert model.stance_[:3] == ["for", "against", "mixed"]


def test_bad_inputs(engine):
    with pytest.raises(InputError, match="no rows"):
        ThemeModel(engine=engine).fit([])
    with pytest.raises(InputError, match="no usable rows"):
        ThemeModel(engine=engine).fit(["n/a", "", "nothing"])
    with pytest.raises(InputError, match="cannot make 10 themes"):
        ThemeModel(n_themes=10, engine=engine).fit(["buses are late", "housing costs"])


def test_label_uses_surface_forms_not_stems():
    tokenizer = Tokenizer(min_phrase_count=2)
    texts = [
        "The bus service is unreliable",
        "bus service reliability matters",
        "Bus services are late",
        "the bus service needs reliability",
    ] * 3
    tokenizer.fit(texts)
    tokenizer.transform(texts)
    label = make_label(["bus_servic", "reliabl", "late"], tokenizer)
    assert label.startswith("Bus service")
    assert "servic " not in label + " " and "reliabl " not in label + " "


def test_labels_do_not_depend_on_what_was_tokenised_before():
    """Surface forms are learned in fit only: tokenising other text later (a summary's
    sentences for an earlier theme, or answers to predict) never changes a label."""
    texts = ["The bus service is unreliable", "bus service is late", "Bus services are late"] * 4
    tokenizer = Tokenizer(min_phrase_count=2).fit(texts)
    before = make_label(["bus_servic", "late"], tokenizer)
    tokenizer.transform(["Buses servicing, bus servicing, buses servicing lately"] * 30)
    assert make_label(["bus_servic", "late"], tokenizer) == before == "Bus service and late"


def test_a_tokenizer_pickles_and_works_after_loading():
    tokenizer = Tokenizer(min_phrase_count=2).fit(["bus service late", "bus service poor"] * 3)
    loaded = pickle.loads(pickle.dumps(tokenizer))
    assert loaded.transform(["Bus services"]) == tokenizer.transform(["Bus services"])
    assert loaded.display("bus_servic") == "bus service"


def test_threads_setting_gives_same_result(data, engine):
    texts, _, _ = data
    one = ThemeModel(n_themes=3, threads=1, engine=engine).fit(texts)
    two = ThemeModel(n_themes=3, threads=2, engine=engine).fit(texts)
    assert one.theme_ids_ == two.theme_ids_
