"""The real FusionInventory agent from Debian's packages, run against the live test server.
The agent prints little and exits 0 even when refused: what landed in the database is
what is checked."""

import shutil
import subprocess

import pytest

from guichet.assets.models import Asset
from guichet.inventory import actions
from guichet.inventory.models import Agent

AGENT = shutil.which("fusioninventory-agent")
# scripts/system-packages.sh installs the agent: its absence is a failure, not a skip.
pytestmark = pytest.mark.django_db(transaction=True)
# Categories that take long to collect and that Guichet does not keep.
SKIPPED = "process,environment,user,local_group,local_user,printer,usb,controller"


def run_agent(url: str, *extra: str) -> subprocess.CompletedProcess:
    assert AGENT, "fusioninventory-agent is not installed (scripts/system-packages.sh)"
    command = [AGENT, "--server", url, "--tasks=inventory", "--no-httpd", "--logger=stderr",
               "--force", "--no-category", SKIPPED, "--timeout=60", *extra]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_the_real_agent_inventories_this_machine_twice_without_a_duplicate(live_server, acme):
    url = f"{live_server.url}/inventory/o/{actions.organisation_key(organisation=acme)}/"
    first = run_agent(url)
    asset = Asset.objects.filter(organisation=acme).first()
    assert asset is not None, first.stderr[-2000:]
    assert asset.installations.count() > 50  # the Debian packages of this machine
    assert asset.components.filter(kind="volumes").exists()
    assert asset.os_name
    agent = Agent.objects.get()
    assert (agent.asset, agent.protocol, agent.last_error) == (asset, "ocs", "")
    run_agent(url)
    assert Asset.objects.count() == 1
    assert Asset.objects.get().last_inventory_at > asset.last_inventory_at


def test_the_real_agent_with_basic_auth_and_a_tag_rule(live_server, acme, sam):
    location = acme.locations.create(name="Atelier")
    actions.add_tag_rule(actor=sam, pattern="atelier-*", organisation=acme, location=location)
    key = actions.organisation_key(organisation=acme)
    result = run_agent(f"{live_server.url}/inventory/", "--user=agent", f"--password={key}",
                       "--tag=ATELIER-42")  # fmt: skip
    asset = Asset.objects.filter(organisation=acme).first()
    assert asset is not None, result.stderr[-2000:]
    assert asset.location == location
    assert Agent.objects.get().tag == "ATELIER-42"


def test_the_real_agent_without_an_organisation_is_refused_and_nothing_lands(live_server):
    run_agent(f"{live_server.url}/inventory/")
    assert not Asset.objects.exists()
    assert "organisation" in Agent.objects.get().last_error
