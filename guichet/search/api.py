"""GET /api/v1/search: the same search as the search page, as JSON."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from guichet.lib.errors import InvalidInput
from guichet.lib.schemas import responses
from guichet.search import engine, params
from guichet.search.sources import COUNT_CAP

router = Router(tags=["search"])


class HitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    snippet: str = Field(description="HTML: the text escaped, the matching words in <mark>.")
    status: str
    meta: list[str]


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    q: str
    terms: list[str]
    total: int = Field(description="Results the caller may open (per kind, at most 501).")
    capped: bool = Field(
        description="True when a count is a lower bound: a kind has more than 500 results, "
        "or only the newest matches of a very common word were read."
    )
    at_least: list[str] = Field(description="Kinds whose count is a lower bound.")
    totals: dict[str, int]
    page: int
    has_next: bool
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


class SearchIn(Schema):
    q: str = Field("", max_length=500)
    kind: str = Field("", max_length=20)
    status: str = Field("", max_length=20)
    category: int | None = Field(None, gt=0, lt=2**63)
    organisation: int | None = Field(None, gt=0, lt=2**63)
    page: int = Field(1, ge=1, le=engine.MAX_PAGE)


class SuggestIn(Schema):
    title: str = Field("", max_length=5000)
    description: str = Field("", max_length=5000)
    category: int | None = Field(None, gt=0, lt=2**63)


class SuggestionsOut(Schema):
    terms: list[str]
    known_errors: list[HitOut]
    articles: list[HitOut]
    tickets: list[HitOut]


def _hit(hit) -> dict:
    return {
        "kind": hit.kind,
        "id": hit.pk,
        "title": hit.title,
        "url": hit.url,
        "snippet": str(hit.snippet),
        "status": hit.status,
        "meta": [m for m in hit.meta if m],
    }


@router.get("", response=responses(SearchOut), summary="Search everything you may open")
def search(request: HttpRequest, filters: Query[SearchIn]):
    q, found_filters, page, errors = params.read(filters.dict())
    if errors:
        raise InvalidInput(errors)
    found = engine.search(request.user, q, found_filters, page)
    return {
        "q": found.q,
        "terms": found.terms,
        "total": found.total,
        "capped": found.capped,
        "at_least": sorted(found.at_least | {k for k, n in found.totals.items() if n > COUNT_CAP}),
        "totals": found.totals,
        "page": found.page,
        "has_next": found.has_next,
        "hits": [_hit(hit) for hit in found.hits],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
                for f in entries
            ]
            for name, entries in found.facets.items()
        },
    }


@router.get("/suggestions", response=responses(SuggestionsOut), summary="Suggestions for a request")
def suggestions(request: HttpRequest, text: Query[SuggestIn]):
    found = engine.suggest(
        request.user, f"{text.title}\n{text.description}", category=text.category
    )
    return {
        "terms": found.terms,
        "known_errors": [_hit(hit) for hit in found.known_errors],
        "articles": [_hit(hit) for hit in found.articles],
        "tickets": [_hit(hit) for hit in found.tickets],
    }
