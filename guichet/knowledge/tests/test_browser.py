"""The knowledge base in a real browser: alice writes an article with the keyboard alone,
publishes it to the FAQ, and bob reads it on the portal."""

import pytest
from playwright.sync_api import expect

from guichet.knowledge.choices import ArticleStatus
from guichet.knowledge.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("never reached with Tab")


def test_alice_writes_and_publishes_an_faq_article_that_bob_reads(page_for, alice, bob):
    page = page_for(alice)
    page.goto("/knowledge/new/")

    # A radio group is one Tab stop; the arrows choose within it.
    tab_to(page, page.get_by_label("Technicians only"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Public FAQ (portal)")).to_be_checked()
    tab_to(page, page.get_by_label("Title (English)"))
    page.keyboard.type("Reconnect to the Wi-Fi")
    page.keyboard.press("Tab")  # to the French title, left empty
    tab_to(page, page.get_by_label("Text (English)"))
    page.keyboard.type("Forget the network, then join **Guest** again.")
    tab_to(page, page.get_by_role("button", name="Save"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Reconnect to the Wi-Fi")
    expect(page.get_by_text("No French version yet.")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Publish"))
    page.keyboard.press("Enter")
    expect(page.locator("#article-status")).to_have_text("Published")
    article = Article.objects.get()
    assert article.status == ArticleStatus.PUBLISHED and article.audience == "public"

    reader = page_for(bob)
    reader.goto("/knowledge/faq/")
    reader.get_by_role("link", name="Reconnect to the Wi-Fi").click()
    expect(reader.locator("strong", has_text="Guest")).to_be_visible()
    reader.get_by_role("button", name="Yes, helpful").click()
    expect(reader.locator("#my-vote")).to_contain_text("helpful")
