"""The list and page of scripts with their figures, the editor, files in and out, the seeds."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from guichet.scripts import seed, tree
from guichet.scripts.models import Script, ScriptRun
from guichet.scripts.tests.factories import make_script, small_tree, text

pytestmark = pytest.mark.django_db


def test_every_seeded_script_is_valid_bilingual_and_two_are_in_the_portal():
    documents = seed.documents()
    assert len(documents) == 5
    for document in documents:
        assert tree.validate(document) == [], document["code"]
        for node in document["nodes"].values():
            assert node["text"]["fr"] and node["text"]["en"]
        outcomes = [n for n in document["nodes"].values() if n["kind"] == "outcome"]
        assert len(outcomes) >= 3 and any(n.get("actions") for n in outcomes)
    assert sum(1 for d in documents if d.get("in_portal")) >= 2
    assert Script.objects.filter(code__in=[d["code"] for d in documents]).count() == 5


def test_the_list_shows_figures_per_script(alice_client, alice, bob):
    from guichet.scripts import actions
    from guichet.tickets.tests.factories import make_ticket

    script = make_script()
    ticket = make_ticket(bob)
    run = actions.start_run(script=script, actor=alice, channel="ticket", ticket=ticket)
    actions.answer(run=run, actor=alice, index=1)  # → cable, an outcome
    actions.stop(run=actions.start_run(script=script, actor=alice, channel="intake"), actor=alice)
    response = alice_client.get("/scripts/")
    assert response.status_code == 200
    row = response.content.decode().split("No link")[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[-3:]] == ["2", "1", "0"]


def test_the_script_page_shows_outcomes_dropouts_and_the_tree(alice_client, alice):
    from guichet.scripts import actions, stats

    script = make_script(definition=small_tree(solve=text("ok")))
    for _i in range(2):
        run = actions.start_run(script=script, actor=alice, channel="intake")
        actions.answer(run=run, actor=alice, index=1)
    run = actions.start_run(script=script, actor=alice, channel="intake")
    actions.answer(run=run, actor=alice, index=0)
    actions.stop(run=run, actor=alice)
    actions.start_run(script=script, actor=alice, channel="intake")  # left running
    figures = stats.of_script(alice, script)
    assert (figures["runs"], figures["finished"], figures["abandoned"], figures["running"]) == (
        4, 2, 1, 1)  # fmt: skip
    assert [(o["outcome"], o["count"]) for o in figures["outcomes"]] == [("cable", 2)]
    assert {(d["node"], d["abandoned"], d["running"]) for d in figures["dropouts"]} == {
        ("restart", 1, 0), ("link", 0, 1)}  # fmt: skip
    page = alice_client.get(f"/scripts/{script.pk}/").content.decode()
    assert "Cable to replace" in page and 'href="#node-link"' in page  # the loop back
    assert "Where callers drop out" in page


def test_figures_count_only_runs_the_viewer_may_see(dave, alice, bob):
    from guichet.scripts import actions, stats
    from guichet.tickets.tests.factories import make_ticket

    script = make_script()
    actions.start_run(script=script, actor=alice, channel="ticket", ticket=make_ticket(bob))
    assert stats.of_script(dave, script)["runs"] == 0
    assert stats.of_script(alice, script)["runs"] == 1


def test_a_supervisor_saves_a_new_version_and_technicians_only_read(sam, alice_client):
    from django.test import Client

    script = make_script()
    assert alice_client.get(f"/scripts/{script.pk}/edit/").status_code == 403
    client = Client()
    client.force_login(sam)
    definition = tree.dump(small_tree(impact=2), "yaml")
    data = {"name_fr": "Pas de lien", "name_en": "No link", "active": "on", "in_portal": "on",
            "definition": definition, "note": "impact 2"}  # fmt: skip
    response = client.post(f"/scripts/{script.pk}/edit/", data)
    assert response.status_code == 302
    script.refresh_from_db()
    assert script.current.number == 2 and script.in_portal
    assert script.versions.get(number=1).definition == small_tree()  # the old one unchanged
    assert alice_client.post(f"/scripts/{script.pk}/edit/", data).status_code == 403


def test_the_editor_names_the_bad_node_and_saves_nothing(sam):
    from django.test import Client

    script = make_script()
    client = Client()
    client.force_login(sam)
    broken = small_tree()
    broken["nodes"]["gateway"]["answers"][1]["next"] = "dns2"
    for definition, message in (
        (json.dumps(broken), "Node “gateway”, answer 2: leads to “dns2”, which does not exist."),
        ("start: [oops", "Not valid JSON or YAML"),
        (json.dumps(small_tree(category="no-such-code")), "the category “no-such-code” does"),
    ):
        data = {"name_fr": "x", "definition": definition}
        response = client.post(f"/scripts/{script.pk}/edit/", data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert script.versions.count() == 1


def test_a_supervisor_creates_a_script(sam):
    from django.test import Client

    client = Client()
    client.force_login(sam)
    data = {"code": "new-one", "name_en": "New", "active": "on",
            "definition": json.dumps(small_tree())}  # fmt: skip
    assert client.post("/scripts/new/", data).status_code == 302
    assert Script.objects.get(code="new-one").current.number == 1
    assert client.post("/scripts/new/", data).status_code == 400  # the code is taken


def test_download_json_and_yaml_and_upload_again(sam, alice_client):
    from django.test import Client

    script = make_script()
    response = alice_client.get(f"/scripts/{script.pk}/export/?format=yaml")
    assert response["Content-Disposition"] == 'attachment; filename="no-link-v1.yaml"'
    document = yaml.safe_load(response.content)
    assert document["code"] == "no-link" and tree.tree_of(document) == small_tree()
    assert json.loads(alice_client.get(f"/scripts/{script.pk}/export/").content)["start"] == "link"
    assert alice_client.get(f"/scripts/{script.pk}/export/?version=x").status_code == 404
    client = Client()
    client.force_login(sam)
    upload = SimpleUploadedFile("no-link.yaml", response.content)
    assert client.post("/scripts/import/", {"file": upload}).status_code == 302
    assert script.versions.count() == 2


def test_upload_refuses_bad_and_huge_files(sam, alice_client):
    from django.test import Client

    client = Client()
    client.force_login(sam)
    cases = [
        (SimpleUploadedFile("a.json", b"{not json"), "Not valid JSON or YAML"),
        (SimpleUploadedFile("a.yaml", b"\xff\xfe"), "not UTF-8"),
        (SimpleUploadedFile("a.json", b" " * (300 * 1024)), "too large"),
        (SimpleUploadedFile("a.json", json.dumps(small_tree()).encode()), "“code”"),
    ]
    for upload, message in cases:
        response = client.post("/scripts/import/", {"file": upload})
        assert response.status_code == 400
        assert message in response.content.decode()
    upload = SimpleUploadedFile("a.json", json.dumps({"code": "x", **small_tree()}).encode())
    assert alice_client.post("/scripts/import/", {"file": upload}).status_code == 403
    assert not Script.objects.filter(code="x").exists()


def test_the_command_line_exports_and_imports(tmp_path, capsys):
    make_script()
    call_command("scripts", "export", "no-link", "--yaml")
    text_out = capsys.readouterr().out
    assert yaml.safe_load(text_out)["nodes"]["link"]["kind"] == "question"
    path = tmp_path / "no-link.yaml"
    path.write_text(text_out, "utf-8")
    call_command("scripts", "import", str(path))
    assert Script.objects.get(code="no-link").current.number == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"code": "no-link", "start": "x", "nodes": {}}), "utf-8")
    with pytest.raises(CommandError, match="nodes"):
        call_command("scripts", "import", str(bad))
    with pytest.raises(CommandError, match="No script"):
        call_command("scripts", "export", "nope")


def test_outsiders_and_requesters_cannot_read_the_library(bob_client, charlie_client, dave_client):
    script = make_script()
    for client in (bob_client, charlie_client):
        assert client.get("/scripts/").status_code == 403
        assert client.get(f"/scripts/{script.pk}/").status_code == 403
        assert client.get(f"/scripts/{script.pk}/export/").status_code == 403
        assert client.get("/scripts/import/").status_code == 403
    assert dave_client.get("/scripts/import/").status_code == 403
    assert dave_client.get(f"/scripts/{script.pk}/edit/").status_code == 403


def test_the_demo_seed_walks_runs_once(db):
    from django.utils import timezone

    from guichet.demo.people import ensure_cast
    from guichet.demo.scripts import seed as demo_seed

    cast = ensure_cast()
    demo_seed(cast, now=timezone.now())
    count = ScriptRun.objects.count()
    assert count >= 20
    assert ScriptRun.objects.filter(status="finished").exists()
    demo_seed(cast, now=timezone.now())
    assert ScriptRun.objects.count() == count
