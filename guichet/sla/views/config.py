"""Administrators' screens of the service contracts room: calendars, contracts (targets and
escalation ladder), pending reasons and the teams' operational targets (OLA)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from guichet.accounts.models import Team
from guichet.lib.errors import InvalidInput
from guichet.sla.actions import save_calendar, save_contract, save_team_targets
from guichet.sla.forms import (
    PRIORITIES,
    CalendarForm,
    ContractForm,
    PendingReasonForm,
    StepFormSet,
    TeamTargetsForm,
    steps_initial,
)
from guichet.sla.models import Calendar, CalendarVersion, Contract
from guichet.tickets.actions.reference import save_pending_reason
from guichet.tickets.models import PendingReason


def _admin_only(request) -> None:
    if not request.user.is_admin:
        raise PermissionDenied


def _page(request, template: str, context: dict, status: int = 200):
    return render(
        request, f"sla/config/{template}", {"nav": "configuration", **context}, status=status
    )


# --- Calendars ---------------------------------------------------------------------------------
@login_required
def calendars(request):
    _admin_only(request)
    latest = CalendarVersion.objects.order_by("-valid_from", "-id")
    found = Calendar.objects.annotate(contract_count=Count("contracts")).prefetch_related(
        Prefetch("versions", queryset=latest)
    )
    rows = [(c, next(iter(c.versions.all()), None)) for c in found]
    return _page(request, "calendars.html", {"rows": rows, "subnav": "calendars"})


@login_required
def calendar_form(request, pk: int | None = None):
    _admin_only(request)
    calendar = get_object_or_404(Calendar, pk=pk) if pk else None
    versions = list(calendar.versions.prefetch_related("ranges", "closures")) if calendar else []
    initial = CalendarForm.initial_of(versions[-1] if versions else None)
    status = 200
    if request.method == "POST":
        form = CalendarForm(request.POST, initial=initial)
        if calendar is not None and not form.has_changed():
            messages.info(request, _("Nothing changed."))
            return redirect("sla:calendars")
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_calendar(
                    actor=request.user,
                    calendar=calendar,
                    name=data["name"],
                    time_zone=data["time_zone"],
                    always_open=data["always_open"],
                    holiday_country=data["holiday_country"],
                    holiday_subdivision=data["holiday_subdivision"],
                    openings=form.openings(),
                    closures=data["closures"],
                )
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                messages.success(
                    request, _("The calendar “%(name)s” was saved.") % {"name": saved.name}
                )
                return redirect("sla:calendars")
        status = 400
    else:
        form = CalendarForm(initial=initial)
    context = {"form": form, "calendar": calendar, "versions": versions, "subnav": "calendars"}
    return _page(request, "calendar_form.html", context, status)


# --- Contracts ---------------------------------------------------------------------------------
@login_required
def contracts(request):
    _admin_only(request)
    found = Contract.objects.select_related("organisation", "calendar").order_by(
        "-is_default", "organisation__name", "starts_on", "name"
    )
    return _page(request, "contracts.html", {"contracts": found, "subnav": "contracts"})


@login_required
def contract_form(request, pk: int | None = None):
    _admin_only(request)
    contract = get_object_or_404(Contract, pk=pk) if pk else None
    initial = ContractForm.initial_of(contract)
    status = 200
    if request.method == "POST":
        form = ContractForm(request.POST, initial=initial, contract=contract)
        # Without `initial`: a row left as it was must count as filled, not as unchanged.
        steps = StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and steps.is_valid():
            data = form.cleaned_data
            try:
                saved = save_contract(
                    actor=request.user,
                    contract=contract,
                    name=data["name"],
                    organisation=data.get("organisation"),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    calendar=data["calendar"],
                    reopen_rule=data["reopen_rule"],
                    pausing_reasons=data["pausing_reasons"],
                    targets=form.targets(),
                    steps=[s for f in steps.forms if (s := f.step()) is not None],
                    flat_fee=data["flat_fee"],
                    cost_threshold=data["cost_threshold"],
                    notes=data["notes"],
                )
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                messages.success(
                    request, _("The contract “%(name)s” was saved.") % {"name": saved.name}
                )
                return redirect("sla:contracts")
        status = 400
    else:
        form = ContractForm(initial=initial, contract=contract)
        steps = StepFormSet(initial=steps_initial(contract), prefix="steps")
    context = {
        "form": form,
        "steps": steps,
        "contract": contract,
        "priorities": list(PRIORITIES),
        "subnav": "contracts",
    }
    return _page(request, "contract_form.html", context, status)


# --- Pending reasons ---------------------------------------------------------------------------
@login_required
def pending_reasons(request, pk: int | None = None):
    _admin_only(request)
    reason = get_object_or_404(PendingReason, pk=pk) if pk else None
    initial: dict[str, object] = {"active": True}
    if reason is not None:
        initial = {
            "code": reason.code,
            "name_fr": reason.name_fr,
            "name_en": reason.name_en,
            "active": reason.active,
        }
    status = 200
    if request.method == "POST":
        form = PendingReasonForm(request.POST, initial=initial, reason=reason)
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_pending_reason(
                    actor=request.user,
                    reason=reason,
                    code=data["code"],
                    name_fr=data["name_fr"],
                    name_en=data["name_en"],
                    active=data["active"],
                )
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                messages.success(request, _("The pending reason was saved."))
                return redirect("sla:pending-reasons")
        status = 400
    else:
        form = PendingReasonForm(initial=initial, reason=reason)
    context = {
        "form": form,
        "reason": reason,
        "reasons": PendingReason.objects.all(),
        "subnav": "pending-reasons",
    }
    return _page(request, "pending_reasons.html", context, status)


# --- Teams' operational targets ----------------------------------------------------------------
@login_required
def team_targets(request):
    _admin_only(request)
    teams = list(Team.objects.prefetch_related("operational_targets"))
    initial = TeamTargetsForm.initial_of(teams)
    status = 200
    if request.method == "POST":
        form = TeamTargetsForm(request.POST, initial=initial, teams=teams)
        if form.is_valid():
            try:
                with transaction.atomic():  # every team or none
                    for team in teams:
                        save_team_targets(
                            actor=request.user, team=team, targets=form.targets_of(team)
                        )
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                messages.success(request, _("The teams' targets were saved."))
                return redirect("sla:team-targets")
        status = 400
    else:
        form = TeamTargetsForm(initial=initial, teams=teams)
    context = {"form": form, "priorities": list(PRIORITIES), "subnav": "team-targets"}
    return _page(request, "team_targets.html", context, status)


urlpatterns = [
    path("calendars/", calendars, name="calendars"),
    path("calendars/new/", calendar_form, name="calendar-new"),
    path("calendars/<int:pk>/", calendar_form, name="calendar-edit"),
    path("contracts/", contracts, name="contracts"),
    path("contracts/new/", contract_form, name="contract-new"),
    path("contracts/<int:pk>/", contract_form, name="contract-edit"),
    path("pending-reasons/", pending_reasons, name="pending-reasons"),
    path("pending-reasons/<int:pk>/", pending_reasons, name="pending-reason-edit"),
    path("team-targets/", team_targets, name="team-targets"),
]
