"""Answers in the format the path asks for: JSON, or XML with the standard's element names."""

import json
from xml.etree import ElementTree

from flask import Response

FORMATS = ("json", "xml")
# The XML root of each answer, and the element of each item in it, as the specification names them.
XML_NAMES = {
    "services": ("services", "service"),
    "service_definition": ("service_definition", None),
    "service_requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "discovery": ("discovery", None),
}
# Lists inside an item, with the element name of each entry.
XML_LIST_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _element(name: str, value: object) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, dict):
        for key, inner in value.items():
            element.append(_element(key, inner))
    elif isinstance(value, list):
        for inner in value:
            element.append(_element(XML_LIST_ITEMS.get(name, "item"), inner))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def answer(kind: str, body: object, fmt: str, status: int = 200) -> Response:
    if fmt == "xml":
        root_name, item_name = XML_NAMES[kind]
        if item_name is None:
            root = _element(root_name, body)
        else:
            root = ElementTree.Element(root_name)
            for item in body:
                root.append(_element(item_name, item))
        text = '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(root, encoding="unicode")
        return Response(text, status=status, content_type="text/xml; charset=utf-8")
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8")


def errors(status: int, descriptions: tuple[str, ...] | list[str], fmt: str) -> Response:
    """The standard's error body: ``[{code, description}]``."""
    return answer("errors", [{"code": status, "description": str(d)} for d in descriptions], fmt, status)
