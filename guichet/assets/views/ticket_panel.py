"""The assets of a ticket: the ticket page's panel (link, unlink), the caller's assets in
phone intake, what changed on them when the ticket is solved, and a requester's own
equipment. The tickets room calls `add_solve_fields`, `apply_solve_fields` and
`link_called_asset`; it knows nothing else of assets."""

import re
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import is_staff_member, ticket_or_404, visible_assets
from guichet.assets import actions
from guichet.assets import ticket_queries as queries
from guichet.assets.choices import AssetState, Source
from guichet.assets.models import Asset
from guichet.lib.errors import ActionError, InvalidInput
from guichet.lib.forms import FastSelect
from guichet.tickets.views.intake import find_caller
from guichet.tickets.views.queue_listing import staff_required

PANEL = "assets/partials/ticket_panel.html"
NOBODY = "0"
SOLVE_FIELD = re.compile(r"^asset_(\d+)_(state|user|note)$")
# The solve form's field for each field an asset verb may refuse.
SOLVE_ERRORS = {"state": "state", "user": "user", "text": "note"}


def asset_url(pk: int) -> str:
    try:
        return reverse("assets:detail", args=[pk])
    except NoReverseMatch:  # the asset page is declared by another module of the room
        return f"/assets/{pk}/"


def asset_label(asset) -> str:
    details = [asset.get_kind_display(), asset.model, asset.serial]
    return " · ".join([asset.name, *[d for d in details if d]])


def _staff_ticket(request, pk: int):
    """The ticket if the user (staff, see `staff_required`) may see it; 404 otherwise: a
    panel says nothing of a ticket out of sight."""
    return ticket_or_404(request.user, pk)


# --- The ticket page's panel ------------------------------------------------------------------


class AssetChoice(forms.ChoiceField):
    """An asset's id: listed ones, or any other the search offered; `LinkAssetForm.clean`
    reads it through the access door."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit() and len(str(value)) < 19


class LinkAssetForm(forms.Form):
    """An asset to link: chosen in the list, or found by what is written on it."""

    asset = AssetChoice(label=gettext_lazy("Asset"), required=False, widget=FastSelect)
    query = forms.CharField(
        label=gettext_lazy("Or find it by inventory number, serial or name"),
        required=False,
        max_length=100,
    )

    def __init__(self, *args, user, ticket, exclude_ids=(), **kwargs):
        kwargs.setdefault("auto_id", "id_asset_link_%s")
        super().__init__(*args, **kwargs)
        self.user, self.ticket = user, ticket
        candidates = queries.assets_of_person(
            user,
            person_id=ticket.requester_id,
            organisation_id=ticket.organisation_id,
            exclude_ids=exclude_ids,
            limit=queries.CANDIDATES_SHOWN,
        )
        self.set_choices(candidates[: queries.CANDIDATES_SHOWN])

    def set_choices(self, assets) -> None:
        """The requester's own assets first, in a group of their own when there are others."""
        theirs = [(str(a.pk), asset_label(a)) for a in assets if getattr(a, "theirs", 0)]
        others = [(str(a.pk), asset_label(a)) for a in assets if not getattr(a, "theirs", 0)]
        choices: list = [("", "—")]
        if theirs:
            choices.append((_("The requester's assets"), theirs))
            if others:
                choices.append((_("Other assets of the organisation"), others))
        else:
            choices += others
        select = self.fields["asset"]
        assert isinstance(select, forms.ChoiceField)
        select.choices = choices

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        chosen, text = data.get("asset"), (data.get("query") or "").strip()
        if chosen:
            asset = visible_assets(self.user).filter(pk=int(chosen)).first()
            if asset is None:
                self.add_error("asset", _("Unknown asset."))
        elif text:
            found = queries.find_assets(
                self.user, organisation_id=self.ticket.organisation_id, text=text
            )
            if len(found) != 1:
                self.set_choices(found[: queries.SEARCH_RESULTS])
                if not found:
                    self.add_error("query", _("No asset of this organisation matches."))
                else:
                    self.add_error("query", _("Several assets match: choose one in the list."))
                return data
            asset = found[0]
        else:
            self.add_error("asset", _("Choose an asset, or type what is written on it."))
            return data
        data["found"] = asset
        return data


@dataclass
class PanelRow:
    """One linked asset as the panel shows it."""

    asset: Asset
    url: str
    events: list = field(default_factory=list)
    other_tickets: list = field(default_factory=list)
    other_count: int = 0


def _panel_context(request, ticket, form=None) -> dict:
    user = request.user
    assets = list(queries.linked_assets(user, ticket))
    ids = [asset.pk for asset in assets]
    events = queries.recent_events(ids)
    others = queries.other_tickets(user, ids, ticket_id=ticket.pk)
    rows = []
    for asset in assets:
        shown, count = others.get(asset.pk, ([], 0))
        rows.append(PanelRow(asset, asset_url(asset.pk), events.get(asset.pk, []), shown, count))
    return {
        "ticket": ticket,
        "rows": rows,
        "today": timezone.localdate(),
        "form": form or LinkAssetForm(user=user, ticket=ticket, exclude_ids=ids),
    }


def _answer(request, ticket, *, message: str = "", error: str = "", form=None):
    """htmx gets the panel back; a plain form post goes back to the ticket page."""
    if request.htmx:
        context = {**_panel_context(request, ticket, form), "flash": message, "error": error}
        return render(request, PANEL, context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("tickets:detail", pk=ticket.pk)


@staff_required()
@require_GET
def ticket_panel(request, pk: int):
    ticket = _staff_ticket(request, pk)
    return render(request, PANEL, _panel_context(request, ticket))


@staff_required()
@require_POST
def ticket_link(request, pk: int):
    ticket = _staff_ticket(request, pk)
    form = LinkAssetForm(request.POST, user=request.user, ticket=ticket)
    if form.is_valid():
        asset = form.cleaned_data["found"]
        try:
            created = actions.link_ticket(ticket=ticket, asset=asset, actor=request.user)
        except InvalidInput as err:
            for messages_ in err.errors.values():
                for message in messages_:
                    form.add_error("asset", message)
        except ActionError as err:
            form.add_error("asset", err.message)
        else:
            if created:
                message = _("The ticket is linked to %(name)s.") % {"name": asset.name}
            else:
                message = _("The ticket was already linked to %(name)s.") % {"name": asset.name}
            return _answer(request, ticket, message=message)
    errors = " ".join(str(e) for listed in form.errors.values() for e in listed)
    return _answer(request, ticket, error=errors, form=form)


@staff_required()
@require_POST
def ticket_unlink(request, pk: int, asset: int):
    ticket = _staff_ticket(request, pk)
    found = queries.linked_assets(request.user, ticket).filter(pk=asset).first()
    if found is None:
        raise Http404
    try:
        actions.unlink_ticket(ticket=ticket, asset=found, actor=request.user)
    except ActionError as err:
        return _answer(request, ticket, error=err.message)
    return _answer(
        request, ticket, message=_("%(name)s is no longer linked.") % {"name": found.name}
    )


# --- Solving a ticket: what changed on its assets ---------------------------------------------


def add_solve_fields(form) -> list[str]:
    """Add to the ticket's solve form, for each of its assets, an optional new state, new
    assigned user and note; returns the names of the fields added."""
    user, ticket = form.options.user, form.ticket
    assets = list(queries.linked_assets(user, ticket))
    if not assets:
        return []
    people = queries.people_of(user, {asset.organisation_id for asset in assets})
    added = []
    for asset in assets:
        prefix, name = f"asset_{asset.pk}_", asset.name
        unchanged = _("— unchanged (%(value)s)")
        form.fields[prefix + "state"] = forms.ChoiceField(
            label=_("New state of %(name)s") % {"name": name},
            required=False,
            widget=FastSelect,
            choices=[("", unchanged % {"value": asset.get_state_display()}), *AssetState.choices],
        )
        holder = asset.user.display_name if asset.user else _("nobody")
        form.fields[prefix + "user"] = forms.ChoiceField(
            label=_("New assigned user of %(name)s") % {"name": name},
            required=False,
            widget=FastSelect,
            choices=[
                ("", unchanged % {"value": holder}),
                (NOBODY, _("Nobody")),
                *((str(p.pk), p.display_name) for p in people.get(asset.organisation_id, [])),
            ],
        )
        form.fields[prefix + "note"] = forms.CharField(
            label=_("What changed on %(name)s") % {"name": name},
            required=False,
            max_length=10_000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Kept in the asset's history with the ticket's number."),
        )
        added += [prefix + "state", prefix + "user", prefix + "note"]
    return added


def apply_solve_fields(*, ticket, actor, data: dict) -> None:
    """Record on each asset what the solve form says changed, with the ticket's number.
    Call it in the solve's transaction: an asset refusing a change raises InvalidInput
    (keyed by the form's fields) and the whole solve rolls back."""
    asked: dict[int, dict[str, str]] = {}
    for key, value in data.items():
        match = SOLVE_FIELD.match(key)
        if match and value:
            asked.setdefault(int(match.group(1)), {})[match.group(2)] = value
    if not asked:
        return
    errors: dict[str, list[str]] = {}
    for asset in queries.linked_assets(actor, ticket).filter(pk__in=list(asked)):
        wanted = asked[asset.pk]
        note = (wanted.get("note") or "").strip()
        values: dict = {}
        if wanted.get("state"):
            values["state"] = wanted["state"]
        if wanted.get("user"):
            values["user"] = None if wanted["user"] == NOBODY else wanted["user"]
        text = f"#{ticket.pk}: {note}" if note else f"#{ticket.pk}"
        try:
            changed = actions.update_asset(
                asset=asset, actor=actor, source=Source.TICKET, note=text, **values
            )
            if note and not changed:
                actions.add_note(asset=asset, actor=actor, text=text, source=Source.TICKET)
        except InvalidInput as err:
            for refused, found in err.errors.items():
                name = f"asset_{asset.pk}_{SOLVE_ERRORS.get(refused, 'note')}"
                errors.setdefault(name, []).extend(found)
    if errors:
        raise InvalidInput(errors)


# --- Phone intake -----------------------------------------------------------------------------


@staff_required()
@require_GET
def intake_assets(request, caller: int):
    """The caller's assets, then the others of their organisation, to tick the one the
    call is about."""
    person = find_caller(request.user, caller)
    if person is None:
        raise Http404
    found = queries.assets_of_person(
        request.user,
        person_id=person.pk,
        organisation_id=person.organisation_id,
        limit=queries.CALLER_ASSETS_SHOWN,
    )
    context = {
        "caller": person,
        "assets": found[: queries.CALLER_ASSETS_SHOWN],
        "more": len(found) > queries.CALLER_ASSETS_SHOWN,
        "checked": request.GET.get("asset", ""),
    }
    return render(request, "assets/partials/intake_assets.html", context)


def link_called_asset(request, ticket) -> None:
    """Link the ticket just opened on the phone to the asset ticked in the caller's card.
    The ticket stands whatever happens: a refused link is said, not fatal to the call."""
    chosen = request.POST.get("asset", "")
    if not chosen:
        return
    asset = (
        visible_assets(request.user).filter(pk=int(chosen)).first() if chosen.isdigit() else None
    )
    try:
        if asset is None:
            raise InvalidInput({"asset": _("Unknown asset.")})
        actions.link_ticket(ticket=ticket, asset=asset, actor=request.user)
    except ActionError as err:
        detail = err.message
        if isinstance(err, InvalidInput):
            detail = " ".join(m for found in err.errors.values() for m in found)
        messages.warning(
            request, _("The ticket was not linked to the asset: %(why)s") % {"why": detail}
        )


# --- A requester's equipment ------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """What is assigned to the signed-in person, read-only."""
    assets = list(queries.own_assets(request.user).order_by("name", "pk"))
    nav = "assets" if is_staff_member(request.user) else "portal"
    context = {"assets": assets, "today": timezone.localdate(), "nav": nav}
    return render(request, "assets/partials/portal_mine.html", context)


urlpatterns = [
    path("tickets/<int:pk>/panel/", ticket_panel, name="ticket-panel"),
    path("tickets/<int:pk>/link/", ticket_link, name="ticket-link"),
    path("tickets/<int:pk>/unlink/<int:asset>/", ticket_unlink, name="ticket-unlink"),
    path("intake/<int:caller>/", intake_assets, name="intake-assets"),
    path("mine/", mine, name="mine"),
]
