from datetime import date
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.inventory.formats import ocs
from guichet.inventory.formats.codec import BadPayload
from guichet.inventory.normal import LAPTOP, VIRTUAL


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the default language is French)."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def inventory_of(content: str, device_id: str = "pc-1") -> bytes:
    return (
        f"<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>{device_id}</DEVICEID>"
        f"<CONTENT>{content}</CONTENT></REQUEST>"
    ).encode()


def identities(inventory, kind):
    return [part.identity for part in inventory.parts if part.kind == kind]


def part(inventory, kind, identity):
    return next(p for p in inventory.parts if p.kind == kind and p.identity == identity)


@pytest.fixture(scope="module")
def debian():
    return ocs.read_request(fixture("fusioninventory-2.6.xml"))


@pytest.fixture(scope="module")
def laptop():
    return ocs.read_request(fixture("windows-laptop.xml")).inventory


def test_it_reads_the_real_fusioninventory_agent(debian):
    assert debian.query == "INVENTORY"
    assert debian.device_id == "vm-2026-12-02-18-44-22"
    inventory = debian.inventory
    assert inventory.protocol == "ocs"
    assert inventory.agent == "FusionInventory-Agent_v2.6-3"
    assert inventory.partial is False
    assert inventory.sections == {
        "hardware", "cpus", "storages", "volumes", "networks", "softwares"
    }  # fmt: skip
    hardware = inventory.hardware
    assert (hardware.name, hardware.kind, hardware.memory_mb) == ("vm", VIRTUAL, 24105)
    assert hardware.os_name == "Debian GNU/Linux 12 (bookworm)"
    assert (hardware.os_version, hardware.os_arch) == ("12.11", "x86_64")
    assert hardware.serial == ""


def test_the_agents_wtmp_for_a_user_is_dropped_with_a_warning(debian):
    assert debian.inventory.hardware.last_user == ""
    assert "last user 'wtmp' ignored" in debian.inventory.warnings


def test_parts_of_the_real_agent(debian):
    inventory = debian.inventory
    assert identities(inventory, "cpus") == ["cpu0"]
    assert identities(inventory, "storages") == ["overlayblk"]
    assert identities(inventory, "volumes") == ["/"]
    assert part(inventory, "volumes", "/").free == 77471
    # Loopback has the all-zero MAC; eth0's IPv4 and two IPv6 records are one interface.
    assert identities(inventory, "networks") == [
        "46:45:49:ef:58:79", "a6:05:25:ac:82:38", "02:fc:00:00:00:01"
    ]  # fmt: skip
    eth0 = part(inventory, "networks", "02:fc:00:00:00:01")
    assert eth0.data["ip"] == "192.0.2.2, fd00::2, fe80::fc:ff:fe00:1"
    assert eth0.data["name"] == "eth0"
    assert eth0.data["virtual"] is False
    assert inventory.macs() == ["02:fc:00:00:00:01"]


def test_softwares_of_the_real_agent(debian):
    softwares = debian.inventory.softwares
    assert len(softwares) == 798
    assert (softwares[0].name, softwares[0].version, softwares[0].publisher) == (
        "adduser", "3.134", "Debian"
    )  # fmt: skip


def test_it_reads_a_windows_laptop(laptop):
    hardware = laptop.hardware
    assert hardware.name == "PC-COMPTA-07"
    assert hardware.uuid == "4c4c4544-0035-3910-8052-b7c04f4e3732"
    assert hardware.serial == "5Y7QJ93"
    assert (hardware.manufacturer, hardware.model) == ("Dell Inc.", "Latitude 5440")
    assert hardware.kind == LAPTOP
    assert hardware.os_name == "Microsoft Windows 11 Professionnel"
    assert (hardware.os_version, hardware.os_arch) == ("23H2", "64-bit")
    assert hardware.domain == "corp.example.org"
    assert hardware.last_user == "jdupont"
    assert hardware.memory_mb == 16258
    assert hardware.bios_date == date(2024, 3, 14)
    assert laptop.tag == "SIEGE-LYON"
    assert laptop.agent == "FusionInventory-Agent_v2.6"
    assert laptop.sections == {
        "hardware", "cpus", "memories", "storages", "volumes", "networks", "monitors",
        "softwares", "batteries",
    }  # fmt: skip


def test_laptop_parts_have_stable_identities(laptop):
    assert identities(laptop, "cpus") == ["cpu0"]  # its serial is "To Be Filled By O.E.M."
    # A real serial, then a placeholder serial (the slot), and the empty slot left out.
    assert identities(laptop, "memories") == ["2A1B3C4D", "slot2"]
    assert part(laptop, "memories", "slot2").size == 8192
    assert identities(laptop, "storages") == ["8ELPA1BXQ4E1"]
    assert identities(laptop, "volumes") == ["C:"]  # Z: is a network share
    volume = part(laptop, "volumes", "C:")
    assert (volume.label, volume.size, volume.free) == ("C: (Windows)", 487565, 301234)
    assert identities(laptop, "monitors") == ["7YZK2L3", "AU Optronics B140HAN06.8"]
    assert identities(laptop, "batteries") == ["4521"]
    cpu = part(laptop, "cpus", "cpu0")
    assert cpu.size == 1600
    assert cpu.data == {"cores": "10", "threads": "12", "manufacturer": "Intel"}


def test_laptop_networks(laptop):
    assert identities(laptop, "networks") == [
        "a0:b1:c2:d3:e4:f5", "8c:47:be:12:34:56", "00:15:5d:01:02:03"
    ]  # fmt: skip
    assert part(laptop, "networks", "a0:b1:c2:d3:e4:f5").data["ip"] == (
        "192.168.1.42, fe80::1c2d:3e4f:5a6b:7c8d"
    )
    assert part(laptop, "networks", "00:15:5d:01:02:03").data["virtual"] is True
    assert laptop.macs() == ["8c:47:be:12:34:56", "a0:b1:c2:d3:e4:f5"]


def test_laptop_softwares(laptop):
    found = {s.name: s for s in laptop.softwares}
    assert len(laptop.softwares) == 4  # the duplicate Firefox and the nameless entry dropped
    assert found["Mozilla Firefox (x64 fr)"].installed_on == date(2024, 7, 15)
    assert found["7-Zip 23.01 (x64)"].installed_on == date(2024, 2, 3)  # "03/02/2024"
    office = found["Microsoft Office Professionnel Plus 2021 - fr-fr"]
    assert office.installed_on is None
    assert office.version == "16.0.17928.20114"
    assert found["Adobe Acrobat Reader – Français"].publisher == "Adobe Systems Incorporated"
    assert laptop.warnings == [
        "Microsoft Office Professionnel Plus 2021 - fr-fr: install date '1970-00-01' ignored",
        "1 software entry without a name ignored",
    ]


def test_it_reads_a_prolog():
    request = ocs.read_request(
        b"<?xml version='1.0' encoding='UTF-8'?><REQUEST><DEVICEID>pc-1</DEVICEID>"
        b"<QUERY>prolog</QUERY><TOKEN>12345678</TOKEN></REQUEST>"
    )
    assert (request.query, request.device_id, request.token) == ("PROLOG", "pc-1", "12345678")
    assert request.inventory is None


def test_only_the_sections_sent_count():
    request = ocs.read_request(inventory_of("<BIOS><SSN>ABC123</SSN></BIOS><DRIVES/>"))
    assert request.inventory.sections == {"hardware", "volumes"}
    assert request.inventory.hardware.serial == "ABC123"


def test_bad_values_are_dropped_field_by_field():
    request = ocs.read_request(
        inventory_of(
            "<HARDWARE><NAME>pc-1</NAME><MEMORY>lots</MEMORY><UUID>00000000-0000-0000-0000-"
            "000000000000</UUID></HARDWARE><BIOS><BDATE>1970-00-01</BDATE><SSN>Default string"
            "</SSN><SMODEL>OptiPlex 7010</SMODEL></BIOS>"
            "<STORAGES><NAME>sda</NAME><DISKSIZE>-1</DISKSIZE></STORAGES>"
            "<NETWORKS><DESCRIPTION>eth9</DESCRIPTION><MACADDR>zz:zz</MACADDR></NETWORKS>"
        )
    )
    inventory = request.inventory
    hardware = inventory.hardware
    assert (hardware.name, hardware.model) == ("pc-1", "OptiPlex 7010")
    assert (hardware.memory_mb, hardware.uuid, hardware.bios_date, hardware.serial) == (
        None, "", None, ""
    )  # fmt: skip
    assert part(inventory, "storages", "sda").size is None
    assert identities(inventory, "networks") == []
    assert inventory.warnings == [
        "UUID '00000000-0000-0000-0000-000000000000' ignored",
        "serial number 'Default string' ignored",
        "memory size 'lots' ignored",
        "BIOS date '1970-00-01' ignored",
        "disk size '-1' ignored",
        "MAC address 'zz:zz' ignored",
    ]


def test_pseudo_file_systems_are_not_volumes():
    drives = "".join(
        f"<DRIVES><FILESYSTEM>{fs}</FILESYSTEM><TYPE>{mount}</TYPE><TOTAL>10</TOTAL></DRIVES>"
        for fs, mount in [
            ("tmpfs", "/run"), ("devtmpfs", "/dev"), ("overlay", "/"), ("squashfs", "/snap/x"),
            ("proc", "/proc"), ("sysfs", "/sys"), ("nfs4", "/mnt/share"),
            ("fuse.gvfsd-fuse", "/run/user/1000/gvfs"), ("ext4", "/home"), ("xfs", "/srv"),
        ]
    )  # fmt: skip
    inventory = ocs.read_request(inventory_of(drives)).inventory
    assert identities(inventory, "volumes") == ["/home", "/srv"]


def test_a_bridge_sharing_the_mac_of_a_physical_interface_stays_physical():
    inventory = ocs.read_request(
        inventory_of(
            "<NETWORKS><DESCRIPTION>br0</DESCRIPTION><MACADDR>00:11:22:33:44:55</MACADDR>"
            "<IPADDRESS>10.0.0.2</IPADDRESS><VIRTUALDEV>1</VIRTUALDEV><TYPE>bridge</TYPE>"
            "</NETWORKS><NETWORKS><DESCRIPTION>eno1</DESCRIPTION>"
            "<MACADDR>00:11:22:33:44:55</MACADDR><VIRTUALDEV>0</VIRTUALDEV></NETWORKS>"
        )
    ).inventory
    interface = part(inventory, "networks", "00:11:22:33:44:55")
    assert (interface.label, interface.data["virtual"], interface.data["ip"]) == (
        "eno1", False, "10.0.0.2"
    )  # fmt: skip
    assert inventory.macs() == ["00:11:22:33:44:55"]


def test_identical_components_without_serials_stay_apart():
    monitor = "<MONITORS><CAPTION>P2422H</CAPTION><MANUFACTURER>Dell</MANUFACTURER></MONITORS>"
    inventory = ocs.read_request(inventory_of(monitor * 2)).inventory
    assert identities(inventory, "monitors") == ["Dell P2422H", "Dell P2422H#2"]


def test_memory_slots_count_the_empty_ones():
    memories = (
        "<MEMORIES><CAPACITY>0</CAPACITY></MEMORIES>"
        "<MEMORIES><CAPACITY>4096</CAPACITY><SERIALNUMBER>SerNum1</SERIALNUMBER></MEMORIES>"
    )
    inventory = ocs.read_request(inventory_of(memories)).inventory
    assert identities(inventory, "memories") == ["slot1"]


def test_a_huge_software_list_is_read_whole():
    softwares = "".join(
        f"<SOFTWARES><NAME>package-{index}</NAME><VERSION>1.{index}</VERSION>"
        f"<INSTALLDATE>31/02/2020</INSTALLDATE></SOFTWARES>"
        for index in range(20_000)
    )
    inventory = ocs.read_request(inventory_of(softwares)).inventory
    assert len(inventory.softwares) == 20_000
    assert inventory.softwares[-1].name == "package-19999"
    # One bad date per package: the warnings stay bounded.
    assert len(inventory.warnings) == 201
    assert inventory.warnings[-1] == "19800 more warnings not shown"


def test_control_characters_and_bad_utf8_do_not_cost_the_inventory():
    inventory = ocs.read_request(
        b"<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>pc-1</DEVICEID><CONTENT>"
        b"<SOFTWARES><NAME>Caf\xe9\x01 Tool\x1f</NAME></SOFTWARES></CONTENT></REQUEST>"
    ).inventory
    assert inventory.softwares[0].name == "Caf\ufffd Tool"
    assert inventory.warnings == ["the document is not valid UTF-8; undecodable bytes replaced"]


def test_it_honours_a_declared_latin1_encoding():
    document = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><REQUEST><QUERY>INVENTORY</QUERY>'
        "<DEVICEID>pc-1</DEVICEID><CONTENT><HARDWARE><NAME>Comptabilité</NAME></HARDWARE>"
        "</CONTENT></REQUEST>"
    ).encode("latin-1")
    assert ocs.read_request(document).inventory.hardware.name == "Comptabilité"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>&lol9;</DEVICEID><CONTENT/></REQUEST>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>&secret;</DEVICEID><CONTENT/></REQUEST>"""

DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST SYSTEM "http://attacker.example/request.dtd">
<REQUEST><QUERY>PROLOG</QUERY><DEVICEID>pc-1</DEVICEID></REQUEST>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, DTD_ONLY])
def test_dtds_and_entities_are_refused(document):
    with pytest.raises(BadPayload) as caught:
        ocs.read_request(document)
    assert caught.value.status == 400
    assert "DTD" in caught.value.message
    assert "root:" not in caught.value.message


def test_an_undeclared_entity_is_not_well_formed():
    with pytest.raises(BadPayload) as caught:
        ocs.read_request(b"<REQUEST><QUERY>&xxe;</QUERY></REQUEST>")
    assert "not well-formed" in caught.value.message


def test_deeply_nested_documents_are_refused():
    document = b"<REQUEST>" + b"<A>" * 100_000 + b"</A>" * 100_000 + b"</REQUEST>"
    with pytest.raises(BadPayload) as caught:
        ocs.read_request(document)
    assert "nested deeper" in caught.value.message


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        (b"<REQUEST><QUERY>PROLOG</QUERY>", "not well-formed"),
        (b"\x00\x01garbage", "not well-formed"),
        (b"", "not well-formed"),
        (b"<REPLY><QUERY>PROLOG</QUERY><DEVICEID>pc</DEVICEID></REPLY>", "REQUEST"),
        (b"<REQUEST><DEVICEID>pc</DEVICEID></REQUEST>", "QUERY"),
        (b"<REQUEST><QUERY>PROLOG</QUERY><DEVICEID> </DEVICEID></REQUEST>", "DEVICEID"),
        (b"<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>pc</DEVICEID></REQUEST>", "CONTENT"),
        (b'<?xml version="1.0" encoding="klingon"?><REQUEST/>', "not well-formed"),
    ],
)
def test_malformed_requests_are_bad_requests(document, complaint):
    with pytest.raises(BadPayload) as caught:
        ocs.read_request(document)
    assert caught.value.status == 400
    assert complaint in caught.value.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_read_or_raise_bad_payload(document):
    try:
        ocs.read_request(document)
    except BadPayload as error:
        assert error.status == 400


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["NAME", "MEMORY", "UUID", "MACADDR", "BDATE"]))
def test_any_field_text_reads_or_raises_bad_payload(text, field):
    section = "NETWORKS" if field == "MACADDR" else "BIOS" if field == "BDATE" else "HARDWARE"
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    try:
        ocs.read_request(inventory_of(f"<{section}><{field}>{escaped}</{field}></{section}>"))
    except BadPayload as error:
        assert error.status == 400


def test_the_prolog_reply_asks_for_an_inventory():
    reply = ocs.prolog_reply(frequency_hours=12)
    assert reply.startswith(b'<?xml version="1.0" encoding="UTF-8" ?>')
    root = ElementTree.fromstring(reply)
    assert root.tag == "REPLY"
    assert (root.findtext("PROLOG_FREQ"), root.findtext("RESPONSE")) == ("12", "SEND")
    assert b"<REPLY><PROLOG_FREQ>12</PROLOG_FREQ><RESPONSE>SEND</RESPONSE></REPLY>" in reply


def test_the_inventory_reply_is_the_ocs_servers():
    assert b"<REPLY><RESPONSE>no_account_update</RESPONSE></REPLY>" in ocs.inventory_reply()


def test_the_error_reply_escapes_its_message():
    reply = ocs.error_reply("Bad <QUERY> & co\x00")
    assert b"<REPLY><ERROR>Bad &lt;QUERY&gt; &amp; co</ERROR></REPLY>" in reply
    assert ElementTree.fromstring(reply).findtext("ERROR") == "Bad <QUERY> & co"
