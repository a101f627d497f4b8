"""The endpoint as agents use it: both protocols, compressed or not, keys, refusals."""

import gzip
import json
import zlib
from pathlib import Path

import pytest

from guichet.assets.models import Asset, Installation
from guichet.inventory import actions
from guichet.inventory.models import Agent

FIXTURES = Path(__file__).parent / "fixtures"
ZLIB = "application/x-compress-zlib"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def acme_url(acme):
    return f"/inventory/o/{actions.organisation_key(organisation=acme)}/"


def post(client, url, body: bytes, content_type=ZLIB, compress=zlib.compress, **headers):
    return client.post(url, data=compress(body) if compress else body,
                       content_type=content_type, **headers)  # fmt: skip


def reply(response) -> dict:
    assert response["Content-Type"] == ZLIB
    return json.loads(zlib.decompress(response.content))


def test_glpi_agent_contact_then_full_inventory(client, acme, acme_url):
    contact = reply(post(client, acme_url, fixture("glpi-agent-1.11-contact-request.json")))
    assert contact["status"] == "ok" and "inventory" in contact["tasks"]
    response = post(client, acme_url, fixture("glpi-agent-1.11-inventory-full.json"))
    assert response.status_code == 200 and reply(response)["status"] == "ok"
    asset = Asset.objects.get()
    assert (asset.organisation, asset.name, asset.subtype) == (acme, "vm", "virtual")
    assert asset.installations.count() > 900
    assert Agent.objects.get().asset == asset


def test_glpi_partial_inventory_keeps_the_rest(client, acme, acme_url):
    post(client, acme_url, fixture("glpi-agent-1.11-inventory-full.json"))
    installed = Installation.objects.count()
    response = post(client, acme_url, fixture("glpi-agent-1.11-inventory-partial.json"))
    assert response.status_code == 200, response.content
    assert Installation.objects.count() == installed
    assert Asset.objects.count() == 1


def test_an_xml_inventory_from_fusioninventory(client, acme, acme_url):
    body = fixture("fusioninventory-2.6.xml")
    prolog = b'<?xml version="1.0" encoding="UTF-8"?><REQUEST><DEVICEID>fi-1</DEVICEID>' \
             b"<QUERY>PROLOG</QUERY></REQUEST>"  # fmt: skip
    answer = zlib.decompress(post(client, acme_url, prolog).content)
    assert b"<RESPONSE>SEND</RESPONSE>" in answer
    response = post(client, acme_url, body)
    assert response.status_code == 200
    assert b"no_account_update" in zlib.decompress(response.content)
    assert Asset.objects.get().installations.count() > 50


def test_glpi_agent_prolog_is_answered_in_json(client, acme_url):
    prolog = b"<?xml version='1.0'?><REQUEST><DEVICEID>g-1</DEVICEID>" \
             b"<QUERY>PROLOG</QUERY></REQUEST>"  # fmt: skip
    response = post(client, acme_url, prolog, HTTP_GLPI_AGENT_ID="3f2a")
    assert reply(response)["status"] == "ok"


@pytest.mark.parametrize(
    ("content_type", "compress"),
    [("application/x-gzip", gzip.compress), ("application/json", None), ("", None)],
)
def test_replies_are_encoded_like_the_request(client, acme_url, content_type, compress):
    body = fixture("glpi-agent-1.11-contact-request.json")
    response = post(client, acme_url, body, content_type=content_type, compress=compress)
    data = response.content
    if compress:
        assert response["Content-Type"] == "application/x-gzip"
        data = gzip.decompress(data)
    assert json.loads(data)["status"] == "ok"


def test_basic_auth_with_the_key_as_password_ties_the_agent(client, acme):
    import base64

    key = actions.organisation_key(organisation=acme)
    auth = "Basic " + base64.b64encode(f"agent:{key}".encode()).decode()
    response = post(client, "/inventory/", fixture("glpi-agent-1.11-inventory-full.json"),
                    HTTP_AUTHORIZATION=auth)  # fmt: skip
    assert response.status_code == 200
    assert Asset.objects.get().organisation == acme


def test_a_wrong_key_is_refused_with_401(client, acme):
    response = post(client, "/inventory/o/nope/", fixture("glpi-agent-1.11-contact-request.json"))
    assert response.status_code == 401
    assert reply(response)["status"] == "error"
    assert "WWW-Authenticate" in response


def test_no_organisation_is_an_error_the_agent_can_log(client, db):
    response = post(client, "/inventory/", fixture("glpi-agent-1.11-inventory-full.json"))
    assert response.status_code == 422
    assert "organisation" in reply(response)["message"]
    assert not Asset.objects.exists()
    assert "organisation" in Agent.objects.get().last_error


def test_a_renewed_key_refuses_the_old_url(client, acme, acme_url):
    actions.organisation_key(organisation=acme, renew=True)
    response = post(client, acme_url, fixture("glpi-agent-1.11-contact-request.json"))
    assert response.status_code == 401


def test_a_decompression_bomb_is_stopped(client, acme_url, settings):
    settings.INVENTORY_MAX_DOCUMENT_BYTES = 1024 * 1024
    bomb = b"{" + b" " * (60 * 1024 * 1024) + b"}"
    response = post(client, acme_url, bomb)
    assert response.status_code == 413
    assert not Agent.objects.exists()


def test_a_body_over_the_limit_is_refused(client, acme_url, settings):
    settings.INVENTORY_MAX_BODY_BYTES = 2048
    response = post(client, acme_url, b"<x>" + b"a" * 10_000 + b"</x>", compress=None,
                    content_type="application/xml")  # fmt: skip
    assert response.status_code == 413


def test_entities_are_refused(client, acme_url):
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' \
           b"<REQUEST><DEVICEID>&x;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"  # fmt: skip
    response = post(client, acme_url, evil)
    assert response.status_code == 400
    assert b"<ERROR>" in zlib.decompress(response.content)
    assert not Agent.objects.exists()


def test_an_invalid_glpi_inventory_names_the_bad_field(client, acme_url):
    document = json.loads(fixture("glpi-agent-1.11-inventory-full.json"))
    document["content"]["softwares"][0]["name"] = 12
    response = post(client, acme_url, json.dumps(document).encode())
    assert response.status_code == 400
    assert "softwares" in reply(response)["message"]
    assert not Asset.objects.exists()


def test_garbage_is_a_400(client, acme_url):
    response = post(client, acme_url, b"\x00\x01garbage", compress=None, content_type="")
    assert response.status_code in (400, 415)


def test_a_get_says_what_the_url_is(client):
    response = client.get("/inventory/")
    assert response.status_code == 200 and b"inventair" in response.content.replace(
        b"inventory", b"inventair"
    )
