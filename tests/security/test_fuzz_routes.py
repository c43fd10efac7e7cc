"""Every route with odd values in its path and query parameters: refused or shown, never a server error."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from signaalpunt.accounts.enums import Role
from signaalpunt.figures.forms import PeriodForm
from tests.factories import make_area, make_signal, make_user
from tests.staff import client_for

pytestmark = pytest.mark.slow

SOURCE = Path(__file__).resolve().parents[2] / "signaalpunt"
_ARG = re.compile(r"""(?:args\.get|id_arg)\(\s*["'](\w+)["']""")
_PLACEHOLDER = re.compile(r"<(?:[^:>]+:)?(\w+)>")


def query_parameters() -> list[str]:
    """Every query parameter the code reads, found in the code itself, so a new one is fuzzed too."""
    names = {name for path in SOURCE.rglob("*.py") for name in _ARG.findall(path.read_text())}
    names |= {name for name, value in vars(PeriodForm).items() if isinstance(value, UnboundField)}
    return sorted(names)


ODD = st.one_of(
    st.sampled_from(["²", "١٢", "99999999999999999999", "0", "-1", "SP-AAAA-AAAA", "outside", "none", "1"]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.text(max_size=30),
)


@pytest.fixture
def visitors(app: Flask) -> dict:
    area = make_area()
    signal = make_signal()
    clients = {role: client_for(app, make_user(role, areas=(area,))).client for role in (Role.ADMIN, Role.COORDINATOR)}
    clients[None] = app.test_client()
    return {"clients": clients, "reference": signal.reference}


def test_no_route_answers_with_a_server_error(app: Flask, visitors: dict) -> None:
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )
    parameters = query_parameters()
    assert {"page", "area", "q", "van", "werkgebied"} <= set(parameters)
    for rule in rules:
        fuzz_route(rule.rule, parameters, visitors)


def fuzz_route(route: str, parameters: list[str], visitors: dict) -> None:
    """Odd values for each placeholder and the query parameters, from each kind of visitor."""

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        def value(match: re.Match) -> str:
            return quote(data.draw(st.one_of(ODD, st.just(visitors["reference"]))), safe="") or "x"

        path = _PLACEHOLDER.sub(value, route)
        # Each parameter present half the time; ?taal= (which switches the language) only now and then.
        drawn = {name: data.draw(st.one_of(st.none(), ODD)) for name in parameters if name != "taal"}
        drawn["taal"] = data.draw(st.one_of(st.none(), st.none(), st.none(), ODD))
        query = {name: odd for name, odd in drawn.items() if odd is not None}
        for role, client in visitors["clients"].items():
            response = client.get(path, query_string=query)
            assert response.status_code < 500, (path, query, role, response.status_code)

    fuzz()
