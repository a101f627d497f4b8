"""Forms of the technician's ticket screens (ticket page and phone intake).

Forms only parse and check the shape of the input; the actions decide whether a change is
allowed and report refusals, which `TicketForm.add_action_errors` places next to the fields.
Select lists are built from `Options`, read once per request and shared by every form on a
page, so a page with ten forms does not run ten queries for the same teams.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import staff_members, team_list
from guichet.lib import refcache
from guichet.lib.forms import FastSelect
from guichet.tickets import reference
from guichet.tickets.choices import Level, LinkKind, TicketType

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NOTE_WIDGET = forms.Textarea(attrs={"rows": 3})
EMPTY_CHOICE = _("—")
LEVEL_CHOICES = [(value, f"{value} – {label}") for value, label in Level.choices]


@dataclass(frozen=True)
class ObjectChoices:
    """A select list over objects: its options, and the object behind each value."""

    objects: dict[str, Any]
    choices: list

    @classmethod
    def of(cls, objects, label_of=str) -> "ObjectChoices":
        by_key = {str(o.pk): o for o in objects}
        return cls(by_key, [(key, label_of(o)) for key, o in by_key.items()])

    def without(self, pk) -> "ObjectChoices":
        key = str(pk)
        return ObjectChoices(
            {k: o for k, o in self.objects.items() if k != key},
            [c for c in self.choices if c[0] != key],
        )


def _per_language(name: str, build):
    """A select list built once per process, revision of the reference data and language."""
    return refcache.cached(("tickets.choices", name, get_language()), build)


class Options:
    """The reference lists one page needs, taken at most once per request from the
    process's cache (guichet.lib.refcache), with their select lists."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def teams(self) -> list:
        return team_list(self.user)

    @cached_property
    def staff(self) -> list:
        return staff_members(self.user)

    @cached_property
    def pending_reasons(self) -> list:
        return reference.pending_reasons()

    @cached_property
    def solution_types(self) -> list:
        return reference.solution_types()

    @cached_property
    def categories(self) -> list:
        return reference.categories()

    @cached_property
    def team_choices(self) -> ObjectChoices:
        return _per_language("teams", lambda: ObjectChoices.of(self.teams, team_label))

    @cached_property
    def staff_choices(self) -> ObjectChoices:
        return _per_language("staff", lambda: ObjectChoices.of(self.staff))

    @cached_property
    def reason_choices(self) -> ObjectChoices:
        active = [r for r in self.pending_reasons if r.active]
        return _per_language("reasons", lambda: ObjectChoices.of(active))

    @cached_property
    def solution_type_choices(self) -> ObjectChoices:
        active = [s for s in self.solution_types if s.active]
        return _per_language("solution_types", lambda: ObjectChoices.of(active))

    def category_choices(self, keep_id=None) -> ObjectChoices:
        """Active categories grouped by root; `keep_id` stays listed even if inactive."""

        def build() -> ObjectChoices:
            by_key = {str(c.pk): c for c in self.categories}
            return ObjectChoices(by_key, category_choices(self.categories, keep_id=keep_id))

        inactive = keep_id is not None and not getattr(
            next((c for c in self.categories if c.pk == keep_id), None), "active", True
        )
        if inactive:
            return build()  # a rare list, built for this ticket alone
        return _per_language("categories", build)


def team_label(team) -> str:
    return f"{team.name} ({team.get_level_display()})"


def category_choices(categories, keep_id=None) -> list:
    """Active categories grouped under their top-level parent (an <optgroup> each)."""
    by_id = {c.pk: c for c in categories}

    def root_of(category):
        seen = set()
        while category.parent_id in by_id and category.pk not in seen:
            seen.add(category.pk)
            category = by_id[category.parent_id]
        return category

    def path_below(category, root) -> str:
        names = []
        while category is not None and category.pk != root.pk:
            names.append(category.name)
            category = by_id.get(category.parent_id)
        return " › ".join(reversed(names))

    groups: dict[int, list] = {}
    roots = []
    for category in categories:
        if not (category.active or category.pk == keep_id):
            continue
        root = root_of(category)
        if root.pk not in groups:
            groups[root.pk] = []
            roots.append(root)
        if category.pk == root.pk:
            label = _("%(name)s (general)") % {"name": root.name}
            groups[root.pk].insert(0, (str(category.pk), label))
        else:
            groups[root.pk].append((str(category.pk), path_below(category, root)))
    return [(root.name, groups[root.pk]) for root in roots]


class ObjectField(forms.ChoiceField):
    """A select over objects already read (no query when rendered); cleans to the object."""

    widget = FastSelect

    def __init__(self, *, source: ObjectChoices, empty=EMPTY_CHOICE, **kwargs):
        self.objects = source.objects
        super().__init__(choices=[("", empty), *source.choices], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class TicketNumberField(forms.Field):
    """A ticket number as people type it: "1234" or "#1234"."""

    default_error_messages = {"invalid": _("Enter a ticket number, such as 1234.")}

    def __init__(self, **kwargs):
        attrs = {"inputmode": "numeric", "maxlength": 20, "autocomplete": "off"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = str(value or "").strip().lstrip("#").strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 15:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class TicketForm(forms.Form):
    """A form of the ticket page. Class attributes describe how it is presented."""

    url_name = ""
    legend: str | Promise = ""
    submit_label: str | Promise = _("Save")
    layout = "details"  # "details" (a disclosure), "open" (always shown) or "button"
    multipart = False
    accesskey = ""
    button_class = ""
    # Action error keys that belong to a field with another name in this form.
    aliases: dict[str, str] = {}

    def __init__(self, data=None, files=None, *, options, ticket, slot, url_args=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_{slot}_%s")
        super().__init__(data, files, **kwargs)
        self.options = options
        self.ticket = ticket
        self.slot = slot
        self.url_args = url_args
        self.build()

    def build(self) -> None:
        """Add the fields that depend on the page's options or the ticket."""

    @property
    def action_url(self) -> str:
        return self.url_for(self.ticket.pk)

    def url_for(self, ticket_id: int) -> str:
        return reverse(f"tickets:{self.url_name}", args=[ticket_id, *self.url_args])

    def markup_key(self) -> tuple | None:
        """What the markup of this form depends on besides the ticket's id and the page's
        CSRF token, the language and the reference data (the ticket page keeps the markup of
        such forms, see ticket_tags.action_form); None when it depends on more. A form that
        shows a value of the ticket puts that value in its key."""
        if self.is_bound or self.initial:
            return None
        return (type(self), self.slot, tuple(self.url_args))

    def add_action_errors(self, errors: dict) -> None:
        for key, messages in errors.items():
            field = self.aliases.get(key, key)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ButtonForm(TicketForm):
    """A one-click action: no fields, only a button."""

    layout = "button"


class AssignMeForm(ButtonForm):
    url_name = "detail-assign-me"
    submit_label = _("Assign to me")
    accesskey = "m"


class ResumeForm(ButtonForm):
    url_name = "detail-resume"
    submit_label = _("Resume")


class WatchForm(ButtonForm):
    url_name = "detail-watch"
    submit_label = _("Watch this ticket")
    button_class = "secondary"


class UnwatchForm(ButtonForm):
    url_name = "detail-unwatch"
    submit_label = _("Remove")
    button_class = "secondary"
    person: Any = None  # the watcher this button removes, named for screen readers

    def markup_key(self) -> tuple | None:
        return None  # names a person, who may be a client's contact (not reference data)


class AssignForm(TicketForm):
    url_name = "detail-assign"
    legend = _("Assign")
    submit_label = _("Assign")

    def build(self):
        self.fields["team"] = ObjectField(
            label=_("Team"), source=self.options.team_choices, required=False
        )
        self.fields["assignee"] = ObjectField(
            label=_("Technician"), source=self.options.staff_choices, required=False
        )
        self.initial.setdefault("team", str(self.ticket.team_id or ""))
        self.initial.setdefault("assignee", str(self.ticket.assignee_id or ""))

    def markup_key(self) -> tuple | None:
        if self.is_bound:
            return None
        return (type(self), self.slot, self.initial["team"], self.initial["assignee"])


class EscalateForm(TicketForm):
    url_name = "detail-escalate"
    legend = _("Escalate to another team")
    submit_label = _("Escalate")

    def build(self):
        others = self.options.team_choices.without(self.ticket.team_id)
        self.fields["team"] = ObjectField(label=_("Team"), source=others, required=True)
        self.fields["assignee"] = ObjectField(
            label=_("Technician (optional)"), source=self.options.staff_choices, required=False
        )
        self.fields["note"] = forms.CharField(
            label=_("Why (handover note)"), widget=NOTE_WIDGET, max_length=100_000
        )

    def markup_key(self) -> tuple | None:
        key = super().markup_key()
        return None if key is None else (*key, self.ticket.team_id)  # its team is left out


class EscalateUpForm(TicketForm):
    url_name = "detail-escalate-up"
    legend = _("Escalate to the supervisor")
    submit_label = _("Alert the supervisor")
    note = forms.CharField(label=_("What is at risk"), widget=NOTE_WIDGET, max_length=100_000)


class PendingForm(TicketForm):
    url_name = "detail-pending"
    legend = _("Put on hold")
    submit_label = _("Put on hold")
    until = forms.DateTimeField(
        label=_("Until (optional)"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("The ticket comes back by itself at this time."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE_WIDGET, max_length=100_000)

    def build(self):
        self.fields["reason"] = ObjectField(
            label=_("Waiting for"), source=self.options.reason_choices
        )
        self.order_fields(["reason", "until", "note"])


class PlanForm(TicketForm):
    url_name = "detail-plan"
    legend = _("Plan")
    submit_label = _("Plan")
    planned_for = forms.DateTimeField(label=_("Planned for"), widget=DATETIME_WIDGET)


class VisitForm(TicketForm):
    url_name = "detail-visit"
    legend = _("On-site visit needed")
    submit_label = _("Require a visit")
    note = forms.CharField(
        label=_("What must be done on site"),
        required=False,
        widget=NOTE_WIDGET,
        max_length=100_000,
        help_text=_("The time to intervene on site starts now."),
    )


class ArrivalForm(ButtonForm):
    url_name = "detail-arrival"
    submit_label = _("Arrived on site")


class ContractForm(TicketForm):
    """Measure the ticket against another of its client's contracts (or the default one)."""

    url_name = "detail-contract"
    legend = _("Change the service contract")
    submit_label = _("Change the contract")
    reason = forms.CharField(label=_("Why"), widget=NOTE_WIDGET, max_length=1000)

    def build(self):
        from guichet.sla.contracts import contracts_for_client

        self.fields["contract"] = ObjectField(
            label=_("Contract"),
            source=ObjectChoices.of(contracts_for_client(self.ticket.organisation_id)),
            required=True,
        )
        self.fields["reason"] = self.fields.pop("reason")  # after the contract

    def markup_key(self) -> tuple | None:
        key = super().markup_key()
        return None if key is None else (*key, self.ticket.organisation_id)


class SolveForm(TicketForm):
    url_name = "detail-solve"
    legend = _("Solve")
    submit_label = _("Propose the solution")
    solution = forms.CharField(
        label=_("Solution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=100_000,
        help_text=_("The requester reads it and accepts or refuses it. Markdown allowed."),
    )

    def build(self):
        self.fields["solution_type"] = ObjectField(
            label=_("Solution type"), source=self.options.solution_type_choices, required=False
        )
        # What changed on the ticket's assets, recorded with the solution (assets room).
        from guichet.assets.views.ticket_panel import add_solve_fields

        self.asset_fields = add_solve_fields(self)

    def markup_key(self) -> tuple | None:
        # Fields naming the ticket's own assets make the markup this ticket's.
        return None if self.asset_fields else super().markup_key()


class ReopenForm(TicketForm):
    url_name = "detail-reopen"
    legend = _("Reopen")
    submit_label = _("Reopen")
    reason = forms.CharField(label=_("Why"), widget=NOTE_WIDGET, max_length=100_000)


class CloseForm(TicketForm):
    url_name = "detail-close"
    legend = _("Close")
    submit_label = _("Close the ticket")
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE_WIDGET, max_length=100_000)


class QualificationForm(TicketForm):
    url_name = "detail-qualification"
    legend = _("Edit the qualification")
    aliases = {"priority": "major"}
    title = forms.CharField(label=_("Title"), max_length=250)
    type = forms.ChoiceField(label=_("Type"), choices=TicketType.choices, widget=FastSelect)
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=LEVEL_CHOICES, coerce=int, widget=FastSelect
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=LEVEL_CHOICES, coerce=int, widget=FastSelect
    )
    major = forms.BooleanField(label=_("Major incident (priority 6)"), required=False)
    major_reason = forms.CharField(
        label=_("Reason for the major priority"),
        required=False,
        widget=NOTE_WIDGET,
        max_length=100_000,
    )

    def build(self):
        ticket = self.ticket
        self.fields["category"] = ObjectField(
            label=_("Category"),
            source=self.options.category_choices(keep_id=ticket.category_id),
            required=False,
        )
        self.order_fields(["title", "type", "category", "impact", "urgency"])
        for name in ("title", "type", "impact", "urgency", "major_reason"):
            self.initial.setdefault(name, getattr(ticket, name))
        self.initial.setdefault("category", str(ticket.category_id or ""))
        self.initial.setdefault("major", ticket.priority == 6)


class FollowUpForm(TicketForm):
    url_name = "detail-followup"
    legend = _("Add a follow-up")
    submit_label = _("Send")
    layout = "open"
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4, "accesskey": "r"}),
        max_length=100_000,
        help_text=_("Markdown allowed. Ctrl+Enter sends."),
    )
    internal = forms.BooleanField(
        label=_("Internal note (hidden from the requester)"), required=False
    )


class TaskForm(TicketForm):
    url_name = "detail-task"
    legend = _("Add a task")
    submit_label = _("Add the task")
    description = forms.CharField(label=_("Task"), widget=NOTE_WIDGET, max_length=100_000)
    duration_minutes = forms.IntegerField(
        label=_("Time spent (minutes)"), min_value=0, max_value=100_000, initial=0
    )
    done = forms.BooleanField(label=_("Done"), required=False)


class TaskDoneForm(TicketForm):
    url_name = "detail-task-update"
    layout = "inline"
    submit_label = _("Update")
    button_class = "secondary"
    done = forms.BooleanField(label=_("Done"), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, max_value=100_000, required=False
    )


class AttachmentForm(TicketForm):
    url_name = "detail-attachment-add"
    legend = _("Attach a file")
    submit_label = _("Upload")
    multipart = True
    file = forms.FileField(label=_("File"))
    internal = forms.BooleanField(label=_("Internal (hidden from the requester)"), required=False)


class LinkForm(TicketForm):
    url_name = "detail-link"
    legend = _("Link to another ticket")
    submit_label = _("Link")
    kind = forms.ChoiceField(label=_("This ticket is"), choices=LinkKind.choices, widget=FastSelect)
    target = TicketNumberField(label=_("Ticket number"))


class MergeForm(TicketForm):
    url_name = "detail-merge"
    legend = _("Merge into another ticket")
    submit_label = _("Merge")
    button_class = "danger"
    target = TicketNumberField(
        label=_("Ticket number"),
        help_text=_("Follow-ups, tasks and files move there; this ticket closes."),
    )


class IntakeForm(forms.Form):
    """A ticket taken on the phone: the caller, the qualification and the request."""

    requester = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the caller first (search above)."),
            "invalid": _("Choose the caller first (search above)."),
        },
    )
    type = forms.ChoiceField(label=_("Type"), choices=TicketType.choices, widget=FastSelect)
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=LEVEL_CHOICES, coerce=int, widget=FastSelect
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=LEVEL_CHOICES, coerce=int, widget=FastSelect
    )
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown allowed. Ctrl+Enter creates the ticket."),
    )

    def __init__(self, *args, categories=(), **kwargs):
        kwargs.setdefault("initial", {"impact": 3, "urgency": 3})
        super().__init__(*args, **kwargs)
        self.fields["category"] = ObjectField(
            label=_("Category"),
            source=ObjectChoices({str(c.pk): c for c in categories}, category_choices(categories)),
            required=False,
        )
        self.order_fields(["requester", "type", "category", "impact", "urgency"])
        self.fields["type"].widget.attrs["accesskey"] = "q"
        self.fields["title"].widget.attrs["accesskey"] = "t"
        for name in ("impact", "urgency"):
            # The computed priority is shown as soon as impact or urgency changes.
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("tickets:intake-priority"),
                    "hx-trigger": "change",
                    "hx-target": "#priority-preview",
                    "hx-include": "#id_impact, #id_urgency",
                    # A newer choice cancels the older request: the last answer always wins.
                    "hx-sync": "#priority-preview:replace",
                }
            )

    def add_action_errors(self, errors: dict) -> None:
        for key, messages in errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
