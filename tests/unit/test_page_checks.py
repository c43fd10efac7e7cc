"""The checks every parsed page must pass find what they look for."""

from bs4 import BeautifulSoup

from tests.pages import forms_without_action, unlabelled_fields, unmatched_quotes


def test_a_field_without_a_label_is_found() -> None:
    soup = BeautifulSoup(
        '<label for="a">A</label><input id="a" name="a"><label>B <input name="b"></label>'
        '<input name="c" aria-label="C"><input type="hidden" name="d"><textarea name="e"></textarea>',
        "html.parser",
    )
    assert unlabelled_fields(soup) == ["e"]


def test_a_curly_quote_opened_and_not_closed_is_found() -> None:
    soup = BeautifulSoup("<p>‘Niet bereikbaar’ kan pas</p><p>foto’s</p><p>‘Doorverwezen' is fout</p>", "html.parser")
    assert unmatched_quotes(soup) == ["‘Doorverwezen' is fout"]


def test_a_form_without_an_action_is_found() -> None:
    soup = BeautifulSoup('<form method="post" action="/inloggen"></form><form method="post"></form>', "html.parser")
    assert forms_without_action(soup) == ['<form method="post"></form>']
