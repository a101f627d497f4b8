"""Reads of the knowledge base: the list's filters (shared by the screens and the API), an
article's history with what each revision changed, and the comparison of two revisions."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_articles
from guichet.knowledge.choices import (
    LANGUAGES,
    REVISED_FIELDS,
    ArticleKind,
    ArticleStatus,
    Audience,
)
from guichet.knowledge.models import Article, ArticleRevision

# What a row of a list shows: the bodies (up to 200,000 characters each) stay in the database.
LIST_FIELDS = (
    "id",
    "kind",
    "status",
    "audience",
    "title_fr",
    "title_en",
    "revision",
    "helpful_count",
    "unhelpful_count",
    "solved_count",
    "updated_at",
)


@dataclass
class ArticleFilters:
    """The list's filters; every value already checked (unknown ones are dropped)."""

    kind: str = ""
    status: str = ""
    audience: str = ""
    category: str = ""
    missing: str = ""  # a language code: articles without that version
    updated_since: datetime | None = None

    @classmethod
    def from_values(cls, values) -> "ArticleFilters":
        """From a query string or form data; anything unknown is ignored, never an error."""

        def pick(name: str, allowed) -> str:
            value = str(values.get(name) or "")
            return value if value in allowed else ""

        category = str(values.get("category") or "")[:100]
        return cls(
            kind=pick("kind", ArticleKind.values),
            status=pick("status", ArticleStatus.values),
            audience=pick("audience", Audience.values),
            category=category if re.fullmatch(r"[-a-zA-Z0-9_]+", category) else "",
            missing=pick("missing", LANGUAGES),
        )

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.audience:
            queryset = queryset.filter(audience=self.audience)
        if self.category:
            # A subquery, not a join: an article in two matching categories is listed once.
            chosen = Article.categories.through.objects.filter(category__code=self.category)
            queryset = queryset.filter(pk__in=chosen.values("article_id"))
        if self.missing:
            queryset = queryset.filter(**{f"title_{self.missing}": ""})
        if self.updated_since is not None:
            queryset = queryset.filter(updated_at__gte=self.updated_since)
        return queryset


def article_list(user, filters: ArticleFilters) -> QuerySet:
    """The articles `user` may see, filtered, newest edits first, without their long texts."""
    found = filters.apply(visible_articles(user)).only(*LIST_FIELDS)
    return found.order_by("-updated_at", "-id")


def published_faq(user, category: str = "") -> QuerySet:
    """The public FAQ as `user` sees it (for staff too: what the requesters read)."""
    found = visible_articles(user).filter(status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC)
    if category:
        chosen = Article.categories.through.objects.filter(category__code=category)
        found = found.filter(pk__in=chosen.values("article_id"))
    return found.only(*LIST_FIELDS).order_by("-updated_at", "-id")


# --- History ----------------------------------------------------------------------------------
def field_label(name: str) -> str:
    return str(getattr(Article._meta.get_field(name), "verbose_name", name))


@dataclass
class HistoryEntry:
    revision: ArticleRevision
    changed: list[str] = field(default_factory=list)

    @property
    def changed_labels(self) -> list[str]:
        return [field_label(name) for name in self.changed]


def changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return [name for name in REVISED_FIELDS if after.get(name) not in ("", [], None)]
    return [name for name in REVISED_FIELDS if before.get(name) != after.get(name)]


def history(article: Article) -> list[HistoryEntry]:
    """Every revision, newest first, with the fields it changed from the one before."""
    revisions = list(article.revisions.select_related("author").order_by("number"))
    entries = []
    previous = None
    for revision in revisions:
        entries.append(HistoryEntry(revision, changed_fields(previous, revision.data)))
        previous = revision.data
    entries.reverse()
    return entries


# --- Comparison -------------------------------------------------------------------------------
# Above this many words on either side of a changed block, it is shown removed and added whole:
# difflib is quadratic at worst, and a diff of a rewritten 200,000-character body helps nobody.
WORD_DIFF_LIMIT = 3000
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    name: str
    label: str
    html: SafeString


def _removed(text: str) -> str:
    if not text:
        return ""
    return (
        f'<del><span class="sr-only">{escape(_("[removed:"))} </span>{escape(text)}'
        f'<span class="sr-only"> {escape(_("end removed]"))}</span></del>'
    )


def _added(text: str) -> str:
    if not text:
        return ""
    return (
        f'<ins><span class="sr-only">{escape(_("[added:"))} </span>{escape(text)}'
        f'<span class="sr-only"> {escape(_("end added]"))}</span></ins>'
    )


def diff_text(old: str, new: str) -> SafeString:
    """Word by word within changed lines: unchanged text as is, the rest in <del>/<ins>."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts: list[str] = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in lines.get_opcodes():
        before, after = "".join(old_lines[a1:a2]), "".join(new_lines[b1:b2])
        if op == "equal":
            parts.append(escape(before))
        elif op != "replace":
            parts.append(_removed(before) + _added(after))
        else:
            parts.append(_diff_words(before, after))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def _diff_words(before: str, after: str) -> str:
    old_words, new_words = _TOKENS.findall(before), _TOKENS.findall(after)
    if max(len(old_words), len(new_words)) > WORD_DIFF_LIMIT:
        return _removed(before) + _added(after)
    parts: list[str] = []
    words = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in words.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
        else:
            parts.append(_removed("".join(old_words[a1:a2])) + _added("".join(new_words[b1:b2])))
    return "".join(parts)


def _as_text(name: str, value, names: dict) -> str:
    if isinstance(value, list):
        return ", ".join(str(names.get((name, item), item)) for item in value)
    if name == "kind" and value in ArticleKind.values:
        return str(ArticleKind(value).label)
    if name == "audience" and value in Audience.values:
        return str(Audience(value).label)
    return "" if value is None else str(value)


def compare(old: dict, new: dict, names: dict | None = None) -> list[FieldDiff]:
    """The fields that differ between two revisions' data, each with its marked-up diff.

    `names` maps (field, value) to a readable name (organisations are kept by id).
    """
    names = names or {}
    diffs = []
    for name in REVISED_FIELDS:
        if old.get(name) == new.get(name):
            continue
        before = _as_text(name, old.get(name, ""), names)
        after = _as_text(name, new.get(name, ""), names)
        diffs.append(FieldDiff(name, field_label(name), diff_text(before, after)))
    return diffs
