"""The estimator: scikit-learn's contract, and each stage's behaviour through it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis.api import ThemeModel
from analysis.describe import make_label
from analysis.errors import InputError
from analysis.tokens import Tokenizer
from tests.analysis.fixtures import CAMPAIGN, responses


@pytest.fixture(scope="module")
def data():
    rows = responses(150)
    return (
        [r["answer"] for r in rows],
        [r["response_id"] for r in rows],
        [r["partner_type"] for r in rows],
    )


@pytest.fixture(scope="module")
def fitted(data):
    texts, ids, partners = data
    return ThemeModel(n_themes=3, seed=0).fit(texts, ids=ids, segments={"type": partners})


def test_fit_returns_self_and_learns_attributes(data):
    texts, ids, _ = data
    model = ThemeModel(n_themes=3)
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


def test_get_params_and_clone():
    model = ThemeModel(n_themes=4, seed=3)
    assert model.get_params()["n_themes"] == 4
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "labels_")


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError):
        ThemeModel().predict(["buses"])


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
    predicted = fitted.predict(
        ["The buses are late every morning", "n/a", "Affordable housing for families"]
    )
    assert predicted[1] == -1 and predicted[0] != predicted[2]
    similarity = fitted.transform(["Bus service is unreliable"])
    assert similarity.shape == (1, 3) and np.all(similarity <= 1.0001)


def test_non_substantive_bucket_counted_never_dropped(fitted, data):
    texts, _, _ = data
    assert fitted.non_substantive_["size"] == sum(1 for t in fitted.theme_ids_ if t == "NS")
    assert fitted.non_substantive_["size"] > 0
    assert sum(t["size"] for t in fitted.themes_) + fitted.non_substantive_["size"] == len(texts)


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
    model = ThemeModel(n_themes=3).fit(texts, agreement=agreement[: len(texts)])
    assert model.stance_[:3] == ["for", "against", "mixed"]


def test_bad_inputs():
    with pytest.raises(InputError, match="no rows"):
        ThemeModel().fit([])
    with pytest.raises(InputError, match="no usable rows"):
        ThemeModel().fit(["n/a", "", "nothing"])
    with pytest.raises(InputError, match="cannot make 10 themes"):
        ThemeModel(n_themes=10).fit(["buses are late", "housing costs"])


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


def test_threads_setting_gives_same_result(data):
    texts, _, _ = data
    one = ThemeModel(n_themes=3, threads=1).fit(texts)
    two = ThemeModel(n_themes=3, threads=2).fit(texts)
    assert one.theme_ids_ == two.theme_ids_
