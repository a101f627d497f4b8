"""One search across everything a user may open, and suggestions while a request is typed."""

from collections import Counter
from dataclasses import dataclass, field

from guichet.accounts import reference as people
from guichet.knowledge.models import Article
from guichet.search import sources
from guichet.search.match import best_ids
from guichet.search.query import search_terms, suggestion_terms
from guichet.search.snippets import Terms
from guichet.search.sources import COUNT_CAP, KINDS, SOURCES, Filters, Hit
from guichet.tickets.choices import Status

PAGE_SIZE = 20
MAX_PAGE = 10  # a search is refined, not paged through: 200 results at most
# Ties are shown in this order of kinds.
KIND_ORDER = {
    kind: index
    for index, kind in enumerate(("known_error", "article", "ticket", "problem", "contact"))
}


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False
    at_least: bool = False

    @property
    def shown(self) -> str:
        """The count as displayed: "500+" beyond the cap or when it is a lower bound."""
        if self.count > COUNT_CAP:
            return f"{COUNT_CAP}+"
        return f"{self.count}+" if self.at_least else str(self.count)


@dataclass
class Results:
    q: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    # kind -> count of what matches (COUNT_CAP + 1 meaning "more than COUNT_CAP")
    totals: dict[str, int] = field(default_factory=dict)
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    # True when a facet's counts cover only the first candidates of a large result.
    partial: bool = False
    # Kinds whose count is a lower bound (only the newest matches of the index were read).
    at_least: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def shown_total(self) -> int:
        """The total to show: each kind counted up to COUNT_CAP."""
        return sum(min(count, COUNT_CAP) for count in self.totals.values())

    @property
    def capped(self) -> bool:
        return bool(self.at_least) or any(count > COUNT_CAP for count in self.totals.values())


def search(user, q: str, filters: Filters | None = None, page: int = 1) -> Results:
    """Hits for `q` among what `user` may open, ranked by relevance, with counts and facets
    that only ever count what the user may open too."""
    filters = filters or Filters()
    q = (q or "").replace("\x00", "")
    terms = search_terms(q)
    results = Results(q=q, terms=terms, page=max(1, min(page, MAX_PAGE)))
    if not terms:
        return results
    matcher = Terms(terms)
    hits: list[Hit] = []
    for source in SOURCES:
        if filters.kind and filters.kind not in source.kinds:
            continue
        totals, window, at_least = source.collect(user, terms, filters)
        results.totals.update(totals)
        if at_least:
            results.at_least.update(totals)
        results.partial |= len(window) >= sources.WINDOW
        if window:
            hits += source.hits(user, window, matcher)
    hits.sort(key=lambda hit: (-hit.score, KIND_ORDER[hit.kind], -hit.pk))
    results.facets = facets(hits, results.totals, filters, results.at_least)
    start = (results.page - 1) * PAGE_SIZE
    results.hits = sources.cut_snippets(hits[start : start + PAGE_SIZE], matcher)
    results.has_next = len(hits) > start + PAGE_SIZE and results.page < MAX_PAGE
    return results


def facets(
    hits: list[Hit],
    totals: dict[str, int],
    filters: Filters,
    at_least: frozenset | set = frozenset(),
) -> dict[str, list[Facet]]:
    kind = [
        Facet(value, str(KINDS[value]), count, filters.kind == value, value in at_least)
        for value, count in totals.items()
        if count
    ]
    statuses: Counter = Counter((hit.status, hit.status_label) for hit in hits if hit.status)
    categories: Counter = Counter(hit.category for hit in hits if hit.category)
    organisations: Counter = Counter(hit.organisation for hit in hits if hit.organisation)
    category_names = sources._category_names()
    organisation_names = people.organisation_name_map()
    return {
        "kind": kind,
        "status": [
            Facet(value, label, count, filters.status == value)
            for (value, label), count in statuses.most_common(12)
        ],
        "category": [
            Facet(str(pk), category_names.get(pk, "?"), count, filters.category == pk)
            for pk, count in categories.most_common(12)
        ],
        "organisation": [
            Facet(str(pk), organisation_names.get(pk, "?"), count, filters.organisation == pk)
            for pk, count in organisations.most_common(12)
        ],
    }


@dataclass
class Suggestions:
    terms: list[str]
    known_errors: list[Hit] = field(default_factory=list)
    articles: list[Hit] = field(default_factory=list)
    tickets: list[Hit] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.known_errors or self.articles or self.tickets)


SUGGESTED = 5
# Solved tickets looked at for a suggestion: the newest that share a word with the text.
SIMILAR_WINDOW = 1000
ARTICLE_CANDIDATES = 300
SOLVED = (Status.SOLVED, Status.CLOSED)


def suggest(
    user, text: str, *, category: int | None = None, exclude_ticket=None, limit: int = SUGGESTED
) -> Suggestions:
    """Published articles, known errors and solved tickets like the text being typed.

    Any of the text's main words may match (a description is not a search query); the
    candidates are then ranked by how many of them they share, and a known error of the
    ticket's category comes first.
    """
    terms = suggestion_terms((text or "").replace("\x00", ""))
    result = Suggestions(terms=terms)
    if not terms:
        return result
    matcher = Terms(terms)
    articles_source, tickets_source = sources.Articles(), sources.Tickets()
    published = articles_source.queryset(user).filter(status="published")
    # The index's best matches with two of the words at least, then those the user may read.
    ids = best_ids(Article, articles_source.fts, terms, ARTICLE_CANDIDATES, two_terms=True)
    rows = articles_source.best_visible(published, ids)
    hits = articles_source.hits(user, rows, matcher)
    for hit in hits:
        if category and hit.kind == "known_error" and category in hit.categories:
            hit.score *= 1.5
    hits = [hit for hit in hits if hit.matched >= _needed(terms)]
    hits.sort(key=lambda hit: (-hit.score, -hit.pk))
    result.known_errors = sources.cut_snippets(
        [hit for hit in hits if hit.kind == "known_error"][:limit], matcher
    )
    result.articles = sources.cut_snippets(
        [hit for hit in hits if hit.kind == "article"][:limit], matcher
    )
    recent = sources.matching(
        tickets_source.queryset(user), tickets_source.fts, terms, two_terms=True,
        newest=SIMILAR_WINDOW,
    )  # fmt: skip
    solved = recent.filter(status__in=SOLVED).exclude(solution="")
    if exclude_ticket is not None:
        solved = solved.exclude(pk=exclude_ticket)
    rows = list(solved.order_by("-pk").values(*tickets_source.FIELDS)[: sources.WINDOW])
    tickets = tickets_source.hits(user, rows, matcher)
    tickets = [hit for hit in tickets if hit.matched >= _needed(terms)]
    tickets.sort(key=lambda hit: (-hit.score, -hit.pk))
    for hit in tickets[:limit]:
        hit.snippet = matcher.highlight(hit.obj["solution"])
    result.tickets = tickets[:limit]
    return result


def _needed(terms: list[str]) -> int:
    """Sharing a single word with a description of several is chance, not similarity."""
    return 1 if len(terms) <= 2 else 2
