"""The problems list, a problem's page, and the forms that create and edit problems."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.access import problem_or_404, visible_tickets
from guichet.lib.errors import ActionError, InvalidInput
from guichet.problems import actions, queries
from guichet.problems.forms import (
    MAX_TICKETS,
    FilterForm,
    KnownErrorForm,
    LinkForm,
    ProblemForm,
    StatusForm,
)
from guichet.problems.models import Problem
from guichet.tickets.views.queue_listing import staff_required


def _page_url(params, cursor: str | None) -> str | None:
    if not cursor:
        return None
    query = params.copy()
    query["cursor"] = cursor
    return f"{reverse('problems:list')}?{query.urlencode()}"


@staff_required(requesters_to_portal=True)
@require_GET
def problem_list(request):
    form = FilterForm(request.GET)
    page, status = None, 200
    if form.is_valid():
        try:
            page = queries.problem_page(request.user, form.filters(), request.GET.get("cursor"))
        except (ValueError, TypeError, OverflowError, ValidationError):
            form.add_error(None, _("This page link is not valid; start again from page one."))
    if page is None:
        status = 400
    context = {
        "nav": "problems",
        "form": form,
        "page": page,
        "next_url": _page_url(request.GET, page.next_cursor if page else None),
        "prev_url": _page_url(request.GET, page.prev_cursor if page else None),
    }
    return render(request, "problems/list.html", context, status=status)


def detail_context(request, problem, **forms) -> dict:
    """Everything the problem's page shows; `forms` replaces a form that came back with errors."""
    user = request.user
    context = {
        "nav": "problems",
        "problem": problem,
        "incidents": queries.incidents(user, problem),
        "events": queries.history(user, problem),
        "status_form": StatusForm(problem=problem),
        "link_form": LinkForm(),
        "known_error_form": KnownErrorForm(),
        "incidents_shown": queries.INCIDENTS_SHOWN,
    }
    context.update(forms)
    return context


def load_problem(user, pk) -> Problem:
    related = Problem.objects.select_related("category__parent", "team", "assignee", "known_error")
    return problem_or_404(user, pk, queryset=related)


@staff_required(requesters_to_portal=True)
@require_GET
def problem_detail(request, pk: int):
    problem = load_problem(request.user, pk)
    return render(request, "problems/detail.html", detail_context(request, problem))


def _initial_from(request) -> dict:
    """A new problem's fields from the incidents it starts from (`?tickets=1,2`, first one's
    qualification) or from a category of the candidates report."""
    form = ProblemForm(data={"tickets": request.GET.get("tickets", "")[:5000], "title": "x"})
    form.is_valid()
    numbers = form.cleaned_data.get("tickets") or []
    initial: dict = {}
    if numbers:
        initial["tickets"] = ", ".join(str(n) for n in numbers[:MAX_TICKETS])
        first = visible_tickets(request.user).filter(pk=numbers[0]).first()
        if first is not None:
            initial.update(
                title=first.title,
                description=first.description,
                impact=first.impact,
                urgency=first.urgency,
                category=first.category_id,
                team=first.team_id,
            )
    if request.GET.get("category", "").isdigit():
        initial.setdefault("category", int(request.GET["category"]))
    return initial


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def problem_new(request):
    if request.method == "GET":
        form = ProblemForm(initial=_initial_from(request))
        return render(request, "problems/form.html", {"nav": "problems", "form": form})
    form = ProblemForm(request.POST)
    if form.is_valid():
        numbers = form.cleaned_data["tickets"]
        tickets = list(visible_tickets(request.user).filter(pk__in=numbers))
        missing = sorted(set(numbers) - {t.pk for t in tickets})
        if missing:
            form.add_error(
                "tickets",
                _("No ticket %(list)s among those you can see.")
                % {"list": ", ".join(f"#{n}" for n in missing)},
            )
        else:
            try:
                problem = actions.create_problem(
                    actor=request.user, tickets=tickets, **form.values()
                )
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                messages.success(request, _("The problem %(ref)s was created.") % {
                    "ref": problem.reference})  # fmt: skip
                return redirect("problems:detail", pk=problem.pk)
    return render(request, "problems/form.html", {"nav": "problems", "form": form}, status=400)


FORM_FIELDS = (
    "title",
    "description",
    "impact",
    "urgency",
    "category",
    "team",
    "assignee",
    "impact_analysis",
    "root_cause",
    "workaround",
    "permanent_fix",
)


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def problem_edit(request, pk: int):
    problem = load_problem(request.user, pk)
    context = {"nav": "problems", "problem": problem}
    if request.method == "GET":
        initial = {name: getattr(problem, name) for name in FORM_FIELDS}
        context["form"] = ProblemForm(initial=initial, with_tickets=False)
        return render(request, "problems/form.html", context)
    form = ProblemForm(request.POST, with_tickets=False)
    status = 400
    if form.is_valid():
        try:
            actions.update_problem(problem=problem, actor=request.user, **form.values())
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except ActionError as exc:
            form.add_error(None, exc.message)
            status = 403
        else:
            messages.success(request, _("The problem was saved."))
            return redirect("problems:detail", pk=problem.pk)
    context["form"] = form
    return render(request, "problems/form.html", context, status=status)


urlpatterns = [
    path("", problem_list, name="list"),
    path("new/", problem_new, name="new"),
    path("<int:pk>/", problem_detail, name="detail"),
    path("<int:pk>/edit/", problem_edit, name="edit"),
]
