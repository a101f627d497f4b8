"""Forms of the inventory screens: they check the shape of what was sent; the actions decide
the rest (and `add_action_errors` puts their refusals next to the fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import organisation_names, sees_everything, visible_organisations
from guichet.accounts.models import Location, Organisation
from guichet.inventory import queries
from guichet.inventory.choices import ConflictStatus, Protocol
from guichet.inventory.models import ReconciliationRule
from guichet.inventory.queries import ALL_STATUSES, NO_ORGANISATION, AgentFilter
from guichet.lib.form_errors import ActionErrors

NEW_ASSET = "new"


class AgentFilterForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    protocol = forms.ChoiceField(
        label=_("Protocol"), required=False, choices=[("", _("All")), *Protocol.choices]
    )
    with_errors = forms.BooleanField(label=_("With errors only"), required=False)
    unseen = forms.IntegerField(
        label=_("Not seen for at least (days)"), required=False, min_value=1, max_value=3650
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All")), *((str(pk), name) for pk, name in organisation_names(user))]
        if sees_everything(user):
            choices.append((NO_ORGANISATION, _("No organisation")))
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]

    def filters(self) -> AgentFilter:
        data = self.cleaned_data
        organisation = data["organisation"] or None
        if organisation and organisation != NO_ORGANISATION:
            organisation = int(organisation)
        return AgentFilter(organisation=organisation, protocol=data["protocol"],
                           with_errors=data["with_errors"], unseen_days=data["unseen"])  # fmt: skip


class ConflictFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*ConflictStatus.choices, (ALL_STATUSES, _("All"))],
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status") or ConflictStatus.OPEN


class ResolveForm(forms.Form):
    """The button pressed: an asset's id to attach the inventory to it, or NEW_ASSET."""

    asset = forms.CharField(max_length=20)

    def clean_asset(self) -> int | None:
        value = self.cleaned_data["asset"].strip()
        if value == NEW_ASSET:
            return None
        if not value.isdigit() or not 0 < int(value) < 2**63:
            raise forms.ValidationError(_("Choose an asset of the organisation."))
        return int(value)


class RulesForm(ActionErrors, forms.Form):
    """Every reconciliation rule's place and whether it is on; or a "move" button alone,
    which moves one rule a place up or down from the saved order."""

    move = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, rules: list[ReconciliationRule], **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for place, rule in enumerate(rules, start=1):
            label = rule.get_criterion_display()
            self.fields[f"order_{rule.criterion}"] = forms.IntegerField(
                label=_("Place of “%(rule)s”") % {"rule": label},
                min_value=1,
                max_value=99,
                initial=place,
            )
            self.fields[f"active_{rule.criterion}"] = forms.BooleanField(
                label=_("Use “%(rule)s”") % {"rule": label}, required=False, initial=rule.active
            )

    def saved_data(self, move: str) -> dict:
        """The rules as they stand, to apply a move button alone."""
        data = {"move": move}
        for place, rule in enumerate(self.rules, start=1):
            data[f"order_{rule.criterion}"] = str(place)
            if rule.active:
                data[f"active_{rule.criterion}"] = "on"
        return data

    def rule_rows(self) -> list[tuple[ReconciliationRule, forms.BoundField, forms.BoundField]]:
        return [
            (r, self[f"order_{r.criterion}"], self[f"active_{r.criterion}"]) for r in self.rules
        ]

    def clean_move(self) -> tuple[str, str] | None:
        direction, _sep, criterion = self.cleaned_data["move"].partition(":")
        if not direction:
            return None
        if direction not in ("up", "down") or criterion not in {r.criterion for r in self.rules}:
            raise forms.ValidationError(_("Unknown rule."))
        return direction, criterion

    def order(self) -> list[str]:
        """The criteria by the places typed (a tie keeps the current order), then moved."""
        data = self.cleaned_data
        places = {r.criterion: (data[f"order_{r.criterion}"], i) for i, r in enumerate(self.rules)}
        order = sorted(places, key=places.__getitem__)
        if data.get("move"):
            direction, criterion = data["move"]
            index = order.index(criterion)
            other = index - 1 if direction == "up" else index + 1
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
        return order

    def active(self) -> set[str]:
        return {r.criterion for r in self.rules if self.cleaned_data[f"active_{r.criterion}"]}


class TagRuleForm(ActionErrors, forms.Form):
    pattern = forms.CharField(
        label=_("Tag or pattern"),
        max_length=200,
        help_text=_("An exact tag, or a pattern where * stands for any text: PARIS-*"),
    )
    organisation = forms.ChoiceField(label=_("Organisation"))
    location = forms.ChoiceField(label=_("Location"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(pk), name) for pk, name in organisation_names(user)),
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for location in queries.locations(user):
            groups.setdefault(location.organisation.name, []).append(
                (str(location.pk), location.name)
            )
        self.fields["location"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *groups.items(),
        ]

    def clean_organisation(self) -> Organisation:
        value = self.cleaned_data["organisation"]
        found = visible_organisations(self.user).filter(pk=int(value)).first()
        if found is None:
            raise forms.ValidationError(_("Unknown organisation."))
        return found

    def clean_location(self) -> Location | None:
        value = self.cleaned_data["location"]
        if not value:
            return None
        visible = visible_organisations(self.user).values("pk")
        found = Location.objects.filter(pk=int(value), organisation__in=visible).first()
        if found is None:
            raise forms.ValidationError(_("Unknown location."))
        return found
