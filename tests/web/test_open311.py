"""Open311 GeoReport v2 for partner apps: keys made and revoked in the browser, a request posted by the web
form's rules and stored once, and a public view that never shows more than the reference and a coarse status."""

import json
import logging
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.enums import Channel, SignalStatus
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_partner, make_signal, make_user
from tests.pages import PageClient
from tests.staff import client_for

POST = {
    "service_code": "zorg-om-ander",
    "address_string": "4531 AB 12",
    "attribute[reporter_role]": "courier",
    "attribute[observations][]": ["post_piling_up", "curtains_closed"],
    "description": "De brievenbus puilt al twee weken uit.",
}


@pytest.fixture
def world(app: Flask) -> dict:
    area = make_area("Centrum", ((4531, 4532),))
    partner = make_partner()
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    return {"app": app, "area": area, "partner": partner, "coordinator": coordinator}


def new_key(coordinator: PageClient, partner: Partner, label: str = "bezorg-app") -> str:
    page = coordinator.get(f"/beheer/partners/{partner.id}/sleutels")
    made = coordinator.submit(page, {"label": label}, selector="#new-key-form")
    assert made.status_code == 200
    return made.text_of("#new-key")


def post(client: FlaskClient, key: str, fmt: str = "json", **changes: object) -> TestResponse:
    return client.post(f"/open311/v2/requests.{fmt}", data={"api_key": key, **POST, **changes})


def test_a_coordinator_makes_a_key_shown_once_and_stored_hashed(world: dict) -> None:
    key = new_key(world["coordinator"], world["partner"])
    assert key.startswith("sp_") and len(key) > 40
    page = world["coordinator"].get(f"/beheer/partners/{world['partner'].id}/sleutels")
    assert key not in page.text and key[:10] in page.text_of("#api-keys")
    stored = db.session.scalar(sa.text("select key_hash from api_keys"))
    assert key not in stored and len(stored) == 64


def test_a_posted_request_is_stored_once_like_the_form_and_shows_only_the_public_view(
    world: dict, client: FlaskClient
) -> None:
    key = new_key(world["coordinator"], world["partner"])
    retry = {"Idempotency-Key": "koerier-42"}
    first = client.post("/open311/v2/requests.json", data={"api_key": key, **POST}, headers=retry)
    assert first.status_code == 201
    [answer] = first.get_json()
    again = client.post("/open311/v2/requests.json", data={"api_key": key, **POST}, headers=retry)
    assert again.get_json()[0]["service_request_id"] == answer["service_request_id"], "a retry finds the first"
    [signal] = db.session.scalars(sa.select(Signal)).all()
    assert (signal.channel, signal.partner.slug, signal.postcode, signal.house_number) == (
        Channel.API,
        "snelpakket",
        "4531 AB",
        12,
    )
    assert signal.area_id == world["area"].id, "routed by postcode as on the web form"
    assert signal.reference in world["coordinator"].get("/werk/").text, "on the board like any other"

    shown = client.get(f"/open311/v2/requests/{signal.reference}.json").get_json()
    assert shown == [
        {
            "service_request_id": signal.reference,
            "status": "open",
            "status_notes": "ontvangen",
            "service_name": "Zorg om iemand anders",
            "service_code": "zorg-om-ander",
            "requested_datetime": shown[0]["requested_datetime"],
            "updated_datetime": shown[0]["updated_datetime"],
            "zipcode": "4531",
        }
    ]
    text = json.dumps(shown)
    assert "brievenbus" not in text and "4531 AB" not in text and '"12"' not in text
    xml = ElementTree.fromstring(client.get(f"/open311/v2/requests/{signal.reference}.xml").data)
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text == signal.reference


def test_a_key_lists_only_its_own_requests(world: dict, client: FlaskClient) -> None:
    mine, theirs = new_key(world["coordinator"], world["partner"]), new_key(world["coordinator"], world["partner"], "b")
    post(client, mine)
    post(client, theirs, description="Gordijnen zijn al dagen dicht, niemand doet open.")
    make_signal(postcode="4531 AB")
    listed = client.get("/open311/v2/requests.json", query_string={"api_key": mine}).get_json()
    assert len(listed) == 1
    assert client.get("/open311/v2/requests.json", query_string={"api_key": mine, "status": "closed"}).get_json() == []
    # Once it ends, it is listed as closed, no longer as open.
    db.session.execute(sa.update(Signal).where(Signal.api_key_id.is_not(None)).values(status=SignalStatus.CLOSED))
    db.session.commit()
    closed = client.get("/open311/v2/requests.json", query_string={"api_key": mine, "status": "closed"}).get_json()
    assert [(item["status"], item["status_notes"]) for item in closed] == [("closed", "afgerond")]
    assert client.get("/open311/v2/requests.json", query_string={"api_key": mine, "status": "open"}).get_json() == []


def test_bad_requests_get_the_standards_errors_and_store_nothing(world: dict, client: FlaskClient) -> None:
    key = new_key(world["coordinator"], world["partner"])
    cases = [
        (post(client, "sp_wrong"), 403),
        (post(client, key, service_code="onbekend"), 400),
        (post(client, key, address_string="", description="x"), 400),
        (post(client, key, address_string="1234"), 400),
        (post(client, key, description="x" * 2001), 400),
        (post(client, key, description="<script>alert(1)</script> puilt uit"), 400),
        (post(client, key, fmt="csv"), 400),
        (post(client, key, jurisdiction_id="bestaat-niet"), 404),
        (client.post("/open311/v2/requests.json", json={"api_key": key, **POST}), 400),
        (client.get("/open311/v2/requests.json", query_string={"api_key": key, "start_date": "gisteren"}), 400),
        (client.get("/open311/v2/services/onbekend.json"), 404),
        (client.get("/open311/v2/requests/SP-AAAA-AAAA.xml"), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, (response.status_code, response.data[:200])
        if response.content_type.startswith("application/json"):
            assert all(error["code"] == status and error["description"] for error in response.get_json())
        else:
            assert ElementTree.fromstring(response.data).find("error/code").text == str(status)
    assert db.session.scalar(sa.select(sa.func.count(Signal.id))) == 0


def test_a_revoked_key_is_refused_at_once(world: dict, client: FlaskClient) -> None:
    key = new_key(world["coordinator"], world["partner"])
    assert post(client, key).status_code == 201
    page = world["coordinator"].get(f"/beheer/partners/{world['partner'].id}/sleutels")
    world["coordinator"].submit(page, selector="#api-keys form")
    refused = post(client, key)
    assert refused.status_code == 403 and "ingetrokken" in refused.get_json()[0]["description"]


def test_services_describe_the_forms_questions(client: FlaskClient, world: dict) -> None:
    services = client.get("/open311/v2/services.json").get_json()
    assert [s["service_code"] for s in services] == ["zorg-om-ander", "zorg-om-mezelf"]
    definition = client.get("/open311/v2/services/zorg-om-ander.json").get_json()
    codes = {attribute["code"]: attribute for attribute in definition["attributes"]}
    assert codes["observations"]["datatype"] == "multivaluelist"
    assert {"key": "post_piling_up", "name": "Post of kranten stapelen zich op"} in codes["observations"]["values"]
    assert codes["reporter_role"]["required"] is True
    xml = ElementTree.fromstring(client.get("/open311/v2/services/zorg-om-ander.xml").data)
    assert xml.tag == "service_definition" and xml.find("attributes/attribute/code") is not None
    assert client.get("/open311/v2/openapi.json").get_json()["openapi"] == "3.1.0"


def test_each_request_is_logged_with_its_keys_id_never_the_key(
    world: dict, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    key = new_key(world["coordinator"], world["partner"])
    with caplog.at_level(logging.INFO, logger="signaalpunt.requests"):
        post(client, key)
    logged = [
        record.fields
        for record in caplog.records
        if getattr(record, "fields", {}).get("path", "").startswith("/open311")
    ]
    key_id = db.session.scalar(sa.text("select id from api_keys"))
    assert logged and logged[-1]["api_key_id"] == key_id
    assert all(key not in repr(record.__dict__) for record in caplog.records)


def test_a_body_over_the_limit_gets_the_standards_error(world: dict, client: FlaskClient) -> None:
    key = new_key(world["coordinator"], world["partner"])
    response = post(client, key, description="x" * (300 * 1024))
    assert response.status_code == 413 and response.get_json()[0]["code"] == 413
    assert db.session.scalar(sa.select(sa.func.count(Signal.id))) == 0


def test_each_key_has_its_own_rate_limit(world: dict, client: FlaskClient) -> None:
    world["app"].config["API_RATE_LIMIT"] = "2 per minute"
    busy, calm = new_key(world["coordinator"], world["partner"]), new_key(world["coordinator"], world["partner"], "b")
    answers = [client.get("/open311/v2/requests.json", query_string={"api_key": busy}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[-1].get_json()[0]["code"] == 429
    assert client.get("/open311/v2/requests.json", query_string={"api_key": calm}).status_code == 200


def test_the_region_administrator_sees_every_teams_keys_and_a_coordinator_only_her_own(world: dict) -> None:
    new_key(world["coordinator"], world["partner"], "terneuzen-app")
    region = client_for(world["app"], make_user(Role.REGION_ADMIN))
    new_key(region, world["partner"], "regio-app")
    region_page = region.get(f"/beheer/partners/{world['partner'].id}/sleutels").text_of("#api-keys")
    assert "terneuzen-app" in region_page and "regio-app" in region_page
    own = world["coordinator"].get(f"/beheer/partners/{world['partner'].id}/sleutels").text_of("#api-keys")
    assert "terneuzen-app" in own and "regio-app" not in own
    worker = client_for(world["app"], make_user(Role.WORKER))
    assert worker.client.get(f"/beheer/partners/{world['partner'].id}/sleutels").status_code == 403
