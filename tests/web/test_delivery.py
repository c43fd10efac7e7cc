"""How the public pages travel to a phone: compressed, static files kept for a year under their fingerprint,
a favicon, a description for search engines, the language switch without a detour."""

import gzip

from flask import Flask

from signaalpunt.accounts.enums import Role
from tests.factories import make_user
from tests.pages import PageClient
from tests.staff import client_for

EVERY_ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def test_the_form_is_sent_compressed_and_reads_the_same(pages: PageClient) -> None:
    plain = pages.client.get("/melden")
    packed = pages.client.get("/melden", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 3
    assert gzip.decompress(packed.data).decode().count("<form") == plain.text.count("<form")
    assert pages.client.get("/melden", headers=EVERY_ENCODING).headers["Content-Encoding"] in {"br", "zstd"}


def test_staff_pages_are_never_compressed(app: Flask) -> None:
    """Names beside a search the visitor typed: compressed together, the sizes could tell the names (BREACH)."""
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    board = coordinator.client.get("/werk/?q=Jansen", headers=EVERY_ENCODING)
    assert board.status_code == 200
    assert "Content-Encoding" not in board.headers


def test_static_files_under_their_fingerprint_are_kept_for_a_year_and_compressed(pages: PageClient) -> None:
    page = pages.get("/melden")
    stylesheet = page.one("link[rel=stylesheet]")["href"]
    script = page.soup.select("script[src]")[-1]["src"]
    for url in (stylesheet, script):
        response = pages.client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        assert response.headers["Content-Encoding"] == "gzip", url
        response.close()
    # Without the fingerprint, or with an old one, the browser asks again each time.
    for url in (stylesheet.split("?")[0], stylesheet.split("?")[0] + "?v=0000000000"):
        response = pages.client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache", url
        response.close()


def test_the_favicon_is_there(pages: PageClient) -> None:
    response = pages.client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00", "an ICO file"
    response.close()


def test_crawlers_may_find_the_form_but_no_staff_page_nor_an_e_mailed_link(app: Flask, pages: PageClient) -> None:
    response = pages.client.get("/robots.txt")
    closed = {line.split(": ")[1] for line in response.text.splitlines() if line.startswith("Disallow: ")}
    response.close()
    assert not any("/melden".startswith(prefix) or "/status".startswith(prefix) for prefix in closed)
    for endpoint in ("board.", "admin.", "figures.", "initiatives.", "volunteers.", "open311.", "auth.login"):
        rules = [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(endpoint)]
        assert all(any(rule.startswith(prefix) for prefix in closed) for rule in rules), endpoint


def test_every_public_page_describes_itself_in_its_language(pages: PageClient) -> None:
    for url in ("/melden", "/melden/over-mezelf", "/status", "/privacy"):
        description = pages.get(url).one("meta[name=description]")["content"]
        assert "Signaalpunt" in description, url
    english = pages.get("/status?taal=en").one("meta[name=description]")["content"]
    assert english.startswith("Use your reference number")
