"""Import / export of the knowledge base: the command, the administrators' page, the files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.translation import override

from guichet.knowledge.actions.articles import create_article
from guichet.knowledge.actions.files import add_attachment
from guichet.knowledge.actions.transfer import import_knowledge
from guichet.knowledge.choices import ArticleEventKind, ArticleKind, ArticleStatus
from guichet.knowledge.models import Article, ArticleEvent
from guichet.knowledge.transfer import TransferError
from guichet.knowledge.transfer_db import export_tree
from guichet.knowledge.transfer_files import read_directory, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with override("en"):
        yield


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def make(root, **values) -> Article:
    values = {"title_fr": "Imprimante bloquée", "body_fr": "Ouvrir le capot.", **values}
    return create_article(actor=root, **values)


def with_picture(root) -> Article:
    article = make(root, title_en="Printer jams")
    upload = SimpleUploadedFile("Capture d'écran.png", PNG, content_type="image/png")
    attachment = add_attachment(article=article, actor=root, upload=upload)
    article.body_en = f"Look: ![jam](attachment:{attachment.pk})\n"
    Article.objects.filter(pk=article.pk).update(body_en=article.body_en)
    return article


def as_zip(tree: dict[str, bytes]) -> bytes:
    return zip_bytes(tree)


def raw_zip(entries: dict[str, bytes], *, mode: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def refusal(root, tree) -> str:
    with pytest.raises(TransferError) as caught:
        import_knowledge(actor=root, tree=tree)
    return str(caught.value)


# --- The format ---------------------------------------------------------------------------


def test_an_export_is_one_folder_per_article_with_front_matter_and_meta(root, acme):
    article = make(root, kind=ArticleKind.KNOWN_ERROR, symptom_fr="Voyant rouge\n",
                   organisations=[acme], keywords="papier")  # fmt: skip
    tree = export_tree(root)
    folder = str(article.uid)
    assert sorted(tree) == sorted(["knowledge.yaml", f"{folder}/fr.md", f"{folder}/meta.yaml"])
    assert tree[f"{folder}/fr.md"].decode() == (
        "---\ntitle: Imprimante bloquée\nsymptom: |\n  Voyant rouge\ncause: ''\n"
        "workaround: ''\nsolution: ''\n---\nOuvrir le capot.\n"
    )
    meta = tree[f"{folder}/meta.yaml"].decode()
    assert f"uid: {folder}\nkind: known_error\nstatus: draft\n" in meta
    assert "organisations:\n- Acme\n" in meta
    assert export_tree(root) == tree  # deterministic


def test_a_title_change_keeps_the_folder_name(root):
    article = make(root)
    before = {n.split("/")[0] for n in export_tree(root)}
    Article.objects.filter(pk=article.pk).update(title_fr="Autre titre")
    assert {n.split("/")[0] for n in export_tree(root)} == before


def test_attachments_travel_with_their_links_rewritten_both_ways(root):
    article = with_picture(root)
    tree = export_tree(root)
    folder = str(article.uid)
    assert tree[f"{folder}/attachments/Capture-d-écran.png"] == PNG
    assert b"![jam](attachments/Capture-d-\xc3\xa9cran.png)" in tree[f"{folder}/en.md"]
    Article.objects.all().delete()

    import_knowledge(actor=root, tree=tree)

    imported = Article.objects.get(uid=article.uid)
    attachment = imported.attachments.get()
    assert imported.body_en == f"Look: ![jam](attachment:{attachment.pk})\n"
    assert imported.revisions.get().data["body_en"] == imported.body_en  # one clean revision
    assert attachment.file.read() == PNG and attachment.content_type == "image/png"
    assert export_tree(root) == tree
    plan = import_knowledge(actor=root, tree=tree)
    assert len(plan.unchanged) == 1 and imported.attachments.count() == 1


def test_an_edited_file_updates_the_article_with_one_revision_and_an_import_event(root):
    article = make(root, status=ArticleStatus.PUBLISHED)
    tree = export_tree(root)
    folder = str(article.uid)
    tree[f"{folder}/fr.md"] = tree[f"{folder}/fr.md"].replace(b"capot", b"bac")
    tree[f"{folder}/meta.yaml"] = tree[f"{folder}/meta.yaml"].replace(
        b"status: published", b"status: review"
    )

    plan = import_knowledge(actor=root, tree=tree)

    assert [c.fields for c in plan.updated] == [["status", "body_fr"]]
    article.refresh_from_db()
    assert article.body_fr == "Ouvrir le bac." and article.status == ArticleStatus.REVIEW
    assert article.revisions.count() == 2
    assert ArticleEvent.objects.filter(article=article, kind=ArticleEventKind.IMPORTED).count() == 1


# --- The command --------------------------------------------------------------------------


def test_the_command_exports_a_folder_and_imports_it_back(root, tmp_path, capsys):
    article = make(root, title_en="Printer jams")
    call_command("knowledge", "export", str(tmp_path / "kb"))
    assert (tmp_path / "kb" / str(article.uid) / "en.md").read_text().startswith("---\n")
    Article.objects.all().delete()

    call_command("knowledge", "import", str(tmp_path / "kb"), "--dry-run")
    assert not Article.objects.exists()
    call_command("knowledge", "import", str(tmp_path / "kb"))

    out = capsys.readouterr().out
    assert "dry run: 1 to create" in out and "1 created, 0 updated, 0 unchanged." in out
    assert Article.objects.get().uid == article.uid
    before = read_directory(tmp_path / "kb")
    call_command("knowledge", "export", str(tmp_path / "kb"))  # over an earlier export
    assert read_directory(tmp_path / "kb") == before


def test_the_command_reads_and_writes_zip_files(root, tmp_path):
    make(root)
    call_command("knowledge", "export", str(tmp_path / "kb.zip"))
    Article.objects.all().delete()
    call_command("knowledge", "import", str(tmp_path / "kb.zip"))
    assert Article.objects.count() == 1


def test_the_command_refuses_a_folder_that_is_not_an_export(root, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="Not empty and not an earlier export"):
        call_command("knowledge", "export", str(tmp_path))
    with pytest.raises(CommandError, match=r"knowledge.yaml: Missing"):
        call_command("knowledge", "import", str(tmp_path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("knowledge", "import", str(tmp_path / "nowhere"))


def test_the_command_needs_an_administrator(alice, tmp_path):
    with pytest.raises(CommandError, match="no active administrator"):
        call_command("knowledge", "export", str(tmp_path / "kb"))


def test_the_command_refuses_symbolic_links_in_a_folder(root, tmp_path):
    make(root)
    call_command("knowledge", "export", str(tmp_path / "kb"))
    (tmp_path / "secret").write_text("password")
    folder = next(p for p in (tmp_path / "kb").iterdir() if p.is_dir())
    (folder / "attachments").mkdir()
    (folder / "attachments" / "x.txt").symlink_to(tmp_path / "secret")
    with pytest.raises(CommandError, match="attachments/x.txt: Symbolic links are refused"):
        call_command("knowledge", "import", str(tmp_path / "kb"))
