"""Portal forms. They check the shape of the input; the ticket actions check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Location
from guichet.lib.errors import InvalidInput
from guichet.portal.wording import AFFECTED_CHOICES, SATISFACTION_CHOICES, URGENCY_CHOICES
from guichet.tickets.choices import TicketType

TYPE_CHOICES = [
    (TicketType.INCIDENT, _("Something is broken")),
    (TicketType.REQUEST, _("I need something")),
]


class ActionErrorsMixin:
    """Puts an action's field errors next to the matching field, the others on top."""

    def add_action_errors(self, error: InvalidInput, renames: dict[str, str] | None = None):
        renames = renames or {}
        for field, messages in error.errors.items():
            name = renames.get(field, field)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)  # type: ignore[attr-defined]


class TicketForm(ActionErrorsMixin, forms.Form):
    type = forms.ChoiceField(
        label=_("What is it about?"), choices=TYPE_CHOICES, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("In a few words"),
        max_length=250,
        help_text=_("For example: “The printer on the 2nd floor jams”."),
    )
    description = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, since when, any error message. Markdown is accepted."),
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"),
        choices=URGENCY_CHOICES,
        coerce=int,
        initial=3,
        widget=forms.RadioSelect,
    )
    affected = forms.ChoiceField(
        label=_("How many people are affected?"),
        choices=AFFECTED_CHOICES,
        initial="me",
        widget=forms.RadioSelect,
    )
    location = forms.ModelChoiceField(
        label=_("Where?"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Not at a particular site"),
    )
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("A screenshot, a photo or a document: PDF, image, text, office file."),
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        if not locations.exists():
            del self.fields["location"]


class ReplyForm(ActionErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(label=_("Attach a file"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("Write a message or choose a file."))
        return data


class RefuseForm(ActionErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is still not working?"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RatingForm(ActionErrorsMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how this request was handled?"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("A comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
