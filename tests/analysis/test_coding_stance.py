"""Themes' sides learned from rows coded with themes and stance (analysis.coding_stance)."""

from __future__ import annotations

import csv
import random

import numpy as np
import pytest

from analysis.cli import main
from analysis.codebook import Code, Codebook
from analysis.coding import CodingModel
from analysis.coding_stance import RowSides, agreement, reweigh, theme_sides
from analysis.errors import InputError

# Two themes with the same words, one per side (as ArgKP's key points), and one of both sides.
BOOK = Codebook(
    (
        Code("saves", "Cost saves money", "the cost and the money"),
        Code("wastes", "Cost wastes money", "the cost and the money"),
        Code("safety", "Safety", "safe or dangerous"),
    )
)


def one_sided(count: int = 120, seed: int = 0):
    """Texts, true themes and sides: a cost answer is 'saves' when for, 'wastes' when
    against, in the same words either way; a safety answer is on either side."""
    rng = random.Random(seed)
    texts, truth, sides = [], [], []
    for i in range(count):
        side = rng.choice(["for", "against"])
        if rng.random() < 0.6:
            words = rng.choice(["money and cost", "the cost of money", "cost, money"])
            themes = frozenset({"saves" if side == "for" else "wastes"})
        else:
            words, themes = rng.choice(["safe or dangerous", "danger and safety"]), {"safety"}
        texts.append(f"{rng.choice(['I think', 'In my view', 'Well'])} {words} {i % 7}")
        truth.append(frozenset(themes))
        sides.append(side)
    return texts, truth, sides


def test_theme_sides_count_mixed_half_smooth_and_leave_a_row_out():
    human = np.array([1.0, 1.0, 0.5, np.nan, 0.0])
    y = np.array([[1, 0], [1, 0], [1, 1], [1, 1], [0, 1]])
    # theme 0: for 1 + 1 + 0.5 of 3 coded (the fourth has no stance); prior 1 each side
    assert theme_sides(human, y) == pytest.approx([(2.5 + 1) / (3 + 2), (0.5 + 1) / (2 + 2)])
    # the first row's own coding left out of its themes' counts; a query row not among them
    own = theme_sides(human, y, own=np.array([0, -1]))
    assert own[0] == pytest.approx([(1.5 + 1) / (2 + 2), (0.5 + 1) / (2 + 2)])
    assert own[1] == pytest.approx(theme_sides(human, y))
    # an unseen theme sits at 0.5, and agreeing with it is even for any response
    assert theme_sides(np.array([1.0]), np.array([[0]])) == pytest.approx([0.5])
    assert agreement(np.array([0.9, 0.1]), np.array([0.5])).ravel() == pytest.approx([0.5, 0.5])
    agree = agreement(np.array([1.0, 0.0]), np.array([0.8]))
    assert agree[:, 0] == pytest.approx([0.8, 0.2])
    # reweighing: the other side's theme loses, the own side's never gains
    assert reweigh(np.array([[0.6], [0.6]]), agree)[:, 0] == pytest.approx([0.6, 0.24])


def test_row_sides_take_the_coded_stance_else_the_model_s():
    sides = RowSides.from_stances(
        ["for", None, "mixed"], np.array([[0.2, 0.8], [0.7, 0.3], [0.9, 0.1]]), ["against", "for"]
    )
    assert sides.side == pytest.approx([1.0, 0.3, 0.5])
    assert np.isnan(sides.human[1]) and sides.human[[0, 2]] == pytest.approx([1.0, 0.5])


def test_a_respondent_s_own_stance_comes_after_a_coder_s_and_before_the_model_s():
    """The workspace has the paired agreement answer: the respondent's own side is no guess,
    so it is each row's side and guess where no coder gave one, and teaches themes' sides."""
    proba = np.array([[0.2, 0.8], [0.7, 0.3], [0.9, 0.1], [0.4, 0.6]])
    held = np.array([[0.5, 0.5], [0.6, 0.4], [0.9, 0.1], [0.4, 0.6]])
    sides = RowSides.with_answers(
        ["against", None, None, None],
        ["for", "for", None, "mixed"],
        proba,
        ["against", "for"],
        held,
    )
    assert sides.side == pytest.approx([0.0, 1.0, 0.1, 0.5])
    assert sides.guess == pytest.approx([1.0, 1.0, 0.1, 0.5])
    assert sides.human[[0, 1, 3]] == pytest.approx([0.0, 1.0, 0.5]) and np.isnan(sides.human[2])
    # without a stance model the answers alone give sides; with nothing at all, no sides
    alone = RowSides.with_answers([None, None], ["against", None])
    assert alone.side == pytest.approx([0.0, 0.5]) and alone.guess == pytest.approx([0.0, 0.5])
    assert RowSides.with_answers([None, None], [None, None]) is None


@pytest.mark.parametrize("mode", ["combine", "reweight"])
def test_themes_sides_raise_the_right_one_sided_theme(mode):
    texts, truth, stances = one_sided()
    coded = set(range(0, len(texts), 3))
    labels = [truth[i] if i in coded else None for i in range(len(texts))]
    coded_stance = [stances[i] if i in coded else None for i in range(len(texts))]
    # a stance model's guesses, right but unsure, for the rows not coded
    proba = np.array([[0.15, 0.85] if s == "for" else [0.85, 0.15] for s in stances])
    sides = RowSides.from_stances(coded_stance, proba, ["against", "for"])
    off = CodingModel(engine="fast", stance_themes="off").fit(texts, labels, BOOK, sides=sides)
    on = CodingModel(engine="fast", stance_themes=mode).fit(texts, labels, BOOK, sides=sides)
    index = {theme: j for j, theme in enumerate(BOOK.ids)}
    cost = [i for i in range(len(texts)) if i not in coded and truth[i] & {"saves", "wastes"}]
    right = [index[next(iter(truth[i]))] for i in cost]
    wrong = [1 - j for j in right]  # 'saves' and 'wastes' are columns 0 and 1
    # the words cannot tell the two cost themes apart; the response's side can
    off_margin = np.mean(off.proba_[cost, right] - off.proba_[cost, wrong])
    on_margin = np.mean(on.proba_[cost, right] - on.proba_[cost, wrong])
    assert abs(off_margin) < 0.1 and on_margin > 0.2
    on_right = np.mean([on.coded_[i] == truth[i] for i in cost])
    off_right = np.mean([off.coded_[i] == truth[i] for i in cost])
    assert on_right > off_right + 0.3


def test_without_sides_the_option_changes_nothing():
    texts, truth, _ = one_sided()
    labels = [t if i % 3 == 0 else None for i, t in enumerate(truth)]
    off = CodingModel(engine="fast", stance_themes="off").fit(texts, labels, BOOK)
    assert CodingModel().stance_themes == "combine"  # the default, read only with sides
    for mode in ("combine", "reweight"):
        on = CodingModel(engine="fast", stance_themes=mode).fit(texts, labels, BOOK)
        assert on.coded_ == off.coded_
        assert np.array_equal(on.proba_, off.proba_)


def test_bad_setting_or_sides_of_the_wrong_length_are_refused():
    texts, truth, _ = one_sided(30)
    labels = list(truth)
    with pytest.raises(InputError, match="unknown stance_themes"):
        CodingModel(engine="fast", stance_themes="maybe").fit(texts, labels, BOOK)
    short = RowSides(np.full(3, 0.5), np.full(3, 0.5), np.full(3, np.nan))
    with pytest.raises(InputError, match="one entry per text"):
        CodingModel(engine="fast", stance_themes="combine").fit(texts, labels, BOOK, sides=short)


def _cli(tmp_path, name: str, stance: bool) -> dict[str, bytes]:
    """``consult-analyse code`` on one-sided data (a third coded, themes and stance), fast
    engine; the bytes of coded.csv and suggest.csv."""
    texts, truth, sides = one_sided()
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "labels", "stance"])
        for i, text in enumerate(texts):
            coded = i % 3 == 0
            labels = ";".join(sorted(truth[i])) if coded else ""
            writer.writerow([f"r{i}", text, labels, sides[i] if coded else ""])
    book = tmp_path / "book.csv"
    book.write_text(
        "id,name,description\n" + "\n".join(f"{c.id},{c.name},{c.description}" for c in BOOK.codes)
    )
    out = tmp_path / name
    args = ["code", str(source), "--text-column", "text", "--labels-column", "labels"]
    args += ["--stance-column", "stance"] if stance else []
    args += ["--codebook", str(book), "--engine", "fast", "--quiet", "--out", str(out)]
    assert main(args) == 0
    return {f: (out / f).read_bytes() for f in ("coded.csv", "suggest.csv")}


def _default(monkeypatch, mode: str) -> None:
    """Make ``mode`` the ``stance_themes`` the command line's CodingModel gets."""
    init = CodingModel.__init__
    names = init.__code__.co_varnames[1 : 1 + len(init.__defaults__)]
    defaults = list(init.__defaults__)
    defaults[names.index("stance_themes")] = mode
    monkeypatch.setattr(init, "__defaults__", tuple(defaults))


def test_cli_without_a_stance_column_writes_the_same_bytes_with_the_option(tmp_path, monkeypatch):
    _default(monkeypatch, "off")
    before = _cli(tmp_path, "off", stance=False)
    off_with_stance = _cli(tmp_path, "off-stance", stance=True)
    _default(monkeypatch, "combine")
    assert _cli(tmp_path, "on", stance=False) == before
    # with the stance column the option is read (the theme confidences are tested above)
    assert _cli(tmp_path, "on-stance", stance=True)["coded.csv"] != off_with_stance["coded.csv"]
