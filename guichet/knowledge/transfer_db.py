"""The knowledge base to files and back, on the database side: the export (a read) and the
import's plan (what would be created, updated or refused; also a read). The import itself is
`actions.transfer.import_knowledge`."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from guichet.accounts.access import visible_articles
from guichet.accounts.models import Organisation
from guichet.knowledge.choices import LANGUAGES, TEXT_FIELDS
from guichet.knowledge.models import Article
from guichet.knowledge.transfer import (
    FORMAT,
    ROOT_FILE,
    ArticleData,
    Problem,
    TransferError,
    decode,
    links_to_paths,
    load_yaml,
    parse_article,
    render_article,
    unique_names,
)
from guichet.knowledge.transfer_files import Tree, root_file_text, split_articles
from guichet.lib.uploads import sniff_type
from guichet.tickets.models import Category

TEXT_NAMES = tuple(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES)
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def attachment_names(article: Article) -> dict[int, str]:
    """{attachment id: its name in the export}, stable for a given set of files."""
    attachments = list(article.attachments.order_by("id"))
    names = unique_names([a.filename for a in attachments])
    return {a.pk: name for a, name in zip(attachments, names, strict=True)}


def article_data(article: Article, *, with_files: bool = True) -> ArticleData:
    names = attachment_names(article)
    files: dict[str, bytes] = {}
    if with_files:
        for attachment in article.attachments.order_by("id"):
            with attachment.file.open("rb") as handle:
                files[names[attachment.pk]] = handle.read()
    return ArticleData(
        uid=str(article.uid),
        kind=article.kind,
        status=article.status,
        audience=article.audience,
        keywords=article.keywords,
        software=article.software,
        categories=sorted(c.code for c in article.categories.all()),
        organisations=sorted(o.name for o in article.organisations.all()),
        texts={name: links_to_paths(getattr(article, name), names) for name in TEXT_NAMES},
        attachments=files,
        folder=str(article.uid),
    )


def export_tree(user) -> Tree:
    """Every article the user may see (an administrator: all of them), as files."""
    tree: Tree = {ROOT_FILE: root_file_text()}
    articles = (
        visible_articles(user).order_by("uid").prefetch_related("categories", "organisations")
    )
    for article in articles.iterator(chunk_size=200):
        for name, content in render_article(article_data(article)).items():
            tree[f"{article.uid}/{name}"] = content
    return tree


@dataclass
class Change:
    """What the import does to one article."""

    action: str  # CREATE, UPDATE or UNCHANGED
    data: ArticleData
    fields: list[str] = field(default_factory=list)
    article: Article | None = None

    @property
    def title(self) -> str:
        return self.data.title


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def created(self) -> list[Change]:
        return self.of(CREATE)

    @property
    def updated(self) -> list[Change]:
        return self.of(UPDATE)

    @property
    def unchanged(self) -> list[Change]:
        return self.of(UNCHANGED)


def _check_root(tree: Tree, prefix: str) -> list[Problem]:
    path = prefix + ROOT_FILE
    try:
        data = load_yaml(decode(tree[path], path), path)
    except TransferError as error:
        return error.problems
    if data.get("format") != FORMAT:
        return [
            Problem(
                path,
                _("Unknown format (this version reads format %(format)s).") % {"format": FORMAT},
                "format",
            )
        ]
    return []


def _differences(old: ArticleData, new: ArticleData) -> list[str]:
    fields = [
        name
        for name in (
            "kind",
            "status",
            "audience",
            "keywords",
            "software",
            "categories",
            "organisations",
        )
        if getattr(old, name) != getattr(new, name)
    ]
    fields += [name for name in TEXT_NAMES if old.text(name) != new.text(name)]
    fields += [
        f"attachments/{name}"
        for name, content in sorted(new.attachments.items())
        if old.attachments.get(name) != content
    ]
    return fields


def _references(data: ArticleData, folder: str, known: dict[str, set[str]]) -> list[Problem]:
    path = f"{folder}/meta.yaml"
    problems = [
        Problem(path, _("No category with the code “%(code)s”.") % {"code": code}, "categories")
        for code in data.categories
        if code not in known["categories"]
    ]
    problems += [
        Problem(path, _("No organisation named “%(name)s”.") % {"name": name}, "organisations")
        for name in data.organisations
        if name not in known["organisations"]
    ]
    return problems


def _files(data: ArticleData) -> list[Problem]:
    """The same files as an upload on the article's page accepts."""
    problems = []
    for name, content in sorted(data.attachments.items()):
        path = f"{data.folder}/attachments/{name}"
        if not content:
            problems.append(Problem(path, _("The file is empty.")))
        elif sniff_type(name, content[:512]) is None:
            problems.append(Problem(path, _("This kind of file is not accepted.")))
    return problems


def plan_import(tree: Tree, user) -> Plan:
    """Read the files and compare them with the database; nothing is written."""
    plan = Plan()
    try:
        prefix, articles = split_articles(tree)
    except TransferError as error:
        plan.problems = error.problems
        return plan
    plan.problems += _check_root(tree, prefix)
    parsed: list[ArticleData] = []
    for folder, files in sorted(articles.items()):
        try:
            parsed.append(parse_article(folder, files))
        except TransferError as error:
            plan.problems += error.problems
    known = {
        "categories": set(
            Category.objects.filter(code__in={c for d in parsed for c in d.categories}).values_list(
                "code", flat=True
            )
        ),
        "organisations": set(
            Organisation.objects.filter(
                name__in={o for d in parsed for o in d.organisations}
            ).values_list("name", flat=True)
        ),
    }
    seen: dict[str, str] = {}
    existing = {
        str(a.uid): a
        for a in visible_articles(user)
        .filter(uid__in=[d.uid for d in parsed])
        .prefetch_related("categories", "organisations")
    }
    for data in parsed:
        if data.uid in seen:
            plan.problems.append(
                Problem(
                    f"{data.folder}/meta.yaml",
                    _("The uid %(uid)s is also the one of %(other)s.")
                    % {"uid": data.uid, "other": seen[data.uid]},
                    "uid",
                )
            )
            continue
        seen[data.uid] = data.folder
        plan.problems += _references(data, data.folder, known)
        plan.problems += _files(data)
        article = existing.get(data.uid)
        if article is None:
            plan.changes.append(Change(CREATE, data))
            continue
        fields = _differences(article_data(article), data)
        plan.changes.append(Change(UPDATE if fields else UNCHANGED, data, fields, article))
    return plan
