"""Administrator screens for the reference data: the priority matrix and the category tree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from guichet.lib.errors import InvalidInput
from guichet.tickets.actions.reference import save_category, set_priority_matrix
from guichet.tickets.choices import Level, Priority
from guichet.tickets.models import Category, PriorityRule


def _admin_only(request) -> None:
    if not request.user.is_admin:
        raise Http404


@login_required
def priority_matrix(request):
    _admin_only(request)
    current = {(r.urgency, r.impact): r.priority for r in PriorityRule.objects.all()}
    errors: dict = {}
    status = 200
    if request.method == "POST":
        submitted = {}
        for urgency in Level.values:
            for impact in Level.values:
                raw = request.POST.get(f"u{urgency}_i{impact}", "")
                try:
                    submitted[(urgency, impact)] = int(raw)
                except ValueError:
                    errors[f"u{urgency}_i{impact}"] = [_("Must be from 1 to 5.")]
        if not errors:
            try:
                changed = set_priority_matrix(actor=request.user, matrix=submitted)
            except InvalidInput as exc:
                errors = exc.errors
            else:
                messages.success(request, _("%(n)d cells changed.") % {"n": changed})
                return redirect("configuration:priority-matrix")
        status = 400
        current.update(submitted)
    rows = [
        (
            Level(u).label,
            [(f"u{u}_i{i}", current.get((u, i), 3), Level(i).label) for i in Level.values],
        )
        for u in Level.values
    ]
    return render(
        request,
        "configuration/priority_matrix.html",
        {
            "rows": rows,
            "impacts": [Level(i).label for i in Level.values],
            "errors": errors,
            "priorities": [c for c in Priority.choices if c[0] != Priority.MAJOR],
            "nav": "configuration",
        },
        status=status,
    )


@login_required
def categories(request, pk: int | None = None):
    _admin_only(request)
    editing = get_object_or_404(Category, pk=pk) if pk else None
    errors: dict = {}
    status = 200
    if request.method == "POST":
        parent_id = request.POST.get("parent") or None
        parent = None
        if parent_id:
            parent = Category.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
            if parent is None:
                errors["parent"] = [_("Unknown category.")]
        if not errors:
            try:
                save_category(
                    actor=request.user,
                    category=editing,
                    parent=parent,
                    name_fr=request.POST.get("name_fr", ""),
                    name_en=request.POST.get("name_en", ""),
                    active=request.POST.get("active") == "on" or editing is None,
                )
            except InvalidInput as exc:
                errors = exc.errors
            else:
                messages.success(request, _("The category was saved."))
                return redirect("configuration:categories")
        status = 400
    initial = {
        "name_fr": request.POST.get("name_fr", editing.name_fr if editing else ""),
        "name_en": request.POST.get("name_en", editing.name_en if editing else ""),
    }
    tree = Category.objects.select_related("parent").order_by("code")
    return render(
        request,
        "configuration/categories.html",
        {
            "tree": tree,
            "editing": editing,
            "errors": errors,
            "initial": initial,
            "parents": Category.objects.filter(parent__isnull=True),
            "nav": "configuration",
        },
        status=status,
    )
