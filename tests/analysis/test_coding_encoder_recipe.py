"""The coding encoder build's training pairs (``tools/coding_encoder_build.py``), read without
PyTorch: the joint recipe's NHS pairs (BENCHMARKS.md "jointenc27") never read Trust C, keep to
their cap and count a sub-theme's answers and name as matches; and ``bench.coding.nhs`` takes
one trust's answers on asking."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.coding_encoder

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ["code", "label", "subcategory", "feedback", "criticality", "organization"]


def recipe():
    """The build script as a module (it lives in ``tools/``, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "coding_encoder_build", ROOT / "tools" / "coding_encoder_build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_nhs(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """An NHS phase 1 file of (organisation, major theme, sub-theme, answer) rows."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for organisation, label, subcategory, feedback in rows:
            writer.writerow(
                {
                    "code": "x",
                    "label": label,
                    "subcategory": subcategory,
                    "feedback": feedback,
                    "criticality": "0",
                    "organization": organisation,
                }
            )
    return path


def sample_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for i in range(6):
        rows.append(("Trust A", "Staff", "Attitude Of Staff", f"The nurses were kind {i}."))
        rows.append(("Trust B", "Staff", "Staffing levels", f"Not enough staff on ward {i}."))
        rows.append(("Trust B", "Access", "Parking", f"Parking was hard {i}."))
        rows.append(("Trust C", "Staff", "Attitude Of Staff", f"Trust C answer {i}."))
    rows.append(("Trust A", "Staff", "Attitude Of Staff", "Both."))
    rows.append(("Trust B", "Access", "Parking", "Both."))  # a repeat with another sub-theme
    rows.append(("Trust A", "Access", "Parking", "   "))
    rows.append(("Trust C", "Other", "Only in Trust C", "A Trust C theme."))
    return rows


def test_nhs_pairs_read_trust_a_and_b_only_within_the_cap(tmp_path, monkeypatch):
    build = recipe()
    monkeypatch.setitem(build.NHS_SETTINGS, "nhs_per_subtheme", 4)
    pairs = build.read_nhs_pairs(write_nhs(tmp_path / "nhs.csv", sample_rows()))
    texts = {text for pair in pairs for text in pair[:3]} | set().union(*(p[3] for p in pairs))
    assert not any("Trust C" in text for text in texts)
    assert "Both." not in texts  # coded with two sub-themes: left out
    assert len(pairs) == 3 * 4  # three sub-themes of Trust A/B, four answers each
    theme_of = {
        feedback: sub
        for trust, _, sub, feedback in sample_rows()
        if trust != "Trust C" and feedback.strip() and feedback != "Both."
    }
    theme_of.update({name: name for name in ("Attitude Of Staff", "Staffing levels", "Parking")})
    staff = {"Attitude Of Staff", "Staffing levels"}
    for anchor, positive, negative, known in pairs:
        theme = theme_of[anchor]
        assert known == {text for text, sub in theme_of.items() if sub == theme}
        assert positive in known and positive != anchor
        assert negative not in known
        if theme in staff:  # the other sub-theme of the same major theme
            assert theme_of[negative] == (staff - {theme}).pop()
    names = set(theme_of.values())
    assert sum(positive in names for _, positive, _, _ in pairs) == 3 * 2  # alternate kinds


def test_nhs_pairs_are_the_same_on_every_read(tmp_path):
    build = recipe()
    path = write_nhs(tmp_path / "nhs.csv", sample_rows())
    assert build.read_nhs_pairs(path) == build.read_nhs_pairs(path)


def test_the_default_recipe_reads_no_nhs_setting(tmp_path):
    build = recipe()
    assert not set(build.SETTINGS) & set(build.NHS_SETTINGS)
    assert build.NHS_ORGANISATIONS == ("Trust A", "Trust B")


def test_bench_nhs_takes_one_trust_on_asking(tmp_path, monkeypatch):
    from bench import coding

    write_nhs(tmp_path / "nhs_fft_phase1.csv", sample_rows())
    monkeypatch.setattr(coding, "data_dir", lambda: tmp_path)
    texts, truth, book = coding.nhs(100, 0, 0, "Trust C")
    assert sorted(texts) == sorted(
        [f"Trust C answer {i}." for i in range(6)] + ["A Trust C theme."]
    )
    assert {code.name for code in book.codes} == {"Attitude Of Staff", "Only in Trust C"}
    everything, _, _ = coding.nhs(100, 0, 0)
    assert len(everything) == 6 * 4 + 3  # the blank answer left out


def test_bench_warns_when_the_encoder_read_these_nhs_answers(tmp_path, monkeypatch, capsys):
    from analysis.coding_encoder import ENVIRONMENT
    from bench import coding
    from tests.analysis.test_coding_encoder import _sha256, make_encoder

    data = write_nhs(tmp_path / "nhs_fft_phase1.csv", sample_rows())
    monkeypatch.setattr(coding, "data_dir", lambda: tmp_path)
    monkeypatch.setenv(ENVIRONMENT, str(make_encoder(tmp_path / "plain")))
    assert coding.nhs_note() is None  # today's encoder: ArgKP only
    joint = make_encoder(tmp_path / "joint", data={"nhs_fft_phase1.csv": _sha256(data)})
    monkeypatch.setenv(ENVIRONMENT, str(joint))
    capsys.readouterr()
    coding.nhs(100, 0, 0, "Trust C")  # the held-out trust: no warning
    assert "TRAINED ON NHS" not in capsys.readouterr().err
    coding.nhs(100, 0, 0)
    assert "TRAINED ON NHS PHASE 1" in capsys.readouterr().err
