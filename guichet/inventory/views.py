"""The inventory endpoint real agents post to: `/inventory/`, and `/inventory/o/<key>/`
which ties them to an organisation (HTTP basic auth with the key as password does too).

One URL speaks both protocols, told apart by the document: XML is the OCS Inventory /
FusionInventory protocol (PROLOG, then INVENTORY), JSON the GLPI Agent's (contact, then
inventory). GLPI Agent starts with an XML PROLOG too; it is recognised by its GLPI-Agent-ID
header and answered in JSON, which switches it to its native protocol. Replies are
compressed the way the request was. Refusals are answered in the agent's own format with a
4xx status, so its log says why; nothing is half-saved (`actions.ingest` is one
transaction).
"""

import base64
import binascii
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from guichet.inventory import actions
from guichet.inventory.choices import Protocol
from guichet.inventory.formats import codec, glpi, ocs
from guichet.inventory.formats.codec import BadPayload
from guichet.inventory.models import InventoryKey
from guichet.lib.errors import ActionError

log = logging.getLogger(__name__)


def _reply(document: bytes, encoding: str, status: int = 200) -> HttpResponse:
    body, content_type = codec.encode_reply(document, encoding)
    return HttpResponse(body, content_type=content_type, status=status)


def _organisation(request: HttpRequest, key: str | None):
    """The organisation named by the URL's key or the basic auth password; None when
    neither is given; raises BadPayload(401) for a wrong one."""
    if key is None:
        header = request.headers.get("Authorization", "")
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            key = decoded.partition(":")[2] or None
            if key is None:
                raise BadPayload(_("Unknown inventory key."), 401)
    if key is None:
        return None
    found = InventoryKey.objects.select_related("organisation").filter(key=key[:64]).first()
    if found is None:
        raise BadPayload(_("Unknown inventory key."), 401)
    return found.organisation


def _read_body(request: HttpRequest) -> bytes:
    limit = settings.INVENTORY_MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise BadPayload(_("The inventory is larger than %(n)d bytes.") % {"n": limit}, 413)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise BadPayload(_("The inventory is larger than %(n)d bytes.") % {"n": limit}, 413)
    if not body:
        raise BadPayload(_("The request has no body."), 400)
    return body


def _client(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _ocs(request, document: bytes, encoding: str, organisation) -> HttpResponse:
    message = ocs.read_request(document)
    if message.query == "PROLOG":
        actions.contact(device_id=message.device_id, protocol=Protocol.OCS,
                        version=request.headers.get("User-Agent", ""),
                        organisation=organisation, remote_address=_client(request))  # fmt: skip
        if request.headers.get("GLPI-Agent-ID"):
            return _reply(glpi.ok_reply(), encoding)
        return _reply(ocs.prolog_reply(), encoding)
    if message.query != "INVENTORY" or message.inventory is None:
        raise BadPayload(_("Unsupported query: %(q)s.") % {"q": message.query[:40]}, 400)
    _ingest(request, message.inventory, organisation)
    return _reply(ocs.inventory_reply(), encoding)


def _glpi(request, document: bytes, encoding: str, organisation) -> HttpResponse:
    message = glpi.read_request(document)
    if message.action == "contact":
        raw = message.raw or {}
        version = f"{raw.get('name', '')} {raw.get('version', '')}".strip()
        actions.contact(device_id=message.device_id, protocol=Protocol.GLPI,
                        version=str(version)[:100], organisation=organisation,
                        remote_address=_client(request))  # fmt: skip
        return _reply(glpi.contact_reply(), encoding)
    if message.action != "inventory" or message.inventory is None:
        raise BadPayload(_("Unsupported action: %(a)s.") % {"a": message.action[:40]}, 400)
    _ingest(request, message.inventory, organisation)
    return _reply(glpi.ok_reply(), encoding)


def _ingest(request, inventory, organisation) -> None:
    try:
        actions.ingest(inventory=inventory, organisation=organisation,
                       remote_address=_client(request))  # fmt: skip
    except ActionError as error:
        actions.note_error(
            device_id=inventory.device_id, protocol=inventory.protocol, message=error.message
        )
        raise BadPayload(error.message, 422) from None


@csrf_exempt
def endpoint(request: HttpRequest, key: str | None = None) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(_("Guichet inventory endpoint: agents POST their inventories here."),
                            content_type="text/plain; charset=utf-8", status=200)  # fmt: skip
    encoding, is_json = "plain", False
    try:
        body = _read_body(request)
        document, encoding = codec.decode_body(
            body,
            request.headers.get("Content-Type", ""),
            max_size=settings.INVENTORY_MAX_DOCUMENT_BYTES,
        )
        is_json = document.lstrip()[:1] == b"{"
        # The key is checked once the body is read, so a refusal speaks the agent's format.
        organisation = _organisation(request, key)
        if is_json:
            return _glpi(request, document, encoding, organisation)
        return _ocs(request, document, encoding, organisation)
    except BadPayload as error:
        log.info("inventory refused (%s): %s", error.status, error.message)
        reply = glpi.error_reply(error.message) if is_json else ocs.error_reply(error.message)
        response = _reply(reply, encoding, error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Basic realm="Guichet inventory"'
        return response


urlpatterns = [
    path("", endpoint, name="endpoint"),
    path("o/<str:key>/", endpoint, name="endpoint-key"),
]
