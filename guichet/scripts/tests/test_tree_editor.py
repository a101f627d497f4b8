"""The node-by-node editor through HTTP: who may use it, saving, errors, malformed posts."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation

from guichet.scripts import seed, tree, tree_form
from guichet.scripts.models import Script
from guichet.scripts.tests.factories import make_script, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam)
    return client


def url(script) -> str:
    return f"/scripts/{script.pk}/tree/"


class FormFields(HTMLParser):
    """The fields a browser would post from the page's editor form, as drawn."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and "novalidate" in attrs:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") != "submit":
            checkbox = attrs.get("type") == "checkbox"
            if not checkbox or "checked" in attrs:
                self.data[name] = attrs.get("value") or ("on" if checkbox else "")
        elif tag == "select":
            self.select = name
        elif (
            tag == "option"
            and self.select
            and ("selected" in attrs or self.select not in self.data)
        ):
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def drawn(response) -> dict[str, str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


def index_of(data: dict, node_id: str) -> int:
    return next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-id") and v == node_id)


def test_a_supervisor_changes_a_text_and_saves_a_new_version_with_its_note(sam_client, sam):
    # given
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    # when
    data[f"n-{index_of(data, 'restart')}-text_en"] = "Restart the box, then wait."
    data["note"] = "clearer restart"
    response = sam_client.post(url(script), data | {"save": "1"}, follow=True)
    # then
    assert response.redirect_chain == [(f"/scripts/{script.pk}/", 302)]
    assert "Version 2 saved." in response.content.decode()
    script.refresh_from_db()
    version = script.current
    assert (version.number, version.note, version.created_by) == (2, "clearer restart", sam)
    restart = version.definition["nodes"]["restart"]
    assert restart["text"] == {"fr": "Redémarrez la box.", "en": "Restart the box, then wait."}
    assert script.versions.get(number=1).definition == small_tree()  # the old one unchanged


@pytest.mark.parametrize("code", [document["code"] for document in seed.documents()])
def test_each_seeded_script_as_drawn_posts_back_as_nothing_changed(sam_client, code):
    script = Script.objects.get(code=code)
    page = sam_client.get(url(script))
    assert page.status_code == 200
    data = drawn(page)
    assert tree_form.tree_of_rows(tree_form.rows_of_data(data)) == script.current.definition
    response = sam_client.post(url(script), data | {"save": "1"}, follow=True)
    assert response.redirect_chain == [(f"/scripts/{script.pk}/", 302)]
    assert "Nothing changed." in response.content.decode()
    assert script.versions.count() == 1


def test_renaming_a_node_through_the_page_keeps_every_branch(sam_client):
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    data[f"n-{index_of(data, 'link')}-id"] = "light"
    assert sam_client.post(url(script), data).status_code == 302
    script.refresh_from_db()
    definition = script.current.definition
    assert definition["start"] == "light"
    assert definition["nodes"]["gateway"]["answers"][1]["next"] == "light"
    assert tree.validate(definition) == []


def test_add_another_node_draws_one_more_blank_node_and_keeps_what_was_typed(sam_client):
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    # The blank row is the last one drawn (the nodes' order is the database's: jsonb sorts keys).
    new = max(int(key.split("-")[1]) for key in data if key.startswith("n-"))
    assert data[f"n-{new}-id"] == ""
    data |= {f"n-{new}-id": "replug", f"n-{new}-kind": "outcome", f"n-{new}-text_en": "Replug"}
    response = sam_client.post(url(script), data | {"add_node": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<legend>New node</legend>") == 1
    new_id = page.split(f'name="n-{new + 1}-id"')[1].split(">")[0]
    assert "autofocus" in new_id  # typing goes on in the row just added
    assert "<legend>Node “replug”</legend>" in page
    again = drawn(response)
    assert again[f"n-{new}-text_en"] == "Replug"
    assert '<option value="replug">replug — Replug</option>' in page  # now a target
    assert script.versions.count() == 1  # nothing saved


def test_an_error_answers_400_names_the_node_and_loses_nothing_typed(sam_client):
    # given: a changed text, and the node an answer leads to removed
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    cable = index_of(data, "cable")
    data[f"n-{index_of(data, 'restart')}-text_en"] = "Restart it, please."
    data[f"n-{cable}-remove"] = "on"
    data["note"] = "drop the cable"
    # when
    response = sam_client.post(url(script), data)
    # then
    assert response.status_code == 400
    page = response.content.decode()
    message = "Node “link”, answer 2: leads to “cable”, which does not exist."
    summary = page.split('role="alert"')[1].split("</div>")[0]
    assert f'<a href="#node-0-answer-1">{message}</a>' in summary
    answer = page.split('id="node-0-answer-1"')[1].split("</fieldset>")[0]
    assert 'aria-describedby="node-0-answer-1-errors"' in page and message in answer
    assert 'aria-invalid="true"' in answer
    again = drawn(response)
    assert again[f"n-{index_of(again, 'restart')}-text_en"] == "Restart it, please."
    assert again[f"n-{cable}-remove"] == "on" and again["note"] == "drop the cable"
    assert again["n-0-a-1-next"] == "cable"
    assert '<option value="cable" selected>cable (does not exist)</option>' in page
    assert script.versions.count() == 1


def test_an_unknown_category_and_a_duplicate_id_are_refused_with_their_node(sam_client):
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    fixed = index_of(data, "fixed")
    data[f"n-{fixed}-category"] = "no-such-code"
    response = sam_client.post(url(script), data)
    assert response.status_code == 400
    assert "Node “fixed”: the category “no-such-code” does not exist." in (
        response.content.decode().split(f'id="node-{fixed}"')[1])  # fmt: skip
    data[f"n-{fixed}-category"] = ""
    data[f"n-{index_of(data, 'cable')}-id"] = "fixed"
    response = sam_client.post(url(script), data)
    assert response.status_code == 400
    assert "Node “fixed”: more than one node has this id." in response.content.decode()
    assert script.versions.count() == 1


def test_an_outcome_turned_into_a_question_shows_its_answer_rows_after_the_error(sam_client):
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    cable = index_of(data, "cable")
    assert f"n-{cable}-a-0-next" not in data  # an outcome draws no answer rows
    data[f"n-{cable}-kind"] = "question"
    response = sam_client.post(url(script), data)
    assert response.status_code == 400
    assert "Node “cable”: needs at least one answer." in response.content.decode()
    assert f"n-{cable}-a-0-next" in drawn(response)


def test_show_the_fields_of_the_chosen_kinds_redraws_without_saving(sam_client):
    script = make_script()
    data = drawn(sam_client.get(url(script)))
    restart = index_of(data, "restart")
    data[f"n-{restart}-kind"] = "outcome"
    response = sam_client.post(url(script), data | {"refresh": "1"})
    assert response.status_code == 200
    again = drawn(response)
    assert f"n-{restart}-category" in again and again[f"n-{restart}-next"] == "gateway"
    assert script.versions.count() == 1


def test_only_supervisors_and_administrators_reach_the_editor(
    alice_client, bob_client, charlie_client, dave_client, sam_client, root, client
):
    script = make_script()
    data = tree_form.data_of_rows(tree_form.rows_of_tree(small_tree(impact=2)))
    for other in (alice_client, bob_client, charlie_client, dave_client):
        assert other.get(url(script)).status_code == 403
        assert other.post(url(script), data).status_code == 403
    assert script.versions.count() == 1
    client.logout()
    assert client.get(url(script)).status_code == 302  # to the sign-in page
    client.force_login(root)
    assert client.get(url(script)).status_code == 200
    assert sam_client.get("/scripts/999999/tree/").status_code == 404
    assert sam_client.post("/scripts/999999/tree/", data).status_code == 404


def test_the_script_page_and_the_text_editor_link_to_the_editor(sam_client, alice_client):
    script = make_script()
    link = f'href="{url(script)}">Edit node by node</a>'
    assert link in sam_client.get(f"/scripts/{script.pk}/").content.decode()
    assert link in sam_client.get(f"/scripts/{script.pk}/edit/").content.decode()
    assert link not in alice_client.get(f"/scripts/{script.pk}/").content.decode()


def test_malformed_posts_answer_400_never_500(sam_client):
    script = make_script()
    huge = "x" * 1_000_000
    cases = [
        ({}, "“nodes” must be an object holding at least one node."),
        ({"n-0-id": "a", "n-0-kind": "nonsense", "start": "a"}, "the kind must be question"),
        ({"n-99999999-id": "a", "n-1" + "0" * 30 + "-id": "b"}, "the kind must be question"),
        ({"n-0-id": "a", "n-0-text_en": huge, "start": "a"}, "The script is too large"),
        ({f"n-{i}-id": f"x{i}" for i in range(300)}, "too many nodes: a script has at most 200"),
        ({f"n-0-a-{j}-next": "x" for j in range(50)} | {"n-0-id": "a"}, "too many answers"),
        ({"n-0-id": "a", "n-0-kind": "outcome", "n-0-impact": "7", "start": "a"}, "1 to 5"),
        ({"n-0-id": "Bad Id", "n-0-kind": "outcome", "n-0-text_en": "x"}, "an id is lowercase"),
        ({"n-0-orig": "link", "n-0-id": "", "n-0-text_en": "x"}, "Node number 1 has no id."),
        (tree_form.data_of_rows(tree_form.rows_of_tree(small_tree(impact=1))) | {"note": "n" * 300},
         "At most 250 characters."),
    ]  # fmt: skip
    for data, message in cases:
        response = sam_client.post(url(script), data)
        assert response.status_code == 400, data.keys()
        assert message in response.content.decode(), message
    # past Django's own limit of fields per request, Django answers 400 itself
    flood = {f"n-{i}-id": f"x{i}" for i in range(10_000)}
    assert sam_client.post(url(script), flood).status_code == 400
    assert script.versions.count() == 1
