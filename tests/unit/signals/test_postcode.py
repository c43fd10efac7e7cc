import pytest
from hypothesis import given
from hypothesis import strategies as st

from signaalpunt.signals.postcode import normalise_house_number_suffix, normalise_postcode, parse_house_number, pc4


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234AB", "1234 AB"),
        ("1234ab", "1234 AB"),
        (" 1234  AB ", "1234 AB"),
        ("4531 ab", "4531 AB"),
        ("9999\tzz", "9999 ZZ"),
    ],
)
def test_postcode_is_normalised(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["0123 AB", "123 AB", "12345 AB", "1234 A", "1234 ABC", "1234 SA", "1234 SD", "1234 ss", "ABCD 12", "", "1234-AB"],
)
def test_impossible_postcode_is_refused(typed: str) -> None:
    assert normalise_postcode(typed) is None


letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@given(
    digits=st.integers(min_value=1000, max_value=9999),
    pair=st.tuples(letters, letters).map("".join).filter(lambda p: p not in {"SA", "SD", "SS"}),
    spaces=st.text(alphabet=" ", max_size=3),
    lower=st.booleans(),
)
def test_any_real_postcode_normalises_to_one_canonical_form(digits: int, pair: str, spaces: str, lower: bool) -> None:
    typed = f"{digits}{spaces}{pair.lower() if lower else pair}"
    normalised = normalise_postcode(typed)
    assert normalised == f"{digits} {pair}"
    assert normalise_postcode(normalised) == normalised
    assert pc4(normalised) == str(digits)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12", (12, None)), ("12a", (12, "A")), ("12 A", (12, "A")), ("12-2", (12, "2")), ("1", (1, None))],
)
def test_house_number_with_suffix_is_split(typed: str, expected: tuple) -> None:
    assert parse_house_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "0", "a12", "twaalf", "123456", "12 a b c d e f g"])
def test_impossible_house_number_is_refused(typed: str) -> None:
    assert parse_house_number(typed) is None


def test_suffix_is_upper_cased_and_checked() -> None:
    assert normalise_house_number_suffix("bis") == "BIS"
    assert normalise_house_number_suffix("-2") == "2"
    assert normalise_house_number_suffix("<b>") is None
