import json
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.inventory.formats import glpi, ocs
from guichet.inventory.formats.codec import BadPayload, decode_body
from guichet.inventory.normal import LAPTOP, VIRTUAL


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the default language is French)."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def loaded(name: str) -> dict:
    return json.loads(fixture(name))


def encoded(document: dict) -> bytes:
    return json.dumps(document).encode()


def inventory_of(content: dict, **fields) -> bytes:
    return encoded(
        {
            "action": "inventory",
            "deviceid": "pc-1",
            "content": {"versionclient": "GLPI-Agent_v1.11", **content},
            **fields,
        }
    )


def identities(inventory, kind):
    return [part.identity for part in inventory.parts if part.kind == kind]


def refusal(document: bytes) -> BadPayload:
    with pytest.raises(BadPayload) as caught:
        glpi.read_request(document)
    assert caught.value.status == 400
    return caught.value


@pytest.fixture(scope="module")
def full():
    return glpi.read_request(fixture("glpi-agent-1.11-inventory-full.json"))


def test_it_reads_the_contact_of_glpi_agent():
    request = glpi.read_request(fixture("glpi-agent-1.11-contact-request.json"))
    assert (request.action, request.device_id) == ("contact", "vm-2026-11-28-11-02-54")
    assert request.inventory is None
    assert (request.raw["name"], request.raw["version"]) == ("GLPI-Agent", "1.11")
    assert request.raw["enabled-tasks"] == ["inventory"]


def test_it_reads_a_full_inventory_as_the_agent_sent_it(full):
    # As on the wire: zlib, under the agent's content type.
    body = zlib.compress(fixture("glpi-agent-1.11-inventory-full.json"))
    document, encoding = decode_body(body, "application/x-compress-zlib", max_size=2**24)
    assert encoding == "zlib"
    assert glpi.read_request(document) == full
    inventory = full.inventory
    assert (full.action, full.device_id) == ("inventory", "vm-2026-11-28-11-02-54")
    assert (inventory.protocol, inventory.item_type, inventory.partial) == (
        "glpi", "Computer", False
    )  # fmt: skip
    assert inventory.agent == "GLPI-Agent_v1.11"
    assert inventory.sections == {
        "hardware", "cpus", "storages", "volumes", "networks", "softwares"
    }  # fmt: skip
    hardware = inventory.hardware
    assert (hardware.name, hardware.kind, hardware.memory_mb) == ("vm", VIRTUAL, 24105)
    assert hardware.os_name == "Debian GNU/Linux 12 (bookworm)"
    assert len(inventory.softwares) == 926
    assert inventory.macs() == ["02:fc:00:00:00:01"]
    assert inventory.warnings == ["last user 'wtmp' ignored"]


def test_a_partial_inventory_counts_only_the_sections_it_sends():
    inventory = glpi.read_request(fixture("glpi-agent-1.11-inventory-partial.json")).inventory
    assert inventory.partial is True
    assert inventory.sections == {"hardware", "volumes"}
    assert identities(inventory, "volumes") == ["/"]
    assert inventory.softwares == []


def test_one_machine_gets_the_same_identities_from_both_protocols():
    from_xml = ocs.read_request(fixture("windows-laptop.xml")).inventory
    from_json = glpi.read_request(fixture("windows-laptop.json")).inventory
    assert [(p.kind, p.identity) for p in from_json.parts] == [
        (p.kind, p.identity) for p in from_xml.parts
    ]
    assert from_json.hardware == from_xml.hardware
    assert from_json.hardware.kind == LAPTOP
    assert from_json.macs() == from_xml.macs()
    assert from_json.tag == from_xml.tag == "SIEGE-LYON"
    assert [(s.name, s.version, s.publisher, s.installed_on) for s in from_json.softwares] == [
        (s.name, s.version, s.publisher, s.installed_on) for s in from_xml.softwares
    ]


def test_the_same_debian_machine_through_both_agents_keeps_its_identities(full):
    from_xml = ocs.read_request(fixture("fusioninventory-2.6.xml")).inventory
    for kind in ("cpus", "storages", "volumes"):
        assert identities(full.inventory, kind) == identities(from_xml, kind)
    assert full.inventory.macs() == from_xml.macs()


def test_the_tag_comes_from_the_document_or_its_accountinfo():
    tagged = glpi.read_request(inventory_of({}, tag="AGENCE-NORD")).inventory
    assert tagged.tag == "AGENCE-NORD"
    account = {"accountinfo": [{"keyname": "TAG", "keyvalue": "AGENCE-SUD"}]}
    assert glpi.read_request(inventory_of(account)).inventory.tag == "AGENCE-SUD"


def test_schema_defaults_are_not_filled_in():
    inventory = glpi.read_request(inventory_of({})).inventory
    assert inventory.item_type == "Computer"
    assert inventory.partial is False
    assert inventory.sections == set()


def test_bad_values_are_dropped_field_by_field():
    inventory = glpi.read_request(
        inventory_of(
            {
                "bios": {"bdate": "1970-00-01", "ssn": "To be filled by O.E.M.", "smodel": "X1"},
                "hardware": {"name": "pc-1", "memory": -3, "uuid": "not a uuid at all"},
                "softwares": [
                    {"name": "Tool", "version": "1", "install_date": "2023-02-30"},
                    {"name": "Other", "install_date": "2023-02-28"},
                ],
            }
        )
    ).inventory
    hardware = inventory.hardware
    assert (hardware.name, hardware.model, hardware.uuid) == ("pc-1", "X1", "not a uuid at all")
    assert (hardware.bios_date, hardware.serial, hardware.memory_mb) == (None, "", None)
    assert [s.installed_on for s in inventory.softwares] == [None, date(2023, 2, 28)]
    assert inventory.warnings == [
        "serial number 'To be filled by O.E.M.' ignored",
        "memory size '-3' ignored",
        "BIOS date '1970-00-01' ignored",
        "Tool: install date '2023-02-30' ignored",
    ]


def test_identical_softwares_are_kept_once():
    entry = {"name": "Tool", "version": "1", "publisher": "Acme"}
    inventory = glpi.read_request(
        inventory_of({"softwares": [entry, entry, {**entry, "version": "2"}]})
    ).inventory
    assert [(s.name, s.version) for s in inventory.softwares] == [("Tool", "1"), ("Tool", "2")]


def test_a_huge_software_list_is_read_whole():
    softwares = [{"name": f"package-{i}", "version": "1.0"} for i in range(30_000)]
    inventory = glpi.read_request(inventory_of({"softwares": softwares})).inventory
    assert len(inventory.softwares) == 30_000


@pytest.mark.parametrize(
    ("content", "path"),
    [
        ({"hardware": {"memory": "8192"}}, "content.hardware.memory must be integer"),
        ({"softwares": [{"name": "ok"}, {"name": 5}]}, "content.softwares[1].name must be string"),
        ({"softwares": [{"version": "1"}]}, "content.softwares[0] must contain ['name']"),
        ({"bios": {"bdate": "14/03/2024"}}, "content.bios.bdate must match pattern"),
        ({"networks": [{"mac": "00:11:22:33:44:55"}]}, "content.networks[0] must contain"),
        ({"cpus": {"name": "not a list"}}, "content.cpus must be array"),
    ],
)
def test_a_schema_error_names_the_path(content, path):
    error = refusal(inventory_of(content))
    assert error.message.startswith("The inventory does not match the GLPI inventory schema: ")
    assert path in error.message


def test_a_document_without_content_is_refused_by_the_schema():
    error = refusal(encoded({"action": "inventory", "deviceid": "pc-1"}))
    assert "document must contain" in error.message


def test_the_schema_is_compiled_once():
    assert glpi._validator() is glpi._validator()


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        (b"", "invalid"),
        (b"{", "invalid"),
        (b'{"action": "contact", "deviceid": "pc-1",}', "line 1, column 42"),
        (b"\xff\xfe{}", "UTF-8"),
        (b"[]", "not an object"),
        (b'"inventory"', "not an object"),
        (b'{"action": "contact"}', "no deviceid"),
        (b'{"action": "contact", "deviceid": 12}', "no deviceid"),
        (b'{"action": "contact", "deviceid": "  "}', "no deviceid"),
        (b'{"action": ["contact"], "deviceid": "pc-1"}', "no action"),
        (b'{"deviceid": "pc-1", "n": ' + b"1" * 5000 + b"}", "number too long"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"deviceid": "pc-1", "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001, "nested"),
    ],
)
def test_malformed_documents_are_bad_requests(document, complaint):
    assert complaint in refusal(document).message


def test_a_byte_order_mark_is_tolerated():
    request = glpi.read_request(b"\xef\xbb\xbf" + fixture("glpi-agent-1.11-contact-request.json"))
    assert request.action == "contact"


def test_other_actions_are_handed_over_unread():
    request = glpi.read_request(encoded({"action": "netdiscovery", "deviceid": "pc-1", "x": 1}))
    assert (request.action, request.inventory, request.raw["x"]) == ("netdiscovery", None, 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
sections = st.sampled_from(
    ["hardware", "bios", "cpus", "memories", "storages", "drives", "networks", "monitors",
     "softwares", "batteries", "accountinfo", "operatingsystem"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(sections, json_values, max_size=4))
def test_any_content_reads_or_raises_bad_payload(content):
    try:
        glpi.read_request(inventory_of(content))
    except BadPayload as error:
        assert error.status == 400


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_read_or_raise_bad_payload(document):
    try:
        glpi.read_request(document)
    except BadPayload as error:
        assert error.status == 400


def test_the_contact_reply_is_one_the_agent_accepts():
    reply = json.loads(glpi.contact_reply())
    assert reply == loaded("glpi-json-contact-reply.json")
    assert isinstance(reply["tasks"]["inventory"]["version"], str)
    assert json.loads(glpi.contact_reply(expiration_hours=6))["expiration"] == 6


def test_the_ok_reply_is_one_the_agent_accepts():
    assert json.loads(glpi.ok_reply()) == loaded("glpi-json-ok.json")
    assert json.loads(glpi.ok_reply(expiration_hours=1)) == {"status": "ok", "expiration": 1}


def test_the_error_reply_carries_the_message():
    assert json.loads(glpi.error_reply('Bad "deviceid"\x00')) == {
        "status": "error",
        "message": 'Bad "deviceid"',
        "expiration": 24,
    }
