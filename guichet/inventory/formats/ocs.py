"""The OCS Inventory protocol as FusionInventory and OCS agents speak it: XML documents.

The agent first sends `<REQUEST><QUERY>PROLOG</QUERY>...` and sends its inventory only when
the reply says `<RESPONSE>SEND</RESPONSE>`; the inventory is
`<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>...</DEVICEID><CONTENT>...</CONTENT></REQUEST>`,
one element per section record (800 `<SOFTWARES>` siblings for 800 programs).
"""

import re
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.sax.saxutils import escape

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext

from guichet.inventory.normal import Inventory

from .codec import BadPayload
from .mapping import build
from .values import clean

# Agents nest five levels (REQUEST, CONTENT, section, field, the odd sub-field).
MAX_DEPTH = 16
# The sections the mapping reads; the others (processes, environment...) are not even copied.
SECTIONS = frozenset(
    {
        "hardware", "bios", "operatingsystem", "cpus", "memories", "storages", "drives",
        "networks", "monitors", "softwares", "batteries", "accountinfo",
    }
)  # fmt: skip
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
# XML 1.0 forbids these characters even as references; agents copy them from the registry.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORBIDDEN_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>\n'


@dataclass
class OcsRequest:
    """One message of an agent: a PROLOG, an INVENTORY (with `inventory`) or another query."""

    query: str
    device_id: str
    token: str = ""
    inventory: Inventory | None = None


class _TooDeep(Exception):
    pass


class _DepthLimited:
    """Builds the tree, refusing it past MAX_DEPTH: nothing reads deeper, and a document of
    nested elements alone costs memory for nothing."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self._depth = 0
        # Text is most of the calls: hand it to the builder without a detour.
        self.data = self._builder.data

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep
        return self._builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return self._builder.end(tag)

    def close(self) -> Element:
        return self._builder.close()


def _readable(document: bytes, warnings: list[str]) -> str | bytes:
    """The document as the parser should get it: UTF-8 decoded leniently, without the control
    characters XML forbids. Other declared encodings are left to the parser."""
    if document.startswith((b"\xff\xfe", b"\xfe\xff")):
        return document
    match = _DECLARED_ENCODING.match(document)
    declared = match.group(1).decode("ascii").lower() if match else "utf-8"
    if declared not in ("utf-8", "utf8"):
        # Single-byte and East Asian encodings never use these bytes inside a character.
        return document.translate(None, _FORBIDDEN_BYTES)
    try:
        text = document.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = document.decode("utf-8-sig", "replace")
        warnings.append("the document is not valid UTF-8; undecodable bytes replaced")
    return _FORBIDDEN.sub("", text)


def parse(document: bytes, warnings: list[str]) -> Element:
    """The root element of a document, refusing DTDs, entities and external references."""
    parser = DefusedXMLParser(
        target=_DepthLimited(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(_readable(document, warnings))
        return parser.close()
    except DTDForbidden as error:
        raise BadPayload(gettext("The XML document declares a DTD, which is refused.")) from error
    except EntitiesForbidden as error:
        raise BadPayload(
            gettext("The XML document declares entities, which are refused.")
        ) from error
    except ExternalReferenceForbidden as error:
        raise BadPayload(
            gettext("The XML document refers to an external entity, which is refused.")
        ) from error
    except _TooDeep as error:
        raise BadPayload(
            gettext("The XML document is nested deeper than %(depth)s levels.")
            % {"depth": MAX_DEPTH}
        ) from error
    except (ParseError, LookupError, ValueError) as error:
        # LookupError: an encoding Python does not know; ValueError: one expat refuses.
        raise BadPayload(
            gettext("The XML document is not well-formed: %(error)s")
            % {"error": clean(str(error), 200)}
        ) from error


def _content(element: Element) -> dict[str, Any]:
    """The CONTENT element as the mapping reads it: lower-case section and field names, a
    list of records per section, the text of text-only sections (VERSIONCLIENT)."""
    content: dict[str, Any] = {}
    for section in element:
        name = section.tag.lower()
        if name in SECTIONS:
            record = {field.tag.lower(): field.text for field in section}
            content.setdefault(name, []).append(record)
        elif name == "versionclient":
            content[name] = section.text
    return content


def read_request(document: bytes) -> OcsRequest:
    """Read one agent message. Raises BadPayload (400) for what is not a well-formed,
    harmless OCS request with a DEVICEID and a QUERY."""
    warnings: list[str] = []
    root = parse(document, warnings)
    if root.tag.upper() != "REQUEST":
        raise BadPayload(gettext("The XML document is not an inventory agent's REQUEST."))
    fields: dict[str, Element] = {}
    for child in root:
        fields.setdefault(child.tag.upper(), child)
    query = clean(_text(fields.get("QUERY")), 64).upper()
    if not query:
        raise BadPayload(gettext("The request has no QUERY."))
    device_id = clean(_text(fields.get("DEVICEID")))
    if not device_id:
        raise BadPayload(gettext("The request has no DEVICEID."))
    request = OcsRequest(query=query, device_id=device_id, token=clean(_text(fields.get("TOKEN"))))
    if query == "INVENTORY":
        content = fields.get("CONTENT")
        if content is None:
            raise BadPayload(gettext("The inventory has no CONTENT."))
        inventory = Inventory(device_id=device_id, protocol="ocs", warnings=warnings)
        request.inventory = build(inventory, _content(content))
    return request


def _text(element: Element | None) -> str:
    return (element.text or "") if element is not None else ""


def _reply(body: str) -> bytes:
    return f"{_DECLARATION}<REPLY>{body}</REPLY>\n".encode()


def prolog_reply(frequency_hours: int = 24) -> bytes:
    """The answer to a PROLOG: send an inventory now, and contact again after so many hours."""
    return _reply(f"<PROLOG_FREQ>{int(frequency_hours)}</PROLOG_FREQ><RESPONSE>SEND</RESPONSE>")


def inventory_reply() -> bytes:
    """The answer to an accepted INVENTORY, as the OCS server gives it."""
    return _reply("<RESPONSE>no_account_update</RESPONSE>")


def error_reply(message: str) -> bytes:
    """An answer the agent logs: it reads any REPLY, and shows what it cannot use."""
    return _reply(f"<ERROR>{escape(clean(str(message), 1000))}</ERROR>")
