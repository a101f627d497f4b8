from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guichet.inventory.models import InventoryKey


def url(*args) -> str:
    out = StringIO()
    call_command("inventory", "url", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_organisations_agent_url_alone_on_its_line(acme, settings):
    settings.SITE_URL = "https://desk.example.org"
    printed = url("acme")
    key = InventoryKey.objects.get(organisation=acme).key
    assert printed == f"https://desk.example.org/inventory/o/{key}/\n"
    assert url("Acme") == printed  # the same key every time


def test_renew_gives_a_new_key(acme):
    assert url("Acme", "--renew") != url("Acme", "--renew")


def test_an_unknown_organisation_is_an_error(db):
    with pytest.raises(CommandError):
        url("Nobody")
