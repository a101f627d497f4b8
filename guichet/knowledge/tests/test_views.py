"""The knowledge screens through HTTP: staff pages, the FAQ, files, the ticket panel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from guichet.knowledge import actions
from guichet.knowledge.choices import ArticleKind, ArticleStatus
from guichet.knowledge.models import Article, ArticleAttachment, ArticleTicket
from guichet.knowledge.tests.factories import make_article, make_faq
from guichet.tickets import actions as ticket_actions
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_urls(article) -> list[str]:
    pk = article.pk
    return [
        "/knowledge/",
        "/knowledge/new/",
        f"/knowledge/{pk}/",
        f"/knowledge/{pk}/edit/",
        f"/knowledge/{pk}/history/",
        f"/knowledge/{pk}/compare/?a=1&b=2",
    ]


def test_every_staff_page_opens_for_alice_sam_and_root(alice, sam, root):
    article = make_article(alice, kind=ArticleKind.KNOWN_ERROR, symptom_en="Blank page")
    actions.update_article(article=article, actor=alice, title_fr="Bourrage papier")
    for user in (alice, sam, root):
        client = client_for(user)
        for url in staff_urls(article):
            assert client.get(url).status_code == 200, (user, url)


def test_the_article_page_shows_the_readers_language_first_and_the_missing_one(alice_client, alice):
    article = make_article(alice, title="Printer jams", body_en="Open **tray 2**.")
    html = alice_client.get(f"/knowledge/{article.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<strong>tray 2</strong>" in html
    assert "No French version yet." in html
    assert html.index('id="version-en"') < html.index('id="version-fr"')


def test_a_known_error_shows_its_four_parts(alice_client, alice):
    article = make_article(
        alice, kind=ArticleKind.KNOWN_ERROR, software="Outlook 2021",
        symptom_en="Asks for the password", cause_en="Stale token",
        workaround_en="Use the web mail", solution_en="Update to build 2405",
    )  # fmt: skip
    html = alice_client.get(f"/knowledge/{article.pk}/").content.decode()
    for text in (
        "Symptom",
        "Stale token",
        "Use the web mail",
        "Update to build 2405",
        "Outlook 2021",
    ):
        assert text in html


def test_requesters_and_outsiders_get_no_staff_page(alice, bob_client, charlie_client):
    article = make_article(alice)
    for client in (bob_client, charlie_client):
        for url in staff_urls(article)[1:]:
            response = client.get(url)
            assert response.status_code in (302, 404), url
            if response.status_code == 302:  # the page and the list send them to the FAQ
                assert client.get(response.url).status_code == 404 or "faq" in response.url


def test_creating_an_article_from_the_form(alice_client):
    response = alice_client.post(
        "/knowledge/new/",
        {"kind": "article", "audience": "internal", "title_fr": "VPN", "body_fr": "Texte",
         "note": "first"},
    )  # fmt: skip
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == f"/knowledge/{article.pk}/"
    assert article.title_fr == "VPN" and article.revisions.get().note == "first"


def test_a_form_without_any_title_is_refused_and_nothing_is_saved(alice_client):
    response = alice_client.post("/knowledge/new/", {"kind": "article", "audience": "internal"})
    assert response.status_code == 400
    assert "Give a title in French, in English, or both." in response.content.decode()
    assert not Article.objects.exists()


def test_the_list_filters_on_a_missing_version_and_kind(alice_client, alice):
    make_article(alice, title="English only")
    make_article(alice, title="Both", title_fr="Les deux")
    make_article(alice, title="Known", kind=ArticleKind.KNOWN_ERROR, title_fr="Connue")

    html = alice_client.get("/knowledge/?missing=fr").content.decode()
    assert "English only" in html and "Both" not in html
    html = alice_client.get("/knowledge/?kind=known_error&status=bogus").content.decode()
    assert "Known" in html and "English only" not in html


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    alice_client, alice, django_assert_max_num_queries
):
    for index in range(30):
        make_article(alice, title=f"Article {index}")
    with django_assert_max_num_queries(12):
        response = alice_client.get("/knowledge/")
    assert response.status_code == 200


def test_workflow_buttons_move_the_article_and_refuse_a_forbidden_move(alice_client, alice):
    article = make_article(alice)
    alice_client.post(f"/knowledge/{article.pk}/status/", {"status": "published"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED

    response = alice_client.post(
        f"/knowledge/{article.pk}/status/", {"status": "review"}, follow=True
    )
    assert "cannot go from" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


def test_compare_shows_a_word_diff(alice_client, alice):
    article = make_article(alice, body_en="Restart the printer.")
    actions.update_article(article=article, actor=alice, body_en="Restart the scanner.")
    html = alice_client.get(f"/knowledge/{article.pk}/compare/?a=1&b=2").content.decode()
    assert "<del>" in html and "scanner" in html
    assert alice_client.get(f"/knowledge/{article.pk}/compare/?a=1&b=9").status_code == 404


def test_an_uploaded_image_shows_in_the_text_through_the_checked_download(
    alice_client, alice, bob_client, charlie_client, acme
):
    article = make_faq(alice, organisations=[acme])
    response = alice_client.post(
        f"/knowledge/{article.pk}/files/", {"file": SimpleUploadedFile("tray.png", PNG)}
    )
    assert response.status_code == 302
    item = ArticleAttachment.objects.get()
    actions.update_article(
        article=article, actor=alice, body_en=f"![The tray](attachment:{item.pk})"
    )
    url = f"/knowledge/{article.pk}/files/{item.pk}/"

    html = bob_client.get(f"/knowledge/faq/{article.pk}/").content.decode()
    assert f'<img src="{url}" alt="The tray"' in html
    assert bob_client.get(url).status_code == 200
    assert charlie_client.get(url).status_code == 404


def test_a_file_too_large_is_refused_with_a_clear_error_and_nothing_kept(
    alice_client, alice, settings
):
    settings.ATTACHMENT_MAX_BYTES = 50
    article = make_article(alice)
    response = alice_client.post(
        f"/knowledge/{article.pk}/files/", {"file": SimpleUploadedFile("big.png", PNG)}
    )
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not ArticleAttachment.objects.exists()


def test_a_script_disguised_as_an_image_is_refused(alice_client, alice):
    article = make_article(alice)
    upload = SimpleUploadedFile("x.svg", b"<svg><script>alert(1)</script></svg>")
    response = alice_client.post(f"/knowledge/{article.pk}/files/", {"file": upload})
    assert response.status_code == 400
    assert not ArticleAttachment.objects.exists()


def test_markup_in_an_article_is_escaped(alice_client, alice):
    article = make_article(alice, body_en="<script>alert(1)</script> ![x](javascript:alert(1))")
    html = alice_client.get(f"/knowledge/{article.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "javascript:" not in html


def test_a_huge_malformed_body_still_renders(alice_client, alice):
    body = ("![" * 5000) + ("[x](attachment:" * 5000) + ("&lt;" * 20000) + "*" * 50_000
    article = make_article(alice, body_en=body[:200_000])
    assert alice_client.get(f"/knowledge/{article.pk}/").status_code == 200


# --- FAQ --------------------------------------------------------------------------------------
def test_the_faq_shows_public_articles_meant_for_the_readers_client(
    alice, bob_client, charlie_client, acme, globex
):
    everyone = make_faq(alice, title="For everyone")
    for_acme = make_faq(alice, title="Acme only", organisations=[acme])
    internal = make_article(alice, title="Internal", status=ArticleStatus.PUBLISHED)
    draft = make_faq(alice, title="Draft FAQ")
    actions.set_status(article=draft, actor=alice, status=ArticleStatus.DRAFT)

    html = bob_client.get("/knowledge/faq/").content.decode()
    assert "For everyone" in html and "Acme only" in html
    assert "Internal" not in html and "Draft FAQ" not in html
    html = charlie_client.get("/knowledge/faq/").content.decode()
    assert "For everyone" in html and "Acme only" not in html

    assert bob_client.get(f"/knowledge/faq/{for_acme.pk}/").status_code == 200
    assert charlie_client.get(f"/knowledge/faq/{for_acme.pk}/").status_code == 404
    for hidden in (internal, draft):
        assert bob_client.get(f"/knowledge/faq/{hidden.pk}/").status_code == 404
    assert charlie_client.get(f"/knowledge/faq/{everyone.pk}/").status_code == 200


def test_staff_see_the_faq_too(alice, alice_client):
    article = make_faq(alice, title="For everyone")
    assert "For everyone" in alice_client.get("/knowledge/faq/").content.decode()
    assert alice_client.get(f"/knowledge/faq/{article.pk}/").status_code == 200


def test_a_requester_votes_from_the_faq_and_an_outsider_cannot(
    alice, bob, bob_client, charlie_client, acme
):
    article = make_faq(alice, organisations=[acme])
    response = bob_client.post(f"/knowledge/{article.pk}/vote/", {"helpful": "yes"})
    assert response.url == f"/knowledge/faq/{article.pk}/"
    assert (
        charlie_client.post(f"/knowledge/{article.pk}/vote/", {"helpful": "no"}).status_code == 404
    )
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 0)


# --- Ticket panel -----------------------------------------------------------------------------
def test_the_ticket_panel_lists_links_and_links_an_article(alice, bob, alice_client):
    article = make_article(alice, title="Paper jam")
    ticket = make_ticket(bob)
    response = alice_client.post(
        f"/knowledge/ticket/{ticket.pk}/link", {"article": article.pk, "solved": "on"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Paper jam" in response.content.decode() and "solved it" in response.content.decode()
    assert ArticleTicket.objects.get().solved
    html = alice_client.get(f"/knowledge/ticket/{ticket.pk}/panel").content.decode()
    assert "<h2" in html and "Paper jam" in html


def test_linking_an_unknown_article_number_is_a_field_error(alice, bob, alice_client):
    ticket = make_ticket(bob)
    response = alice_client.post(
        f"/knowledge/ticket/{ticket.pk}/link", {"article": 999}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "No article has this number." in response.content.decode()


def test_the_panel_is_404_for_outsiders_and_requesters(
    alice, bob, dave_client, bob_client, charlie_client
):
    article = make_article(alice)
    ticket = make_ticket(bob)
    ticket_actions.solve(ticket=ticket, actor=alice, solution="Done")
    for client in (dave_client, bob_client, charlie_client):
        assert client.get(f"/knowledge/ticket/{ticket.pk}/panel").status_code == 404
        link = client.post(f"/knowledge/ticket/{ticket.pk}/link", {"article": article.pk})
        assert link.status_code == 404
        assert client.post(f"/knowledge/ticket/{ticket.pk}/draft").status_code == 404
    assert not ArticleTicket.objects.exists()
    assert Article.objects.count() == 1


def test_the_solution_becomes_a_draft_from_the_panel(alice, bob, alice_client):
    ticket = make_ticket(bob, title="VPN drops")
    assert (
        "Turn the solution"
        not in alice_client.get(f"/knowledge/ticket/{ticket.pk}/panel").content.decode()
    )
    ticket_actions.solve(ticket=ticket, actor=alice, solution="New profile")
    assert (
        "Turn the solution"
        in alice_client.get(f"/knowledge/ticket/{ticket.pk}/panel").content.decode()
    )

    response = alice_client.post(f"/knowledge/ticket/{ticket.pk}/draft")
    article = Article.objects.get()
    assert response.url == f"/knowledge/{article.pk}/edit/"
    assert article.source_ticket_id == ticket.pk and article.solved_count == 1
