"""The search page, the suggestions shown while a request is typed, and "this solved it"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import article_or_404, is_staff_member, ticket_or_404
from guichet.knowledge import actions as knowledge
from guichet.lib.errors import ActionError
from guichet.search import engine, params
from guichet.search.sources import COUNT_CAP

MAX_TEXT = 5000


@login_required
@require_GET
def results(request):
    q, filters, page, errors = params.read(request.GET)
    found = engine.search(request.user, q, filters, page)
    selected = {
        "kind": filters.kind,
        "status": filters.status,
        "category": filters.category or "",
        "organisation": filters.organisation or "",
    }

    def link(**changes) -> str:
        values = {"q": q, **selected, **changes}
        return "?" + urlencode({k: v for k, v in values.items() if v})

    facet_groups = []
    for name, label in (
        ("kind", _("Kind")),
        ("status", _("Status")),
        ("category", _("Category")),
        ("organisation", _("Organisation")),
    ):
        entries = [
            (facet, link(**{name: "" if facet.selected else facet.value, "page": ""}))
            for facet in found.facets.get(name, [])
        ]
        if entries:
            facet_groups.append((name, label, entries))
    context = {
        "found": found,
        "search_q": q,
        "errors": errors,
        "facet_groups": facet_groups,
        "filtered": any(selected.values()),
        # A new search keeps the filters chosen.
        "kept": [(name, value) for name, value in selected.items() if value],
        "clear_link": link(kind="", status="", category="", organisation=""),
        "next_link": link(page=found.page + 1) if found.has_next else "",
        "previous_link": link(page=found.page - 1) if found.page > 1 else "",
        "cap": COUNT_CAP,
        "first_number": (found.page - 1) * engine.PAGE_SIZE + 1,
        "nav": "search",
    }
    return render(request, "search/results.html", context, status=400 if errors else 200)


def _text(request) -> str:
    title = str(request.GET.get("title", ""))[:MAX_TEXT]
    description = str(request.GET.get("description", ""))[:MAX_TEXT]
    return f"{title}\n{description}"


@login_required
@require_GET
def suggestions(request):
    """What the knowledge base and past tickets say about the request being typed."""
    found = engine.suggest(request.user, _text(request))
    portal = not request.user.is_support_staff
    template = "portal_suggestions" if portal else "suggestions"
    return render(request, f"search/partials/{template}.html", {"suggestions": found})


@login_required
@require_GET
def ticket_suggestions(request, pk):
    if not is_staff_member(request.user):
        raise Http404
    ticket = ticket_or_404(request.user, pk)
    found = engine.suggest(
        request.user,
        f"{ticket.title}\n{ticket.description}",
        category=ticket.category_id,
        exclude_ticket=ticket.pk,
    )
    return render(
        request, "search/partials/ticket_suggestions.html", {"suggestions": found, "ticket": ticket}
    )


@login_required
@require_POST
def deflect(request):
    """A requester found the answer before submitting: count it, open no ticket."""
    if request.user.is_support_staff:
        raise PermissionDenied(_("Only requesters answer this."))
    article = article_or_404(request.user, request.POST.get("article"))
    query = str(request.POST.get("title", "")).strip()[:500]
    try:
        knowledge.deflect(article=article, user=request.user, query=query)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("portal:new")
    messages.success(
        request, _("Glad it helped. No request was sent; you can always write to us later.")
    )
    return redirect("portal:home")
