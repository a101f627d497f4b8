"""Import / export in a real browser: an administrator checks an archive and applies it with
the keyboard."""

import pytest
from playwright.sync_api import expect

from guichet.knowledge.models import Article
from guichet.knowledge.tests.test_transfer import make
from guichet.knowledge.transfer_db import export_tree
from guichet.knowledge.transfer_files import zip_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_checks_then_applies_an_import_with_the_keyboard(page_for, root, tmp_path):
    make(root, title_en="Printer jams")
    archive = tmp_path / "kb.zip"
    archive.write_bytes(zip_bytes(export_tree(root)))
    Article.objects.all().delete()
    page = page_for(root)
    page.goto("/knowledge/transfer/")

    expect(page.get_by_role("link", name="Download the knowledge base (.zip)")).to_be_visible()
    field = page.get_by_label("Knowledge base archive (.zip)")
    field.set_input_files(str(archive))
    field.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check the archive")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("1 to create, 0 to update, 0 unchanged.")
    expect(page.get_by_text("Imprimante bloquée")).to_be_visible()
    assert not Article.objects.exists()
    expect(page.get_by_role("button", name="Apply the import")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Import done: 1 created, 0 updated, 0 unchanged.")).to_be_visible()
    assert Article.objects.get().title_en == "Printer jams"
