"""What one search looks through: tickets, articles and known errors, problems, people.

Each source starts from the access door (`accounts.access`), so a hit, a count or a snippet
can only come from something the user may open, applies the facet filters, asks the index
for a bounded window of candidates and turns them into `Hit`s. Scores come from
`snippets.Terms`, the same on both engines.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.accounts import access
from guichet.accounts import reference as people
from guichet.accounts.choices import Role
from guichet.accounts.models import User
from guichet.knowledge.choices import ArticleKind, ArticleStatus
from guichet.knowledge.models import Article
from guichet.lib import refcache
from guichet.problems.choices import ProblemStatus
from guichet.problems.models import Problem
from guichet.search.match import among, has_match, matching, newest_ids
from guichet.search.snippets import Terms
from guichet.tickets import reference
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket

# Candidates read per source and search: enough to rank a page of results and compute its
# facets, few enough that a word found in a hundred thousand tickets costs the same as a
# rare one. Beyond them a count says "500+" (see `Source.count`).
WINDOW = 60
COUNT_CAP = 500
# Tickets: the newest matches of the index looked at, whoever searches. A technician who
# sees fewer than COUNT_CAP of them gets a count marked "at least" when the index has more.
NEWEST_TICKETS = 600


@dataclass
class Filters:
    kind: str = ""
    status: str = ""
    category: int | None = None
    organisation: int | None = None


@dataclass
class Hit:
    kind: str  # one of KINDS
    pk: int
    title: str
    url: str
    score: float
    # The texts the snippet is cut from, best first; cut only for the hits shown.
    texts: list[str] = field(default_factory=list)
    snippet: SafeString | str = ""
    status: str = ""
    status_label: str = ""
    category: int | None = None
    organisation: int | None = None
    meta: list[str] = field(default_factory=list)
    workaround: str = ""  # of a known error, in the reader's language
    matched: int = 0  # how many of the search terms it contains
    categories: list[int] = field(default_factory=list)
    obj: Any = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def details(self) -> str:
        return " · ".join(item for item in self.meta if item)


def _category_names() -> dict[int, str]:
    # Full names read their parent: built once per revision of the reference data.
    return refcache.cached(
        "search.category_names",
        lambda: {category.pk: category.full_name for category in reference.categories()},
    )


class Source:
    kinds: tuple[str, ...] = ()
    fts = ""
    model: Any = None

    def queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def narrow(self, queryset: QuerySet, filters: Filters) -> QuerySet:
        return queryset

    def candidates(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        return matching(queryset, self.fts, terms)

    def window(self, queryset: QuerySet) -> list:
        raise NotImplementedError

    def hits(self, user, rows, terms: Terms) -> list[Hit]:
        raise NotImplementedError

    def collect(
        self, user, terms: list[str], filters: Filters
    ) -> tuple[dict[str, int], list, bool]:
        """(count per kind, the window of candidates, whether the counts are lower bounds)
        for what `user` may open."""
        if not has_match(self.model, self.fts, terms):
            # Most searches find no problem and no person: one look at the index, without
            # building the access conditions.
            return {self.kinds[0]: 0}, [], False
        base = self.candidates(self.narrow(self.queryset(user), filters), terms)
        ids = list(base.values_list("pk", flat=True)[: COUNT_CAP + 1])
        return {self.kinds[0]: len(ids)}, self.window(base) if ids else [], False


class Tickets(Source):
    kinds = ("ticket",)
    fts = "tickets_ticket_fts"
    model = Ticket
    FIELDS = (
        "pk",
        "title",
        "description",
        "status",
        "category_id",
        "organisation_id",
        "type",
        "created_at",
        "solution",
    )

    def queryset(self, user):
        return access.visible_tickets(user)

    def narrow(self, queryset, filters):
        if filters.status:
            queryset = queryset.filter(status=filters.status)
        if filters.category:
            queryset = queryset.filter(category_id=filters.category)
        if filters.organisation:
            queryset = queryset.filter(organisation_id=filters.organisation)
        return queryset

    def collect(self, user, terms, filters):
        # A ticket search is mostly about recent work: the index's newest NEWEST_TICKETS
        # matches, read once, give the count of those the user may open, whether the index
        # has more, and the window, whose rows are then read by id.
        newest = newest_ids(Ticket, self.fts, terms, NEWEST_TICKETS)
        visible = among(self.narrow(self.queryset(user), filters), newest)
        ids = list(visible.order_by("-pk").values_list("pk", flat=True)[: COUNT_CAP + 1])
        rows = among(Ticket.objects.all(), ids[:WINDOW]).order_by("-pk").values(*self.FIELDS)
        count = len(ids)
        more = count <= COUNT_CAP and len(newest) >= NEWEST_TICKETS
        return {"ticket": count}, list(rows), more

    def hits(self, user, rows, terms):
        categories, organisations = _category_names(), people.organisation_name_map()
        url = url_pattern("tickets:detail" if user.is_support_staff else "portal:detail")
        labels = {status.value: str(status.label) for status in Status}
        result = []
        for row in rows:
            texts = [row["description"], row["solution"]]
            label = labels.get(row["status"], row["status"])
            meta = [f"#{row['pk']}", label]
            if row["organisation_id"]:
                meta.append(organisations.get(row["organisation_id"], ""))
            result.append(
                Hit(
                    kind="ticket",
                    pk=row["pk"],
                    title=row["title"],
                    url=url.format(row["pk"]),
                    texts=texts,
                    score=terms.score([(row["title"], 3), (row["description"], 1)]),
                    matched=terms.matched,
                    status=row["status"],
                    status_label=label,
                    category=row["category_id"],
                    organisation=row["organisation_id"],
                    meta=meta
                    + (
                        [categories[row["category_id"]]] if row["category_id"] in categories else []
                    ),
                    obj=row,
                )
            )
        return result


# The A-weighted columns of the articles' index (search.indexes.ARTICLES.titles).
TITLE_COLUMNS = ("title_fr", "title_en", "keywords")


class Articles(Source):
    kinds = ("article", "known_error")
    fts = "knowledge_article_fts"
    model = Article

    def queryset(self, user):
        return access.visible_articles(user)

    def narrow(self, queryset, filters):
        if filters.kind == "article":
            queryset = queryset.filter(kind=ArticleKind.ARTICLE)
        elif filters.kind == "known_error":
            queryset = queryset.filter(kind=ArticleKind.KNOWN_ERROR)
        if filters.status:
            queryset = queryset.filter(status=filters.status)
        if filters.category:
            queryset = queryset.filter(categories=filters.category)
        if filters.organisation:
            queryset = queryset.filter(organisations=filters.organisation)
        return queryset

    def collect(self, user, terms, filters):
        # The index streams its newest 501 matches (ranking every match of a common word
        # with bm25 costs twenty times more); counts come from those the user may read, and
        # the window takes the candidates whose title or keywords match first, newest first.
        ids = newest_ids(Article, self.fts, terms, COUNT_CAP + 1)
        base = among(self.narrow(self.queryset(user), filters), ids)
        kinds = dict(base.values_list("pk", "kind"))
        counts = Counter(kinds.values())
        totals = {
            "article": counts.get(ArticleKind.ARTICLE, 0),
            "known_error": counts.get(ArticleKind.KNOWN_ERROR, 0),
        }
        if filters.kind:
            totals = {filters.kind: totals[filters.kind]}
        window = sorted(kinds, reverse=True)
        if len(window) > WINDOW:
            titled = newest_ids(Article, self.fts, terms, COUNT_CAP + 1, titles=TITLE_COLUMNS)
            first = [pk for pk in titled if pk in kinds]
            chosen = set(first)
            window = first + [pk for pk in window if pk not in chosen]
        return totals, self.rows(window[:WINDOW]), False

    def best_visible(self, queryset: QuerySet, ids: list[int]) -> list[dict]:
        """The rows of `queryset` among `ids` (best first), at most WINDOW of them."""
        visible = set(among(queryset, ids).values_list("pk", flat=True))
        return self.rows([pk for pk in ids if pk in visible][:WINDOW])

    def rows(self, ids: list[int]) -> list[dict]:
        """The window's rows, in the order of `ids`, with their categories."""
        found = {row["pk"]: row for row in among(Article.objects.all(), ids).values(*self.FIELDS)}
        rows = [found[pk] for pk in ids if pk in found]
        categories: dict[int, list[int]] = {}
        links = Article.categories.through.objects.filter(article_id__in=ids)
        for article_id, category_id in links.values_list("article_id", "category_id"):
            categories.setdefault(article_id, []).append(category_id)
        for row in rows:
            row["categories"] = sorted(categories.get(row["pk"], []))
        return rows

    FIELDS = ("pk", "kind", "status", "title_fr", "title_en", "keywords", "body_fr", "body_en",
              "symptom_fr", "symptom_en", "cause_fr", "cause_en", "workaround_fr",
              "workaround_en", "solution_fr", "solution_en", "solved_count")  # fmt: skip
    TEXTS = ("symptom", "body", "workaround", "cause", "solution")

    def hits(self, user, rows, terms):
        url = url_pattern("knowledge:detail" if user.is_support_staff else "knowledge:faq-article")
        first = "en" if (get_language() or "fr").startswith("en") else "fr"
        other = "fr" if first == "en" else "en"
        labels = {status.value: str(status.label) for status in ArticleStatus}
        result = []
        for row in rows:
            kind = "known_error" if row["kind"] == ArticleKind.KNOWN_ERROR else "article"
            texts = [row[f"{name}_{first}"] or row[f"{name}_{other}"] for name in self.TEXTS]
            weights = [(row["title_fr"], 3), (row["title_en"], 3), (row["keywords"], 2)]
            weights += [(text, 1) for text in texts]
            solved = row["solved_count"]
            result.append(
                Hit(
                    kind=kind,
                    pk=row["pk"],
                    title=row[f"title_{first}"] or row[f"title_{other}"] or f"#{row['pk']}",
                    url=url.format(row["pk"]),
                    texts=texts + [row["body_fr"], row["body_en"]],
                    # A known error is what someone searching a symptom most wants to see.
                    score=terms.score(weights) * (1.2 if kind == "known_error" else 1.0)
                    + min(solved, 50) / 100,
                    matched=terms.matched,
                    status=row["status"],
                    status_label=labels.get(row["status"], row["status"]),
                    category=row["categories"][0] if row["categories"] else None,
                    categories=row["categories"],
                    meta=[f"KB-{row['pk']}", labels.get(row["status"], "")]
                    + ([_("Used to solve %(n)s tickets") % {"n": solved}] if solved else []),
                    workaround=row[f"workaround_{first}"] or row[f"workaround_{other}"],
                    obj=row,
                )
            )
        return result


class Problems(Source):
    kinds = ("problem",)
    fts = "problems_problem_fts"
    model = Problem

    def queryset(self, user):
        return access.visible_problems(user)

    def narrow(self, queryset, filters):
        if filters.status:
            queryset = queryset.filter(status=filters.status)
        if filters.category:
            queryset = queryset.filter(category_id=filters.category)
        if filters.organisation:
            return queryset.none()  # a problem belongs to no client
        return queryset

    def window(self, queryset):
        return list(queryset.order_by("-pk")[:WINDOW])

    def hits(self, user, rows, terms):
        url = url_pattern("problems:detail")
        result = []
        for problem in rows:
            texts = [
                problem.description,
                problem.workaround,
                problem.root_cause,
                problem.permanent_fix,
                problem.impact_analysis,
            ]
            status = ProblemStatus(problem.status)
            result.append(
                Hit(
                    kind="problem",
                    pk=problem.pk,
                    title=problem.title,
                    url=url.format(problem.pk),
                    texts=texts,
                    score=terms.score([(problem.title, 3)] + [(text, 1) for text in texts]),
                    status=problem.status,
                    status_label=str(status.label),
                    category=problem.category_id,
                    meta=[problem.reference, str(status.label)],
                    obj=problem,
                )
            )
        return result


class People(Source):
    kinds = ("contact",)
    fts = "accounts_user_fts"
    model = User

    def queryset(self, user):
        return access.visible_users(user)

    def narrow(self, queryset, filters):
        if filters.status or filters.category:
            return queryset.none()
        if filters.organisation:
            queryset = queryset.filter(organisation_id=filters.organisation)
        return queryset

    def window(self, queryset):
        return list(queryset.order_by("last_name", "first_name", "pk")[:WINDOW])

    def hits(self, user, rows, terms):
        organisations = people.organisation_name_map()
        staff = user.is_support_staff
        result = []
        for person in rows:
            details = " · ".join(v for v in (person.email, person.phone) if v)
            meta = [organisations.get(person.organisation_id, "")] if person.organisation_id else []
            if person.role != Role.REQUESTER:
                meta.append(str(_("Support staff")))
            url = ""
            if staff and person.role == Role.REQUESTER:
                url = reverse("tickets:intake") + f"?caller={person.pk}"
            result.append(
                Hit(
                    kind="contact",
                    pk=person.pk,
                    title=person.display_name,
                    url=url,
                    texts=[details],
                    score=terms.score(
                        [
                            (person.first_name, 3),
                            (person.last_name, 3),
                            (person.email, 2),
                            (person.username, 1),
                        ]
                    ),
                    organisation=person.organisation_id,
                    meta=meta,
                    obj=person,
                )
            )
        return result


def cut_snippets(hits: list[Hit], terms: Terms) -> list[Hit]:
    for hit in hits:
        hit.snippet = terms.highlight(terms.best_text(hit.texts))
    return hits


def url_pattern(name: str) -> str:
    """The URL of `name` with "{}" for the id: one reverse() per search, not one per hit."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


SOURCES: tuple[Source, ...] = (Tickets(), Articles(), Problems(), People())
KIND_LABELS = {
    "ticket": _("Ticket"),
    "article": _("Article"),
    "known_error": _("Known error"),
    "problem": _("Problem"),
    "contact": _("Person"),
}
KINDS = {
    "ticket": _("Tickets"),
    "article": _("Articles"),
    "known_error": _("Known errors"),
    "problem": _("Problems"),
    "contact": _("People"),
}
