"""smoke27 finding: the duplicates sentence quoted its example with the answer's own full stop
and then ended the sentence, "such as “Neighbouring shire councils should have voting seats,
not observer status.”. Campaigns ..." on every demo run page and in the command line's report.
The quoted example drops a closing full stop, as the reports' other quoted labels do ("Also in
this group: “Share data … join up”.")."""

from __future__ import annotations

from analysis.report import duplicates_sentence, repeat_example

SENTENCE = "Neighbouring shire councils should have voting seats, not observer status."


def test_the_example_quoted_ends_without_its_own_full_stop():
    said = duplicates_sentence({"D1": 15, "D2": 5}, 1, example=SENTENCE)
    assert (
        "grouped as duplicates, such as “Neighbouring shire councils should have voting "
        "seats, not observer status”. Campaigns are texts" in said
    )
    assert ".”." not in said


def test_other_endings_and_clipped_examples_are_kept():
    assert repeat_example("Is this it?") == "Is this it?"
    assert repeat_example("More trams please!") == "More trams please!"
    assert repeat_example("Agree") == "Agree"
    assert repeat_example("  Agree.  ") == "Agree"
    assert repeat_example("Etc...") == "Etc..."
    long = " ".join(f"word{n}" for n in range(20)) + "."
    assert repeat_example(long) == " ".join(f"word{n}" for n in range(15)) + " …"
    assert repeat_example("") == ""
