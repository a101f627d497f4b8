"""Standing test world: alice (technician), bob (requester), charlie (the outsider).

- Acme is a client company served by the team "Support N1", of which alice is a member.
- bob works at Acme and opens tickets.
- charlie works at Globex, served by another team; he must never see anything of Acme's.
- dave is a technician whose team serves only Globex: an outsider among the staff.
- sam is the supervisor of "Support N1"; root is an administrator.
"""

import os

import pytest

from guichet.accounts.choices import Role
from guichet.accounts.tests.factories import (
    make_organisation,
    make_staff,
    make_team,
    make_user,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Bring back the seeded reference data (categories, matrix, reasons) for every test.

    Tests on a live server run in real transactions and the database is flushed after them,
    which also removes the rows the data migration seeded; the tests after them still need those.
    """
    names = request.fixturenames
    if "live_server" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        yield
        return
    from django.apps import apps

    from guichet.sla import seed as sla_seed
    from guichet.tickets.models import PriorityRule
    from guichet.tickets.seed import load

    if not PriorityRule.objects.exists():
        load(apps)
        sla_seed.load(apps)
    yield
    # What a test's process remembered of its data (on-commit callbacks run by the test)
    # must not outlive the rollback that removes those rows.
    from guichet.lib import refcache

    refcache._current.clear()


@pytest.fixture
def acme(db):
    return make_organisation("Acme")


@pytest.fixture
def globex(db):
    return make_organisation("Globex")


@pytest.fixture
def support_team(acme):
    return make_team("Support N1", organisations=[acme], level=1)


@pytest.fixture
def globex_team(globex):
    return make_team("Globex Desk", organisations=[globex], level=1)


@pytest.fixture
def alice(support_team):
    return make_staff("alice", teams=[support_team])


@pytest.fixture
def bob(acme):
    return make_user("bob", organisation=acme, phone="+33 1 23 45 67 89")


@pytest.fixture
def charlie(globex):
    return make_user("charlie", organisation=globex)


@pytest.fixture
def dave(globex_team):
    return make_staff("dave", teams=[globex_team])


@pytest.fixture
def sam(support_team):
    return make_staff("sam", role=Role.SUPERVISOR, teams=[support_team])


@pytest.fixture
def root(db):
    return make_staff("root", role=Role.ADMIN)


def _client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice, client):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):
    from django.test import Client

    return _client_for(Client, bob)


@pytest.fixture
def charlie_client(charlie):
    from django.test import Client

    return _client_for(Client, charlie)


@pytest.fixture
def dave_client(dave):
    from django.test import Client

    return _client_for(Client, dave)


@pytest.fixture
def api_token():
    """Make a bearer token for a user: `api_token(alice)` → headers dict for the test client."""
    from guichet.accounts.actions import create_token

    def make(user):
        _token, key = create_token(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


# --- Browser tests (headless Debian Chromium through Playwright) -------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (make test installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(browser, live_server):
    """`page_for(user)` gives a signed-in Playwright page on the live server."""
    contexts = []

    def make(user, password: str = "password"):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.press("#id_password", "Enter")
        page.wait_for_load_state("networkidle")
        return page

    yield make
    for context in contexts:
        context.close()
