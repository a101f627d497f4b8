"""Forms of the problems screens: they check the shape of what was typed; the actions decide
the rest and `add_action_errors` puts their refusals next to the fields."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.choices import STAFF_ROLES
from guichet.accounts.models import Team, User
from guichet.lib.form_errors import ActionErrors
from guichet.problems.actions.common import TEXT_MAX, TITLE_MAX
from guichet.problems.choices import TRANSITIONS, ProblemStatus
from guichet.problems.queries import ProblemFilter
from guichet.tickets.choices import Level
from guichet.tickets.models import Category

MAX_TICKETS = 200  # incidents named at once when creating a problem
NUMBER = re.compile(r"\d+")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def _categories():
    return Category.objects.filter(active=True).select_related("parent")


def _staff():
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by(
        "last_name", "first_name", "username"
    )


class ModelChoices:
    """Select lists read again for each form (a category or person added since is offered)."""

    fields: dict

    def _choices(self, name: str) -> forms.ModelChoiceField:
        return self.fields[name]


class ProblemForm(ModelChoices, ActionErrors, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description (symptoms)"), required=False, max_length=TEXT_MAX, widget=TEXTAREA
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=Level.choices, coerce=int, initial=Level.MEDIUM
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Level.choices, coerce=int, initial=Level.MEDIUM
    )
    category = CategoryChoice(label=_("Category"), queryset=_categories(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    assignee = StaffChoice(label=_("Problem manager"), queryset=_staff(), required=False)
    impact_analysis = forms.CharField(
        label=_("Impact analysis"), required=False, max_length=TEXT_MAX, widget=TEXTAREA
    )
    root_cause = forms.CharField(
        label=_("Root cause"), required=False, max_length=TEXT_MAX, widget=TEXTAREA
    )
    workaround = forms.CharField(
        label=_("Workaround"), required=False, max_length=TEXT_MAX, widget=TEXTAREA
    )
    permanent_fix = forms.CharField(
        label=_("Permanent fix"), required=False, max_length=TEXT_MAX, widget=TEXTAREA
    )
    tickets = forms.CharField(
        label=_("Incidents (ticket numbers)"),
        required=False,
        max_length=5000,
        help_text=_("Separated by spaces or commas, e.g. 1203, 1207 #1210."),
    )

    def __init__(self, *args, with_tickets: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self._choices("category").queryset = _categories()
        self._choices("assignee").queryset = _staff()
        if not with_tickets:
            del self.fields["tickets"]

    def clean_tickets(self) -> list[int]:
        numbers = sorted({int(n) for n in NUMBER.findall(self.cleaned_data["tickets"])})
        if len(numbers) > MAX_TICKETS:
            raise forms.ValidationError(
                _("At most %(n)d incidents at a time.") % {"n": MAX_TICKETS}
            )
        if any(not 0 < n < 2**63 for n in numbers):
            raise forms.ValidationError(_("This is not a ticket number."))
        return numbers

    def values(self) -> dict:
        """The action's keyword arguments (the tickets apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "tickets"}


ASSIGNEE_SPECIAL = (("me", _("Me")), ("none", _("Nobody")))


class FilterForm(ModelChoices, forms.Form):
    """The list's filters, for the screen and the API alike."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *ProblemStatus.choices],
    )
    category = CategoryChoice(label=_("Category"), queryset=_categories(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    assignee = forms.CharField(label=_("Problem manager"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._choices("category").queryset = _categories()
        choices = [("", _("Anyone")), *ASSIGNEE_SPECIAL]
        choices += [(str(u.pk), u.display_name) for u in _staff()]
        self.fields["assignee"].widget = forms.Select(choices=choices)

    def clean_assignee(self):
        raw = self.cleaned_data["assignee"]
        if raw in ("", "me", "none"):
            return raw or None
        if raw.isdigit() and 0 < int(raw) < 2**63:
            return int(raw)
        raise forms.ValidationError(_("Choose someone from the list."))

    def filters(self) -> ProblemFilter:
        data = self.cleaned_data
        return ProblemFilter(
            status=data["status"],
            category=data["category"].pk if data["category"] else None,
            team=data["team"].pk if data["team"] else None,
            assignee=data["assignee"],
        )


class StatusForm(ActionErrors, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, problem, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[ProblemStatus(problem.status)]
        self.fields["status"].choices = [c for c in ProblemStatus.choices if c[0] in allowed]


class LinkForm(ActionErrors, forms.Form):
    ticket = forms.IntegerField(label=_("Ticket number"), min_value=1, max_value=2**63 - 1)


class ProblemNumberForm(ActionErrors, forms.Form):
    problem = forms.CharField(
        label=_("Problem number"), max_length=30, help_text=_("e.g. PB-12 or 12")
    )

    def clean_problem(self) -> int:
        found = re.fullmatch(r"\s*(?:PB-?)?(\d{1,18})\s*", self.cleaned_data["problem"], re.I)
        if not found or int(found.group(1)) == 0:
            raise forms.ValidationError(_("Give a problem number, e.g. PB-12."))
        return int(found.group(1))

    def __init__(self, *args, **kwargs):
        # Its field sits on the ticket page beside the other panels' forms: ids of its own.
        kwargs.setdefault("auto_id", "problem-panel-%s")
        super().__init__(*args, **kwargs)


class KnownErrorForm(ActionErrors, forms.Form):
    public = forms.BooleanField(
        label=_("Also show it to clients in the public FAQ"), required=False
    )
    post_to_incidents = forms.BooleanField(
        label=_("Post the workaround to the linked open incidents"), required=False
    )


class CandidatesForm(forms.Form):
    min_count = forms.IntegerField(
        label=_("At least this many incidents"), min_value=2, max_value=100_000, initial=5
    )
    days = forms.IntegerField(label=_("In the last (days)"), min_value=1, max_value=366, initial=30)
