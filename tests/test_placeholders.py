"""Translatable text is filled in one pass, as Qt's QString::arg does."""

from __future__ import annotations

from cma_desktop.placeholders import fill


def test_a_value_holding_a_placeholder_is_not_filled_again() -> None:
    text = fill("The data folder %1 is open (%2); delete %3.", "/home/ana/My%20Notes", "process 7", "/x/%1.lock")
    assert text == "The data folder /home/ana/My%20Notes is open (process 7); delete /x/%1.lock."


def test_translators_may_reorder_and_unknown_numbers_stay() -> None:
    assert fill("%2 of %1", 10, 3) == "3 of 10"
    assert fill("%1 of %2 right (%3%)", 1, 10, 10) == "1 of 10 right (10%)"
    assert fill("%1 and %4", "a") == "a and %4"
