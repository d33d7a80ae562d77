"""The rule a page's save follows for each field, and what a page drawn again after that save
shows (``consult/survey/journey.py``), without requests: a question the partner did not touch
keeps a colleague's answer, and is drawn with it, never as the partner's page had it (smoke10
finding 1: drawn empty, it read as "missing", and the next save overwrote it unseen)."""

from __future__ import annotations

from consult.survey import journey
from consult.survey.journey import colleagues_answers_kept, field_outcome, value_digest

EMPTY = value_digest("")


def test_each_field_is_written_kept_as_theirs_or_a_clash():
    assert field_outcome("agree", EMPTY, "agree") == journey.SAME
    assert field_outcome("", EMPTY, "agree") == journey.WRITE  # nobody else changed it
    assert field_outcome("agree", None, "disagree") == journey.WRITE  # the page said nothing
    # A colleague answered "agree"; the partner's page still had it empty and sent it empty.
    assert field_outcome("agree", EMPTY, "") == journey.THEIRS
    # Both changed it, differently: the colleague's answer stays and the partner is told.
    assert field_outcome("agree", EMPTY, "disagree") == journey.CLASH


def test_merge_writes_only_what_the_partner_changed():
    stored = {"q1": "agree", "q2": "Colleague's text.", "q3": ""}
    seen = {"q1": EMPTY, "q2": EMPTY, "q3": EMPTY}
    typed = {"q1": "", "q2": "Partner's text.", "q3": "Partner's reason."}
    writes, conflicts = journey.merge_page(stored, seen, typed)
    assert writes == {"q3": "Partner's reason."}
    assert conflicts == {"q2": "Colleague's text."}
    assert colleagues_answers_kept(stored, seen, typed) == ["q1"]


def test_a_page_drawn_again_shows_the_colleagues_answers_it_did_not_touch():
    posted = [("q1", ""), ("q2", "Partner's text."), ("q3", "Partner's reason.")]
    stored = [("q1", "agree"), ("q2", "Colleague's text."), ("q4", "bus"), ("q4", "tram")]
    shown = journey.shown_again(posted, stored, ["q1", "q4"])
    assert dict(shown)["q1"] == "agree"  # not the empty answer the page had
    assert dict(shown)["q2"] == "Partner's text."  # a clash keeps what was typed, with a note
    assert [v for n, v in shown if n == "q4"] == ["bus", "tram"]  # every choice of several
    assert ("q1", "") not in shown
    assert journey.shown_again(posted, stored, []) == posted


def test_a_page_sent_again_after_being_drawn_with_theirs_keeps_theirs():
    """Drawn again, the page holds the colleague's answer and ``seen`` from storage: sending
    it as shown writes nothing over it (the partner's own change would be deliberate)."""
    stored = {"q1": "agree", "q3": "Partner's reason."}
    seen = {name: value_digest(value) for name, value in stored.items()}
    writes, conflicts = journey.merge_page(stored, seen, dict(stored))
    assert writes == {} and conflicts == {}
