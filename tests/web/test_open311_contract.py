"""Every Open311 answer against the standard: JSON validated with the GeoReport v2 schemas kept in
tests/schemas/open311 (written from the specification), XML against the specification's element structure."""

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker

from signaalpunt.extensions import db
from tests.factories import make_api_key, make_area, make_partner

SCHEMAS = Path(__file__).parent.parent / "schemas" / "open311"
# The element structure of each XML answer: root, item, and the child elements an item may hold.
XML = {
    "services": ("service", {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}),
    "service_requests": (
        "request",
        {
            "service_request_id",
            "token",
            "service_notice",
            "account_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        },
    ),
    "errors": ("error", {"code", "description"}),
}


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / f"{name}.json").read_text()), format_checker=FormatChecker())


@pytest.fixture
def key(app: Flask) -> str:
    make_area("Centrum", ((4531, 4532),))
    return make_api_key(make_partner())


def answers(client: FlaskClient, key: str, fmt: str) -> dict[str, list]:
    """One answer of every kind, by the schema it must meet."""
    posted = client.post(
        f"/open311/v2/requests.{fmt}",
        data={
            "api_key": key,
            "service_code": "zorg-om-ander",
            "address_string": "Dorpsstraat 7, 4531 AB Terneuzen",
            "attribute[reporter_role]": "courier",
            "description": "De gordijnen zijn al een week dicht.",
        },
    )
    assert posted.status_code == 201, posted.data
    reference = (
        posted.get_json()[0]["service_request_id"]
        if fmt == "json"
        else ElementTree.fromstring(posted.data).find("request/service_request_id").text
    )
    self_report = {"api_key": key, "service_code": "zorg-om-mezelf", "first_name": "Henk", "phone": "0612345678"}
    return {
        "discovery": [client.get(f"/open311/v2/discovery.{fmt}")],
        "services": [client.get(f"/open311/v2/services.{fmt}")],
        "service_definition": [
            client.get(f"/open311/v2/services/{code}.{fmt}") for code in ("zorg-om-ander", "zorg-om-mezelf")
        ],
        "post_request": [
            posted,
            client.post(f"/open311/v2/requests.{fmt}", data={**self_report, "attribute[postcode]": "4531 AB"}),
        ],
        "service_requests": [
            client.get(f"/open311/v2/requests/{reference}.{fmt}"),
            client.get(f"/open311/v2/requests.{fmt}", query_string={"api_key": key, "status": "open"}),
        ],
        "errors": [
            client.get(f"/open311/v2/services/nee.{fmt}"),
            client.post(f"/open311/v2/requests.{fmt}", data={"api_key": "x"}),
            client.post(f"/open311/v2/requests.{fmt}", data={"api_key": key, "service_code": "zorg-om-ander"}),
        ],
    }


def test_every_json_answer_meets_the_georeport_schemas(client: FlaskClient, key: str) -> None:
    for schema, responses in answers(client, key, "json").items():
        for response in responses:
            assert response.content_type == "application/json; charset=utf-8"
            problems = [error.message for error in validator(schema).iter_errors(response.get_json())]
            assert not problems, (schema, problems)


def test_every_xml_answer_has_the_specifications_elements(client: FlaskClient, key: str) -> None:
    for schema, responses in answers(client, key, "xml").items():
        for response in responses:
            assert response.content_type == "text/xml; charset=utf-8"
            root = ElementTree.fromstring(response.data)
            if schema == "post_request":
                schema = "service_requests"
            if schema in XML:
                item, allowed = XML[schema]
                assert root.tag == schema and len(root) >= 1
                for child in root:
                    assert child.tag == item and {element.tag for element in child} <= allowed, (schema, child.tag)
            elif schema == "service_definition":
                assert root.tag == "service_definition"
                assert [c.tag for c in root] == ["service_code", "attributes"]
                assert {a.tag for a in root.find("attributes")} == {"attribute"}
            else:
                assert root.tag == "discovery" and root.find("endpoints/endpoint/url") is not None


def test_a_request_never_shows_more_than_the_reduced_public_view(client: FlaskClient, key: str) -> None:
    for response in answers(client, key, "json")["service_requests"]:
        for request in response.get_json():
            shown = set(request)
            assert shown <= {
                "service_request_id",
                "status",
                "status_notes",
                "service_name",
                "service_code",
                "requested_datetime",
                "updated_datetime",
                "zipcode",
            }
            assert len(request["zipcode"]) in (0, 4)
    assert db.session.scalar(sa.text("select count(*) from signals")) == 2
