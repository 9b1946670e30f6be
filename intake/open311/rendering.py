"""The two formats of the spec, from the same plain data (dicts, lists, strings).

JSON is the data as it is. XML follows the spec's Spark convention: a list is
an element named after the plural whose children carry the singular name
(``<services><service>``, ``<attributes><attribute>`` ...). djangorestframework-xml
names every list item ``list-item``, so the tree is built with ElementTree.
"""
import json
from xml.etree import ElementTree

from django.http import HttpResponse

from governance.text import xml_text
from intake.open311.errors import Open311Error

CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# Each list's item element, by the name of the element holding the list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# The spec asks for the declaration with the encoding; ElementTree would use single quotes.
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _fill(element, value):
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, list):
        for child in value:
            _fill(ElementTree.SubElement(element, ITEM_TAGS[element.tag]), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:  # None stays an empty element, e.g. <account_id />
        # Whatever is stored: a control character in one old narrative must not make
        # the whole list ill-formed (ElementTree would write it as it is).
        element.text = xml_text(str(value))


def to_xml(root, data) -> str:
    element = ElementTree.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ElementTree.tostring(element, encoding="unicode")


def render(fmt, root, data, *, status=200) -> HttpResponse:
    """``root`` names the XML root element (``services``, ``service_requests`` ...)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        body = to_xml(root, data)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.status, "description": description} for description in error.descriptions]
    return render(fmt, "errors", errors, status=error.status)
