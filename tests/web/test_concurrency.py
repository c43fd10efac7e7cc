"""Two staff members acting on one signal from pages loaded at the same time: one wins, the other is told."""

import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent
from signaalpunt.extensions import db
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal, TimelineEvent
from tests.factories import make_signal, make_user
from tests.staff import client_for


def post_form(client, page, selector: str, changes: dict):
    form = page.one(selector)
    values = {**page.form_values(selector), **changes}
    return client.post(form["action"], values)


def test_second_assignment_from_a_stale_page_is_refused_and_shows_the_new_state(app: Flask) -> None:
    signal = make_signal()
    sanne = make_user(Role.WORKER, name="Sanne de Vries")
    joost = make_user(Role.WORKER, name="Joost Verhoeven")
    first = client_for(app, make_user(Role.COORDINATOR, name="Fatima"))
    second = client_for(app, make_user(Role.COORDINATOR, name="Karel"))
    page_first = first.get(f"/werk/meldingen/{signal.reference}")
    page_second = second.get(f"/werk/meldingen/{signal.reference}")

    won = post_form(first, page_first, "form[action$='/assign']", {"assign-assignee": str(sanne.id)})
    lost = post_form(second, page_second, "form[action$='/assign']", {"assign-assignee": str(joost.id)})

    assert won.status_code == 303
    assert lost.status_code == 409
    assert "Iemand anders heeft deze melding intussen gewijzigd." in lost.text
    assert "Toegewezen aan Sanne de Vries" in lost.text
    db.session.expire_all()
    stored = db.session.get(Signal, signal.id)
    assert stored.assignee_id == sanne.id
    assert stored.status == SignalStatus.ASSIGNED
    kinds = db.session.scalars(sa.select(TimelineEvent.kind).where(TimelineEvent.signal_id == signal.id)).all()
    assert [k.value for k in kinds] == ["reported", "assigned"]


def test_action_no_longer_possible_after_a_colleague_acted_says_so(app: Flask) -> None:
    signal = make_signal()
    joost = make_user(Role.WORKER, name="Joost Verhoeven")
    first = client_for(app, make_user(Role.COORDINATOR))
    second = client_for(app, make_user(Role.COORDINATOR))
    stale = second.get(f"/werk/meldingen/{signal.reference}")
    post_form(
        first, first.get(f"/werk/meldingen/{signal.reference}"), "form[action$='/reject']", {"reject-reason": "spam"}
    )
    lost = post_form(second, stale, "form[action$='/assign']", {"assign-assignee": str(joost.id)})
    assert lost.status_code == 409
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).status == SignalStatus.NOT_PURSUED
    assert "Niet opgepakt: spam of nepmelding" in lost.text


def refusals() -> list[tuple[str, str, str]]:
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.result == "refused")).all()
    return [(event.action, event.object_key, event.actor.role.value) for event in events]


def test_a_refusal_for_a_stale_form_is_audited_too(app: Flask) -> None:
    signal = make_signal()
    sanne = make_user(Role.WORKER, name="Sanne de Vries")
    first = client_for(app, make_user(Role.COORDINATOR))
    second = client_for(app, make_user(Role.COORDINATOR))
    stale = second.get(f"/werk/meldingen/{signal.reference}")
    post_form(
        first,
        first.get(f"/werk/meldingen/{signal.reference}"),
        "form[action$='/assign']",
        {"assign-assignee": str(sanne.id)},
    )
    assert post_form(second, stale, "form[action$='/reject']", {"reject-reason": "spam"}).status_code == 409
    assert refusals() == [("signal.reject", signal.reference, "coordinator")]


def test_a_forbidden_action_with_a_stale_version_is_audited(app: Flask) -> None:
    signal = make_signal()
    worker = make_user(Role.WORKER)
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    values = page.form_values("form[action$='/assign']")
    post_form(coordinator, page, "form[action$='/assign']", {"assign-assignee": str(worker.id)})
    intruder = client_for(app, worker)
    token = intruder.get(f"/werk/meldingen/{signal.reference}").soup.select_one("input[name$='csrf_token']")["value"]
    # The worker may not reject; her form (crafted from the coordinator's) names an older version.
    refused = intruder.client.post(
        f"/werk/meldingen/{signal.reference}/reject",
        data={"reject-csrf_token": token, "reject-version": values["assign-version"], "reject-reason": "spam"},
    )
    assert refused.status_code == 409, "the page changed under her: she sees it as it is now"
    assert "Iemand anders heeft deze melding intussen gewijzigd." in refused.get_data(as_text=True)
    assert refusals() == [("signal.reject", signal.reference, "worker")]


def test_a_reopen_from_a_stale_page_is_refused(app: Flask) -> None:
    signal = make_signal()
    signal.status = SignalStatus.NOT_PURSUED
    db.session.commit()
    first = client_for(app, make_user(Role.COORDINATOR))
    second = client_for(app, make_user(Role.COORDINATOR))
    stale = second.get(f"/werk/meldingen/{signal.reference}")
    post_form(first, first.get(f"/werk/meldingen/{signal.reference}"), "form[action$='/reopen']", {})
    post_form(
        first, first.get(f"/werk/meldingen/{signal.reference}"), "form[action$='/reject']", {"reject-reason": "spam"}
    )
    lost = post_form(second, stale, "form[action$='/reopen']", {"reopen-note": "Toch serieus."})
    assert lost.status_code == 409
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).status == SignalStatus.NOT_PURSUED
