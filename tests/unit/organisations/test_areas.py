import pytest

from signaalpunt.organisations.areas import AreaRangeError, area_of_pc4, parse_ranges
from tests.factories import make_area, make_organisation, organisation


def test_ranges_are_read_as_admins_type_them() -> None:
    assert parse_ranges("4531-4536, 4538") == [(4531, 4536), (4538, 4538)]
    assert parse_ranges(" 4538 ;4531 - 4532\n9999") == [(4531, 4532), (4538, 4538), (9999, 9999)]


@pytest.mark.parametrize("typed", ["", "45", "4536-4531", "0123", "4531-", "abcd", "4531 AB"])
def test_unreadable_ranges_are_refused_naming_the_part(typed: str) -> None:
    with pytest.raises(AreaRangeError):
        parse_ranges(typed)


def test_a_postcode_finds_its_team_and_area_or_none(app) -> None:
    centrum = make_area("Centrum", ((4531, 4532),))
    noord = make_area("Noord", ((4533, 4535), (4540, 4540)))
    goeree = make_organisation()
    middelharnis = make_area("Middelharnis", ((3241, 3246),), team=goeree)
    here = organisation().id
    assert area_of_pc4("4531") == (here, centrum.id)
    assert area_of_pc4("4532") == (here, centrum.id)
    assert area_of_pc4("4540") == (here, noord.id)
    assert area_of_pc4("3245") == (goeree.id, middelharnis.id)
    assert area_of_pc4("4539") is None
    assert area_of_pc4(None) is None


def test_an_area_shows_its_postcodes_as_the_admin_typed_them(app) -> None:
    area = make_area("Noord", ((4538, 4538), (4533, 4535), (4536, 4536)))
    assert area.ranges == [(4533, 4536), (4538, 4538)]
    assert area.ranges_text == "4533-4536, 4538"
