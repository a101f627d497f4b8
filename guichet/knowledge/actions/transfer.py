"""Importing a knowledge base folder (see knowledge/transfer.py for the format): all or nothing.

Articles are matched by uid: a new uid creates the article, a known one is updated through
`update_article` (a revision only when something differs), so importing an export of the same
database changes nothing. An import never deletes: articles and files missing from the folder
stay as they are.
"""

import uuid
from datetime import datetime
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation
from guichet.knowledge.actions.articles import (
    create_article,
    record,
    set_status,
    snapshot,
    update_article,
)
from guichet.knowledge.choices import TRANSITIONS, ArticleEventKind, ArticleStatus
from guichet.knowledge.models import Article, ArticleAttachment, ArticleRevision
from guichet.knowledge.transfer import ArticleData, Problem, TransferError, paths_to_links
from guichet.knowledge.transfer_db import (
    CREATE,
    UNCHANGED,
    Change,
    Plan,
    attachment_names,
    plan_import,
)
from guichet.knowledge.transfer_files import Tree
from guichet.lib.errors import Forbidden, InvalidInput
from guichet.lib.uploads import sniff_type
from guichet.tickets.models import Category


def import_knowledge(*, actor, tree: Tree, at: datetime | None = None) -> Plan:
    """Create and update the articles of `tree`; raises TransferError (nothing saved) when any
    file is refused."""
    if not (actor.is_authenticated and actor.is_active and actor.is_admin):
        raise Forbidden(_("Only an administrator can import the knowledge base."))
    written: list[str] = []
    try:
        return _import(actor, tree, at or timezone.now(), written)
    except BaseException:
        # Files are not part of the transaction: take back the ones this import stored.
        for name in written:
            default_storage.delete(name)
        raise


@transaction.atomic
def _import(actor, tree: Tree, at: datetime, written: list[str]) -> Plan:
    plan = plan_import(tree, actor)
    if plan.problems:
        raise TransferError(plan.problems)
    wanted = [c for c in plan.changes if c.action != UNCHANGED]
    categories = {
        c.code: c
        for c in Category.objects.filter(
            code__in={code for c in wanted for code in c.data.categories}
        )
    }
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(
            name__in={name for c in wanted for name in c.data.organisations}
        )
    }
    for change in wanted:
        data = change.data
        links = {
            "categories": [categories[code] for code in data.categories],
            "organisations": [organisations[name] for name in data.organisations],
        }
        try:
            if change.action == CREATE:
                _create(change, actor, at, links, written)
            else:
                _update(change, actor, at, links, written)
        except InvalidInput as error:
            raise TransferError(
                [
                    Problem(data.folder, " ".join(messages), name)
                    for name, messages in error.errors.items()
                ]
            ) from None
    return plan


def _fields(data: ArticleData, texts: dict[str, str]) -> dict[str, str]:
    return {
        "kind": data.kind,
        "audience": data.audience,
        "keywords": data.keywords,
        "software": data.software,
        **texts,
    }


def _create(change: Change, actor, at: datetime, links: dict, written: list[str]) -> None:
    data = change.data
    article = create_article(
        actor=actor,
        status=data.status,
        note=_("Imported"),
        at=at,
        **links,
        **_fields(data, data.texts),
    )
    # The uid is the article's identity across databases: it comes with it.
    article.uid = uuid.UUID(data.uid)
    article.save(update_fields=["uid"])
    ids = _store_files(article, data.attachments, actor, at, written)
    texts = {name: paths_to_links(value, ids) for name, value in data.texts.items()}
    linked = {name: value for name, value in texts.items() if value != data.text(name)}
    if linked:
        # The links to files only get their ids now; the first revision shows them too.
        for name, value in linked.items():
            setattr(article, name, value)
        article.save(update_fields=list(linked))
        ArticleRevision.objects.filter(article=article, number=article.revision).update(
            data=snapshot(article)
        )
    record(article, actor, ArticleEventKind.IMPORTED, at=at, new=article.revision, note=data.folder)


def _update(change: Change, actor, at: datetime, links: dict, written: list[str]) -> None:
    data = change.data
    assert change.article is not None
    article = change.article
    ids = _store_files(article, data.attachments, actor, at, written)
    texts = {name: paths_to_links(value, ids) for name, value in data.texts.items()}
    article = update_article(
        article=article, actor=actor, note=_("Imported"), at=at, **links, **_fields(data, texts)
    )
    _move_to(article, data.status, actor, at)
    record(
        article,
        actor,
        ArticleEventKind.IMPORTED,
        at=at,
        field=",".join(change.fields)[:50],
        new=article.revision,
        note=data.folder,
    )


def _move_to(article: Article, status: str, actor, at: datetime) -> None:
    """Any status can be imported: through draft where there is no direct move."""
    if article.status == status:
        return
    if status not in TRANSITIONS[ArticleStatus(article.status)]:
        article = set_status(
            article=article, actor=actor, status=ArticleStatus.DRAFT, at=at, note=_("Imported")
        )
    set_status(article=article, actor=actor, status=status, at=at, note=_("Imported"))


def _store_files(article: Article, files: dict[str, bytes], actor, at, written) -> dict[str, int]:
    """Add the new files, replace those whose content changed; {name: id} of them all."""
    by_id = {a.pk: a for a in article.attachments.all()}
    names = attachment_names(article)
    current: dict[str, ArticleAttachment] = {name: by_id[pk] for pk, name in names.items()}
    for name, content in sorted(files.items()):
        attachment = current.get(name)
        kind = sniff_type(name, content[:512]) or "application/octet-stream"
        if attachment is not None:
            with attachment.file.open("rb") as handle:
                if handle.read() == content:
                    continue
            old = attachment.file.name or ""
            attachment.file.save(name, ContentFile(content), save=False)
            written.append(attachment.file.name)
            attachment.size, attachment.content_type = len(content), kind
            attachment.save(update_fields=["file", "size", "content_type"])
            transaction.on_commit(partial(default_storage.delete, old))
            record(
                article,
                actor,
                ArticleEventKind.ATTACHMENT,
                at=at,
                field="file",
                old=name,
                new=name,
                note=_("Replaced by the import"),
            )
            continue
        attachment = ArticleAttachment(
            article=article,
            filename=name,
            content_type=kind,
            size=len(content),
            uploaded_by=actor,
            created_at=at,
        )
        attachment.file.save(name, ContentFile(content), save=False)
        written.append(attachment.file.name)
        attachment.save()
        current[name] = attachment
        record(
            article,
            actor,
            ArticleEventKind.ATTACHMENT,
            at=at,
            field="file",
            new=name,
            note=_("Added by the import"),
        )
    return {name: a.pk for name, a in current.items()}
