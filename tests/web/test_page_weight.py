"""The report form is light and asks nothing of any other server."""

from tests.pages import PageClient

# The form works offline and keeps a draft now, and still weighs less than this (issue 18).
BUDGET_BYTES = 35 * 1024


def test_form_page_with_its_css_and_js_is_under_35_kb(pages: PageClient) -> None:
    page = pages.get("/melden")
    total = len(page.response.data)
    assets = [link["href"] for link in page.soup.select("link[rel=stylesheet]")]
    assets += [script["src"] for script in page.soup.select("script[src]")]
    assert assets, "the page should load its own stylesheet"
    for asset in assets:
        response = pages.client.get(asset)
        assert response.status_code == 200
        total += len(response.data)
        response.close()
    assert total < BUDGET_BYTES, f"form page weighs {total} bytes"


def test_public_pages_make_no_third_party_requests(pages: PageClient) -> None:
    for url in ("/melden", "/status", "/privacy"):
        page = pages.get(url)
        for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src")):
            for element in page.soup.select(f"{tag}[{attribute}]"):
                assert element[attribute].startswith("/"), f"{url}: {element}"
        for script in page.soup.select("script"):
            assert script.get("src") and not script.get_text(strip=True), f"{url}: inline script"
        assert page.soup.select("[style]") == []
