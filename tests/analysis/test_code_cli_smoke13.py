"""smoke13 findings 3 and 4: ``consult-analyse code`` refusing a file says enough to fix it.
An agreement answer in the stance column ("Disagree", as ``themes --stance-column`` reads)
is named as such, with the side a person would code; a repeated id names both its rows."""

from __future__ import annotations

import pytest

from tests.analysis.test_code_cli_files import encode, run, table


def refusal(tmp_path, capsys, rows) -> str:
    assert run(tmp_path, encode(rows)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, nothing written
    assert not (tmp_path / "o").exists()
    return err.strip()


@pytest.mark.parametrize(
    "answer, side",
    [("Disagree", "against"), ("Strongly agree", "for"), ("Neither agree nor disagree", "mixed")],
)
def test_an_agreement_answer_in_the_stance_column_is_named_with_its_side(
    tmp_path, capsys, answer, side
):
    err = refusal(tmp_path, capsys, table(stance=lambda s: answer))
    assert err == (
        f"consult-analyse: error: row 2 (line 2 of the file): unknown stance '{answer}' "
        "(use for, against or mixed): it reads as a respondent's agreement answer, which "
        "`themes --stance-column` takes; `code --stance-column` takes the side a person "
        f"coded the answer as, here '{side}'"
    )


def test_another_unknown_stance_has_no_agreement_hint(tmp_path, capsys):
    err = refusal(tmp_path, capsys, table(stance=lambda s: "maybe"))
    assert err.endswith("unknown stance 'maybe' (use for, against or mixed)")


def test_a_repeated_id_names_both_its_rows(tmp_path, capsys):
    rows = table()
    rows[7][0] = rows[3][0]  # rows 4 and 8 of the file (the header is row 1)
    err = refusal(tmp_path, capsys, rows)
    assert err.endswith(
        f"the id '{rows[3][0]}' appears twice in the column 'id': "
        "row 4 (line 4 of the file) and row 8 (line 8 of the file)"
    )
