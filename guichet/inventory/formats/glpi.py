"""The native protocol of GLPI Agent: JSON documents.

The agent first sends `{"action": "contact", "deviceid": ..., "name", "version",
"installed-tasks", "enabled-tasks"}` and is told which tasks the server runs; an inventory is
`{"action": "inventory", "deviceid": ..., "itemtype": "Computer", "partial": ..., "content":
{...}}`, checked against the format's published schema (`inventory.schema.json`).
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from django.utils.translation import gettext

from guichet.inventory.normal import Inventory

from .codec import BadPayload
from .mapping import build
from .values import clean

SCHEMA = Path(__file__).with_name("inventory.schema.json")
# The server version the contact reply announces; GLPI Agent accepts the reply of a server
# that names itself "glpi" and gives a version, and enables its inventory task for it.
SERVER_VERSION = "10.0.99"
EXPIRATION_HOURS = 24


@dataclass
class GlpiRequest:
    """One message of an agent: a contact (`raw` holds its name, version and tasks), an
    inventory (with `inventory`), or another action."""

    action: str
    device_id: str
    inventory: Inventory | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _inline_definitions(node: Any, definitions: dict[str, Any]) -> Any:
    """The same schema with each `#/definitions/...` reference replaced by its target.

    fastjsonschema calls a function per reference and, inside arrays, formats the value's
    path from all the validator's local variables first: for the dates of 75 processes that
    was two thirds of the validation time."""
    if isinstance(node, list):
        return [_inline_definitions(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/definitions/"):
        target = definitions.get(reference.removeprefix("#/definitions/"))
        if isinstance(target, dict) and "$ref" not in target:
            node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
    return {key: _inline_definitions(value, definitions) for key, value in node.items()}


@cache
def _validator() -> Any:
    # Compiled once per process, on first use: a tenth of a second. Defaults are not filled
    # in, so a missing value stays missing and the reader decides what it means.
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema = _inline_definitions(schema, schema.get("definitions", {}))
    return fastjsonschema.compile(schema, use_default=False)


def validate(document: dict[str, Any]) -> None:
    """Check an inventory against the schema; BadPayload names the first wrong value."""
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as error:
        name = error.name or "data"
        reason = error.message.removeprefix(name).strip()
        path = name.removeprefix("data").lstrip(".") or "document"
        raise BadPayload(
            gettext("The inventory does not match the GLPI inventory schema: %(path)s %(reason)s")
            % {"path": clean(path, 200), "reason": clean(reason, 300)}
        ) from error


def _load(document: bytes) -> dict[str, Any]:
    try:
        data = json.loads(document.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BadPayload(gettext("The JSON document is not valid UTF-8.")) from error
    except RecursionError as error:
        raise BadPayload(gettext("The JSON document is nested too deeply.")) from error
    except json.JSONDecodeError as error:
        raise BadPayload(
            gettext("The JSON document is invalid: %(error)s at line %(line)s, column %(column)s.")
            % {"error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error
    except ValueError as error:
        # Python refuses to convert an integer of thousands of digits.
        raise BadPayload(gettext("The JSON document holds a number too long to read.")) from error
    if not isinstance(data, dict):
        raise BadPayload(gettext("The JSON document is not an object."))
    return data


def read_request(document: bytes) -> GlpiRequest:
    """Read one agent message. Raises BadPayload (400) for what is not a JSON object with a
    deviceid, and for an inventory that does not match the schema."""
    data = _load(document)
    device_id = data.get("deviceid")
    if not isinstance(device_id, str) or not clean(device_id):
        raise BadPayload(gettext("The JSON document has no deviceid."))
    device_id = clean(device_id)
    # The format's schema makes "inventory" the action of a document that names none.
    action = data.get("action", "inventory")
    if not isinstance(action, str) or not clean(action, 64):
        raise BadPayload(gettext("The JSON document has no action."))
    request = GlpiRequest(action=clean(action, 64).lower(), device_id=device_id, raw=data)
    if request.action == "inventory":
        validate(data)
        inventory = Inventory(
            device_id=device_id,
            protocol="glpi",
            partial=data.get("partial") is True,
            tag=clean(data.get("tag")),
            item_type=clean(data.get("itemtype"), 64) or "Computer",
        )
        request.inventory = build(inventory, data["content"])
    return request


def _reply(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def contact_reply(expiration_hours: int = EXPIRATION_HOURS) -> bytes:
    """The answer to a contact: run the inventory task against this server, and contact it
    again after so many hours."""
    return _reply(
        {
            "status": "ok",
            "expiration": int(expiration_hours),
            "tasks": {"inventory": {"server": "glpi", "version": SERVER_VERSION}},
        }
    )


def ok_reply(expiration_hours: int = EXPIRATION_HOURS) -> bytes:
    """The answer to an accepted inventory (and to the XML PROLOG of an agent that speaks JSON:
    it switches the agent to this protocol)."""
    return _reply({"status": "ok", "expiration": int(expiration_hours)})


def error_reply(message: str) -> bytes:
    """An answer the agent logs as the server's error."""
    return _reply(
        {"status": "error", "message": clean(str(message), 1000), "expiration": EXPIRATION_HOURS}
    )
