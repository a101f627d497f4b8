"""Forms of the mail channel's screens: mailboxes, templates and everyone's preferences.

They parse what people type and check its shape; the actions in `guichet.mail.actions.admin`
decide the rest, and `add_action_errors` places their refusals next to the fields.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Team
from guichet.lib.form_errors import ActionErrors
from guichet.mail.choices import REQUESTER_KINDS, STAFF_KINDS, MailKind, Security
from guichet.mail.models import MB, Mailbox
from guichet.mail.render import SUBJECT_LIMIT
from guichet.tickets.models import Category

# Field names of the action that the form spells differently (sizes are typed in MB).
MAILBOX_RENAMES = {
    "max_message_bytes": "max_message_mb",
    "max_attachment_bytes": "max_attachment_mb",
}


def to_mb(size: int) -> Decimal:
    """Bytes as the MB figure the form shows: 26214400 → 25, 1572864 → 1.5."""
    return (Decimal(size) / MB).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()


def to_bytes(mb: Decimal) -> int:
    return int((mb * MB).to_integral_value(rounding=ROUND_HALF_UP))


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class MailboxForm(ActionErrors, forms.Form):
    renames = MAILBOX_RENAMES

    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.EmailField(
        label=_("Address"),
        max_length=254,
        help_text=_("Replies are sent from and to this address."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("— none —"),
        help_text=_("The team the tickets opened from this mailbox go to."),
    )
    category = CategoryChoice(
        label=_("Default category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    is_default = forms.BooleanField(
        label=_("Default mailbox"),
        required=False,
        help_text=_(
            "Used by the pipe entry point when no mailbox is named, and for mail about "
            "tickets that did not come in by mail."
        ),
    )
    accept_unknown = forms.BooleanField(
        label=_("Accept unknown senders"),
        required=False,
        initial=True,
        help_text=_("Create a contact for an unknown sender; otherwise answer with a refusal."),
    )
    imap_host = forms.CharField(
        label=_("IMAP server"),
        max_length=200,
        required=False,
        help_text=_("Leave blank when the mail server pipes messages to Guichet instead."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    imap_port = forms.IntegerField(
        label=_("IMAP port"),
        initial=993,
        widget=forms.NumberInput(attrs={"min": 1, "max": 65535}),
    )
    imap_security = forms.ChoiceField(
        label=_("Security"), choices=Security.choices, initial=Security.SSL
    )
    imap_username = forms.CharField(
        label=_("IMAP user"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("IMAP password"),
        max_length=1000,
        required=False,
        strip=False,
        # Never sent back to the browser, and never filled in with the administrator's own.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_password = forms.BooleanField(label=_("Clear the stored password"), required=False)
    imap_folder = forms.CharField(label=_("Folder"), max_length=200, initial="INBOX")
    imap_done_folder = forms.CharField(
        label=_("Move processed messages to"),
        max_length=200,
        required=False,
        help_text=_("Empty: processed messages are only marked as read."),
    )
    max_message_mb = forms.DecimalField(
        label=_("Largest message (MB)"),
        initial=25,
        min_value=Decimal("0.01"),
        max_value=Decimal(100_000),
        decimal_places=2,
        help_text=_("A larger message is quarantined."),
    )
    max_attachment_mb = forms.DecimalField(
        label=_("Largest attachment kept (MB)"),
        initial=10,
        min_value=Decimal("0.01"),
        max_value=Decimal(100_000),
        decimal_places=2,
        help_text=_("Larger attachments are left out of the ticket (the original is kept)."),
    )
    rate_limit = forms.IntegerField(
        label=_("Messages per sender and hour"),
        initial=20,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Beyond this, a sender's messages are held back (0: no limit)."),
    )

    def __init__(self, *args, mailbox: Mailbox | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mailbox = mailbox
        category = self.fields["category"]
        # Active categories, and the one already chosen even if it was retired since.
        chosen = Q(pk=mailbox.category_id) if mailbox and mailbox.category_id else Q(pk__in=[])
        category.queryset = Category.objects.select_related("parent").filter(  # type: ignore[attr-defined]
            Q(active=True) | chosen
        )
        password = self.fields["password"]
        if mailbox is not None and mailbox.imap_password:
            password.help_text = _("A password is stored. Leave blank to keep it.")
        else:
            password.help_text = _("No password is stored.")
            del self.fields["clear_password"]

    @staticmethod
    def initial_of(mailbox: Mailbox | None) -> dict:
        if mailbox is None:
            return {}
        return {
            "name": mailbox.name,
            "address": mailbox.address,
            "team": mailbox.team_id,
            "category": mailbox.category_id,
            "active": mailbox.active,
            "is_default": mailbox.is_default,
            "accept_unknown": mailbox.accept_unknown,
            "imap_host": mailbox.imap_host,
            "imap_port": mailbox.imap_port,
            "imap_security": mailbox.imap_security,
            "imap_username": mailbox.imap_username,
            "imap_folder": mailbox.imap_folder,
            "imap_done_folder": mailbox.imap_done_folder,
            "max_message_mb": to_mb(mailbox.max_message_bytes),
            "max_attachment_mb": to_mb(mailbox.max_attachment_bytes),
            "rate_limit": mailbox.rate_limit,
        }

    def clean(self):
        data = super().clean()
        if data.get("clear_password") and data.get("password"):
            self.add_error(
                "password", _("Either type a new password or clear the stored one, not both.")
            )
        return data

    def values(self) -> dict:
        """What `save_mailbox` takes, sizes in bytes."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "address": data["address"],
            "team": data["team"],
            "category": data["category"],
            "active": data["active"],
            "is_default": data["is_default"],
            "accept_unknown": data["accept_unknown"],
            "imap_host": data["imap_host"].strip(),
            "imap_port": data["imap_port"],
            "imap_security": data["imap_security"],
            "imap_username": data["imap_username"].strip(),
            "imap_folder": data["imap_folder"].strip(),
            "imap_done_folder": data["imap_done_folder"].strip(),
            "max_message_bytes": to_bytes(data["max_message_mb"]),
            "max_attachment_bytes": to_bytes(data["max_attachment_mb"]),
            "rate_limit": data["rate_limit"],
        }

    def password_change(self) -> str | None:
        """None keeps the stored password, "" clears it, anything else replaces it."""
        if self.cleaned_data.get("clear_password"):
            return ""
        return self.cleaned_data.get("password") or None

    def connection_fields(self) -> list:
        names = ("imap_host", "imap_port", "imap_security", "imap_username", "password")
        return [self[name] for name in names]


class TemplateForm(ActionErrors, forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_LIMIT,
        strip=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "size": 80}),
        help_text=_("The ticket's reference, e.g. [#4821], is put in front automatically."),
    )
    body = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
    )


# How the preferences page words each kind: what happens, seen from the person who gets it.
PREFERENCE_LABELS = {
    MailKind.ACKNOWLEDGEMENT: _("My request is registered"),
    MailKind.REPLY: _("Someone replies to my request"),
    MailKind.SOLUTION: _("A solution is proposed for my request"),
    MailKind.CLOSURE: _("My request is closed (with a satisfaction survey)"),
    MailKind.ASSIGNED: _("A ticket is assigned to me"),
    MailKind.FOLLOWUP: _("A requester replies on a ticket I handle"),
    MailKind.ESCALATED: _("A ticket is escalated to my team"),
    MailKind.ESCALATED_UP: _("A ticket is escalated to me for a decision"),
    MailKind.REFUSED: _("A requester refuses a proposed solution"),
    MailKind.SLA: _("A ticket's service level is at risk"),
}


def offered_kinds(user) -> tuple[str, ...]:
    """The kinds of mail a person may turn off: staff also get mail about the tickets they
    handle."""
    kinds = REQUESTER_KINDS + STAFF_KINDS if user.is_support_staff else REQUESTER_KINDS
    return tuple(kind.value for kind in kinds)


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me an email when…"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offered: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = offered
        self.fields["kinds"].choices = [  # type: ignore[attr-defined]
            (kind, PREFERENCE_LABELS[MailKind(kind)]) for kind in offered
        ]
