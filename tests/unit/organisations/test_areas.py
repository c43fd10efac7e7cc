import pytest

from signaalpunt.organisations.areas import AreaRangeError, area_id_for_pc4, parse_ranges
from tests.factories import make_area, organisation


def test_ranges_are_read_as_admins_type_them() -> None:
    assert parse_ranges("4531-4536, 4538") == [(4531, 4536), (4538, 4538)]
    assert parse_ranges(" 4538 ;4531 - 4532\n9999") == [(4531, 4532), (4538, 4538), (9999, 9999)]


@pytest.mark.parametrize("typed", ["", "45", "4536-4531", "0123", "4531-", "abcd", "4531 AB"])
def test_unreadable_ranges_are_refused_naming_the_part(typed: str) -> None:
    with pytest.raises(AreaRangeError):
        parse_ranges(typed)


def test_a_postcode_finds_its_area_or_none(app) -> None:
    centrum = make_area("Centrum", ((4531, 4532),))
    noord = make_area("Noord", ((4533, 4535), (4540, 4540)))
    org = organisation().id
    assert area_id_for_pc4(org, "4531") == centrum.id
    assert area_id_for_pc4(org, "4532") == centrum.id
    assert area_id_for_pc4(org, "4540") == noord.id
    assert area_id_for_pc4(org, "4539") is None
    assert area_id_for_pc4(org, None) is None
