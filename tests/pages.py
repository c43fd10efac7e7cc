"""Reading and submitting pages the way a browser would, with checks every page must pass."""

import re
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


@dataclass
class Page:
    response: TestResponse
    soup: BeautifulSoup

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def text(self) -> str:
        """All visible text, whitespace folded, as a person reads the page."""
        return " ".join(self.soup.get_text(" ").split())

    def one(self, selector: str) -> Tag:
        found = self.soup.select(selector)
        assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
        return found[0]

    def text_of(self, selector: str) -> str:
        return " ".join(self.one(selector).get_text(" ").split())

    def field_error(self, field_id: str) -> str | None:
        error = self.soup.find(id=f"{field_id}-error")
        return " ".join(error.get_text(" ").split()) if error else None

    def error_summary(self) -> list[tuple[str, str]]:
        """``(link target, message)`` for each entry in the error summary."""
        summary = self.soup.find(id="error-summary")
        if summary is None:
            return []
        return [(a["href"], a.get_text(strip=True)) for a in summary.select("a")]

    def form_values(self, selector: str = "main form") -> dict[str, str | list[str]]:
        """What the browser would submit for the form as it stands."""
        form = self.one(selector)
        values: dict[str, list[str]] = {}
        for element in form.select("input[name], textarea[name], select[name]"):
            name = element["name"]
            if element.name == "textarea":
                # HTML drops a newline straight after <textarea>, as WTForms relies on.
                values.setdefault(name, []).append(re.sub(r"^\r?\n", "", element.get_text()))
            elif element.name == "select":
                chosen = element.select("option[selected]") or element.select("option")[:1]
                values.setdefault(name, []).extend(option.get("value", option.get_text()) for option in chosen)
            elif element.get("type") in ("radio", "checkbox"):
                if element.has_attr("checked"):
                    values.setdefault(name, []).append(element.get("value", "on"))
            elif element.get("type") != "submit":
                values.setdefault(name, []).append(element.get("value", ""))
        return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


UNLABELLED_TYPES = ("hidden", "submit", "button", "reset")


def unlabelled_fields(soup: BeautifulSoup) -> list[str]:
    """Form fields a screen reader cannot name: no ``<label for>``, no wrapping label, no aria label."""
    labelled = {label.get("for") for label in soup.select("label[for]")}
    missing = []
    for field in soup.select("input, select, textarea"):
        if field.name == "input" and field.get("type", "text") in UNLABELLED_TYPES:
            continue
        named = field.get("id") in labelled or field.find_parent("label") is not None
        if not named and not field.get("aria-label") and not field.get("aria-labelledby"):
            missing.append(field.get("name") or str(field)[:60])
    return missing


def unmatched_quotes(soup: BeautifulSoup) -> list[str]:
    """Texts that open a curly quote and never close it (‘…' typed with a straight or no closing quote)."""
    wrong = []
    for text in soup.find_all(string=True):
        for opening, closing in (("‘", "’"), ("“", "”")):
            position = text.find(opening)
            while position != -1:
                if text.find(closing, position) == -1:
                    wrong.append(text.strip()[:80])
                    break
                position = text.find(opening, position + 1)
    return wrong


def forms_without_action(soup: BeautifulSoup) -> list[str]:
    """Forms that name no address to send to: a form posting back to its own page says so too."""
    return [str(form)[:80] for form in soup.select("form") if not form.get("action")]


def parse(response: TestResponse) -> Page:
    """Parse an HTML response and fail on what no page may have: duplicate ids, no title, a form field
    without a label, a form without an action, or a curly quote that is opened and never closed."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    ids = Counter(tag["id"] for tag in soup.select("[id]"))
    duplicates = [element_id for element_id, count in ids.items() if count > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert soup.title and soup.title.get_text(strip=True), "page has no title"
    assert not (missing := unlabelled_fields(soup)), f"fields without a label: {missing}"
    assert not (wrong := unmatched_quotes(soup)), f"curly quotes opened and not closed: {wrong}"
    assert not (silent := forms_without_action(soup)), f"forms without an action: {silent}"
    return Page(response, soup)


class PageClient:
    """Gets pages and submits their forms with the values a person typed on top of what the page holds."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: object) -> Page:
        return parse(self.client.get(url, **kwargs))

    def submit(
        self,
        page: Page,
        changes: dict[str, str | list[str]] | None = None,
        selector: str = "main form",
        **kwargs: object,
    ) -> Page:
        form = page.one(selector)
        data = {**page.form_values(selector), **(changes or {})}
        # A form without an action posts to the page's own address, query string included.
        target = form.get("action") or page.response.request.full_path.rstrip("?")
        return parse(self.client.post(target, data=data, **kwargs))

    def post(self, url: str, data: dict, **kwargs: object) -> Page:
        return parse(self.client.post(url, data=data, **kwargs))
