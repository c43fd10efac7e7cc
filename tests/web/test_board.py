"""The board: what comes first, the filters, pages, and a constant number of queries however many signals."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.workflow import assign_signal
from tests.factories import make_area, make_signal, make_user
from tests.pages import Page, PageClient
from tests.staff import login


def references(page: Page) -> list[str]:
    return [row.select_one("th a").get_text(strip=True) for row in page.soup.select(".signal-table tbody tr")]


@pytest.fixture
def coordinator(pages: PageClient) -> PageClient:
    login(pages, make_user(Role.COORDINATOR))
    return pages


def test_urgent_then_overdue_then_by_deadline(app: Flask, coordinator: PageClient) -> None:
    calm = make_signal()
    overdue = make_signal()
    overdue.due_at = utcnow() - timedelta(hours=1)
    urgent = make_signal(urgent=True)
    db.session.commit()
    page = coordinator.get("/werk/")
    assert references(page) == [urgent.reference, overdue.reference, calm.reference]
    overdue_row = page.soup.select(".signal-table tbody tr")[1]
    assert "Te laat" in overdue_row.get_text()
    assert "row--overdue" in overdue_row["class"]
    assert "Urgent" in page.soup.select(".signal-table tbody tr")[0].get_text()


def test_tabs_show_counts_per_status(app: Flask, coordinator: PageClient) -> None:
    worker = make_user(Role.WORKER)
    for _ in range(3):
        make_signal()
    assign_signal(make_signal(), make_user(Role.COORDINATOR), worker)
    db.session.commit()
    tabs = coordinator.get("/werk/").text_of(".tabs")
    assert "Nieuw (3)" in tabs
    assert "Toegewezen (1)" in tabs
    assigned = coordinator.get("/werk/?tab=assigned")
    assert len(references(assigned)) == 1


def test_filters_narrow_the_list(app: Flask, coordinator: PageClient) -> None:
    centrum = make_area("Centrum", ((4531, 4532),))
    make_area("Noord", ((4533, 4535),))
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    in_centrum = make_signal(postcode="4531 AB", street="Markt")
    outside = make_signal(postcode="9999 ZZ", street="Dijkweg")
    via_partner = make_signal(postcode="4533 CD", partner_slug="snelpakket")
    urgent = make_signal(postcode="4534 EF", urgent=True)

    assert references(coordinator.get(f"/werk/?area={centrum.id}")) == [in_centrum.reference]
    assert references(coordinator.get("/werk/?area=outside")) == [outside.reference]
    assert references(coordinator.get(f"/werk/?partner={partner.id}")) == [via_partner.reference]
    assert references(coordinator.get("/werk/?urgent=1")) == [urgent.reference]
    assert references(coordinator.get("/werk/?q=dijk")) == [outside.reference]
    assert references(coordinator.get("/werk/?q=4531")) == [in_centrum.reference]
    assert references(coordinator.get(f"/werk/?q={in_centrum.reference.lower()}")) == [in_centrum.reference]
    assert references(coordinator.get("/werk/?overdue=1")) == []
    filtered = coordinator.get(f"/werk/?area={centrum.id}&q=markt")
    assert filtered.one("#filter-q")["value"] == "markt"
    assert filtered.one(f"#filter-area option[value='{centrum.id}']").has_attr("selected")


@pytest.mark.parametrize("text", ["%", "_", "'; DROP TABLE signals; --", "\\", '" OR 1=1'])
def test_search_metacharacters_are_taken_literally(app: Flask, coordinator: PageClient, text: str) -> None:
    make_signal(street="Markt")
    page = coordinator.get("/werk/", query_string={"q": text})
    assert page.status_code == 200
    assert references(page) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("signals"))) == 1


def test_pages_of_twenty_five(app: Flask, coordinator: PageClient) -> None:
    made = [make_signal() for _ in range(30)]
    first = coordinator.get("/werk/")
    second = coordinator.get("/werk/?page=2")
    assert len(references(first)) == 25
    assert len(references(second)) == 5
    assert set(references(first)) | set(references(second)) == {s.reference for s in made}
    assert "Pagina 1 van 2" in first.text
    assert second.one("a[rel=prev]")


def test_worker_lands_on_my_signals(app: Flask, pages: PageClient) -> None:
    worker = make_user(Role.WORKER)
    mine = make_signal()
    assign_signal(mine, make_user(Role.COORDINATOR), worker)
    db.session.commit()
    page = login(pages, worker)
    assert page.text_of("h1") == "Mijn signalen"
    assert references(page) == [mine.reference]


def count_statements(app: Flask, client: PageClient, url: str) -> int:
    statements = []

    def record(*args: object) -> None:
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_board_queries_do_not_grow_with_the_number_of_signals(app: Flask, coordinator: PageClient) -> None:
    centrum = make_area("Centrum", ((4531, 4539),))
    coordinator_user = make_user(Role.COORDINATOR)
    workers = [make_user(Role.WORKER, areas=(centrum,)) for _ in range(3)]

    def add(count: int) -> None:
        for index in range(count):
            signal = make_signal(postcode="4531 AB")
            assign_signal(signal, coordinator_user, workers[index % 3])
        db.session.commit()

    add(3)
    few = count_statements(app, coordinator, "/werk/?tab=assigned")
    add(22)
    many = count_statements(app, coordinator, "/werk/?tab=assigned")
    assert few == many
