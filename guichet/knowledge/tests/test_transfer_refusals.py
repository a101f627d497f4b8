"""Bad input is refused whole, each problem naming the file (and the field)."""

import io
import stat

import pytest
from django.utils.translation import override

from guichet.knowledge import transfer_files
from guichet.knowledge.actions.transfer import import_knowledge
from guichet.knowledge.models import Article
from guichet.knowledge.tests.test_transfer import make, raw_zip, refusal
from guichet.knowledge.transfer import TransferError
from guichet.knowledge.transfer_db import export_tree
from guichet.knowledge.transfer_files import read_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with override("en"):
        yield


UID = "6f1f0a9e-0000-4000-8000-000000000001"


def folder(meta: str = "", fr: str | None = "---\ntitle: Bonjour\n---\nTexte\n", **files):
    tree = {"knowledge.yaml": b"format: 1\n", "a/meta.yaml": (f"uid: {UID}\n" + meta).encode()}
    if fr is not None:
        tree["a/fr.md"] = fr.encode()
    tree.update({f"a/{name.replace('__', '/')}": content for name, content in files.items()})
    return tree


def zip_refusal(entries, **kwargs) -> str:
    with pytest.raises(TransferError) as caught:
        read_zip(io.BytesIO(raw_zip(entries, **kwargs)))
    return str(caught.value)


def test_a_good_folder_imports(root):
    import_knowledge(actor=root, tree=folder())
    assert Article.objects.get().body_fr == "Texte"


@pytest.mark.parametrize(
    ("meta", "fr", "expected"),
    [
        ("kind: [oops\n", None, "a/meta.yaml: Invalid YAML"),
        ("", "---\ntitle: [x\n---\n", "a/fr.md: Invalid YAML"),
        ("", "title: x\n", "a/fr.md: The file must start with a “---” line."),
        ("", "---\ntitle: x\n", "a/fr.md: The front matter has no closing “---” line."),
        ("", "---\ntitle: '  '\n---\n", "a (title): Give a title in French, in English"),
        ("", None, "a (title): Give a title"),
        ("kind: faq\n", None, "a/meta.yaml (kind): Unknown value “faq”"),
        ("status: gone\n", None, "a/meta.yaml (status): Unknown value “gone”"),
        ("audience: world\n", None, "a/meta.yaml (audience): Unknown value “world”"),
        (
            "categories: [no-such-code]\n",
            None,
            "a/meta.yaml (categories): No category with the code “no-such-code”",
        ),
        (
            "organisations: [Initech]\n",
            None,
            "a/meta.yaml (organisations): No organisation named “Initech”",
        ),
        ("colour: red\n", None, "a/meta.yaml (colour): Unknown field."),
        ("keywords: 12\n", None, "a/meta.yaml (keywords): Expected text"),
        ("keywords: " + "k" * 501 + "\n", None, "a/meta.yaml (keywords): At most 500 characters"),
        ("", "---\ntitle: x\nbody: y\n---\n", "a/fr.md (body): Unknown field."),
        ("", '---\ntitle: "a\\0b"\n---\n', "a/fr.md (title): Contains a NUL character"),
    ],
)
def test_bad_fields_are_refused_naming_file_and_field(root, meta, fr, expected):
    tree = folder(meta, fr if fr is not None else "---\ntitle: Bonjour\n---\n")
    if fr is None and "title" in expected:
        del tree["a/fr.md"]
    assert expected in refusal(root, tree)
    assert not Article.objects.exists()


def test_a_missing_or_bad_uid_is_refused(root):
    tree = folder()
    tree["a/meta.yaml"] = b"kind: article\n"
    assert "a/meta.yaml (uid): Missing or not a valid uid." in refusal(root, tree)


def test_a_duplicate_uid_is_refused_and_nothing_is_saved(root):
    tree = folder()
    tree["b/meta.yaml"], tree["b/fr.md"] = tree["a/meta.yaml"], tree["a/fr.md"]
    assert f"b/meta.yaml (uid): The uid {UID} is also the one of a." in refusal(root, tree)
    assert not Article.objects.exists()


def test_one_bad_article_keeps_the_good_ones_out_too(root):
    make(root)
    tree = export_tree(root)
    Article.objects.all().delete()
    tree.update(folder("status: gone\n"))
    assert "a/meta.yaml (status)" in refusal(root, tree)
    assert not Article.objects.exists()


def test_a_non_utf8_file_is_refused(root):
    tree = folder()
    tree["a/fr.md"] = "---\ntitle: Été\n---\n".encode("latin-1")
    assert "a/fr.md: Not UTF-8 text (byte 11)." in refusal(root, tree)


def test_an_unexpected_file_or_unsafe_name_is_refused(root):
    tree = folder(**{"notes.txt": b"x", "attachments__a b.png": b"\x89PNG"})
    message = refusal(root, tree)
    assert "a/notes.txt: Unexpected file" in message
    assert "a/attachments/a b.png: Unsafe file name" in message


def test_an_attachment_of_a_refused_kind_is_refused(root):
    tree = folder(**{"attachments__page.html": b"<script>alert(1)</script>"})
    assert "a/attachments/page.html: This kind of file is not accepted." in refusal(root, tree)


def test_an_unknown_format_or_no_root_file_is_refused(root):
    tree = folder()
    tree["knowledge.yaml"] = b"format: 2\n"
    assert "knowledge.yaml (format): Unknown format" in refusal(root, tree)
    del tree["knowledge.yaml"]
    assert "knowledge.yaml: Missing" in refusal(root, tree)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../evil.md", "../evil.md: Paths leading out of the folder"),
        ("kb/../../evil.md", "kb/../../evil.md: Paths leading out"),
        ("/etc/passwd", "/etc/passwd: Absolute paths are refused."),
        ("C:/evil.md", "C:/evil.md: Absolute paths are refused."),
    ],
)
def test_zip_paths_out_of_the_folder_are_refused(name, expected):
    assert expected in zip_refusal({name: b"x"})


def test_zip_symbolic_links_are_refused():
    message = zip_refusal({"kb/a/fr.md": b"/etc/passwd"}, mode=stat.S_IFLNK | 0o777)
    assert "kb/a/fr.md: Symbolic links are refused." in message


def test_too_many_files_are_refused(monkeypatch):
    monkeypatch.setattr(transfer_files, "MAX_FILES", 3)
    entries = {f"kb/{n}.txt": b"x" for n in range(4)}
    assert "kb/3.txt: Too many files (at most 3)." in zip_refusal(entries)


def test_a_zip_bomb_is_refused_by_its_total_size(monkeypatch):
    monkeypatch.setattr(transfer_files, "MAX_TOTAL_BYTES", 1_000_000)
    entries = {f"kb/a/attachments/{n}.txt": b"\0" * 400_000 for n in range(3)}
    assert "kb/a/attachments/2.txt: The files add up to more than 1000000 bytes." in zip_refusal(
        entries
    )


def test_large_files_are_refused(monkeypatch, settings):
    monkeypatch.setattr(transfer_files, "MAX_TEXT_FILE_BYTES", 100)
    settings.ATTACHMENT_MAX_BYTES = 1000
    assert "kb/a/fr.md: File too large: 101 bytes (at most 100)." in zip_refusal(
        {"kb/a/fr.md": b"x" * 101}
    )
    assert "kb/a/attachments/big.png: File too large: 1001 bytes (at most 1000)" in zip_refusal(
        {"kb/a/attachments/big.png": b"x" * 1001}
    )


def test_a_zip_whose_index_lies_about_sizes_is_refused():
    content = raw_zip({"kb/a/fr.md": b"x" * 5000})
    # The local and central headers both claim 10 bytes: reading stops past the claim.
    lying = content.replace((5000).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    with pytest.raises(TransferError, match="kb/a/fr.md"):
        read_zip(io.BytesIO(lying))


def test_something_that_is_not_a_zip_is_refused():
    with pytest.raises(TransferError, match="Not a readable .zip file"):
        read_zip(io.BytesIO(b"PK\x03\x04 not really"))
