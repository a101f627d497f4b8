"""Forms of the asset screens. They check the shape of what was typed and offer only what the
user may see (organisations, their sites and people); the actions decide the rest, and
`add_action_errors` puts their refusals next to the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import organisation_names, visible_users
from guichet.assets import queries
from guichet.assets.choices import SUBTYPES, AssetKind, AssetState, AssetSubtype
from guichet.assets.models import Asset
from guichet.lib.form_errors import ActionErrors
from guichet.lib.forms import FastSelect

MAX_ID = 2**63 - 1
CUSTOM_FIELDS_MAX = 100
CUSTOM_NAME_MAX = 100
NOTE_MAX = 10_000
TEXT_MAX = 100_000
PHONE_FIELDS = ("extension", "imei", "line_number")
COMPUTER_FIELDS = ("os_name", "os_version", "os_arch", "domain", "memory_mb")
OTHER_FIELDS = ("custom_fields",)
# The fields only some types have, by type.
KIND_FIELDS = {
    AssetKind.PHONE: PHONE_FIELDS,
    AssetKind.COMPUTER: COMPUTER_FIELDS,
    AssetKind.OTHER: OTHER_FIELDS,
}
NONE = "none"  # "no location", "nobody": clears the field


def _max(name: str) -> int:
    return getattr(Asset._meta.get_field(name), "max_length", None) or 255


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def subtype_choices() -> list:
    """Subtypes grouped under the type they belong to (the only ones the action accepts)."""
    return [
        (kind.label, [(s.value, s.label) for s in AssetSubtype if s in SUBTYPES[kind]])
        for kind in (AssetKind.COMPUTER, AssetKind.PHONE)
    ]


def parse_custom_fields(text: str) -> dict[str, str]:
    """Lines of "name: value" into a dict; blank lines are skipped."""
    fields: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name:
            raise ValidationError(_("Line %(n)d: write “name: value”.") % {"n": number})
        if len(name) > CUSTOM_NAME_MAX:
            raise ValidationError(
                _("Line %(n)d: a name has at most %(max)d characters.")
                % {"n": number, "max": CUSTOM_NAME_MAX}
            )
        if name in fields:
            raise ValidationError(
                _("Line %(n)d: “%(name)s” is given twice.") % {"n": number, "name": name}
            )
        fields[name] = value
    if len(fields) > CUSTOM_FIELDS_MAX:
        raise ValidationError(_("At most %(n)d custom fields.") % {"n": CUSTOM_FIELDS_MAX})
    return fields


def format_custom_fields(values) -> str:
    if not isinstance(values, dict):
        return ""
    return "\n".join(f"{name}: {value}" for name, value in values.items())


def _with_blank(label, choices) -> list:
    return [("", label), *choices]


def _offer(form: forms.Form, name: str, choices: list) -> None:
    """The choices of a select, read for this user and this request."""
    form.fields[name].choices = choices  # type: ignore[attr-defined]


def _organisation_field(label, blank_label, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=required, coerce=int, empty_value=None,
        choices=[("", blank_label)], widget=FastSelect,
    )  # fmt: skip


class FilterForm(forms.Form):
    """The list's filters (a GET form): any bad value is an error message, never a 500."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name, or the start of a serial or inventory number."),
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, widget=FastSelect,
        choices=_with_blank(_("Any type"), AssetKind.choices),
    )  # fmt: skip
    subtype = forms.ChoiceField(
        label=_("Subtype"), required=False, widget=FastSelect,
        choices=_with_blank(_("Any subtype"), subtype_choices()),
    )  # fmt: skip
    state = forms.ChoiceField(
        label=_("State"), required=False, widget=FastSelect,
        choices=_with_blank(_("Any state"), AssetState.choices),
    )  # fmt: skip
    organisation = _organisation_field(_("Organisation"), _("Any organisation"), False)
    location = forms.TypedChoiceField(
        label=_("Location"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    user = forms.ChoiceField(label=_("Assigned user"), required=False, widget=FastSelect)
    manufacturer = forms.TypedChoiceField(
        label=_("Manufacturer"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    warranty_ended = forms.BooleanField(label=_("Warranty ended"), required=False)
    not_seen = forms.IntegerField(
        label=_("Not seen by its agent for (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Machines whose last inventory is older than this."),
    )
    flagged = forms.BooleanField(label=_("Has flagged changes"), required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        _offer(self, "organisation", _with_blank(_("Any organisation"), organisation_names(user)))
        _offer(self, "location", _with_blank(_("Any location"), queries.location_choices(user)))
        _offer(
            self, "manufacturer", _with_blank(_("Any manufacturer"), queries.manufacturer_choices())
        )
        _offer(self, "user", self._people(user))

    def _people(self, user) -> list:
        """The people offered: "me", "nobody", the staff, and the people of the organisation
        filtered on (all the contacts of every client would make the page heavy); a person
        given by a link is offered too when `user` may see them."""
        organisation = self.data.get("organisation", "")
        chosen = self.data.get("user", "")
        ids = [int(organisation)] if organisation.isdigit() and int(organisation) <= MAX_ID else []
        groups = queries.people_choices(user, ids)
        # The bulk form of the same page offers the same people (`list_page.bulk_people`).
        self.people_read = (tuple(ids), groups)
        choices: list = [("", _("Anyone")), ("me", _("Me")), (NONE, _("Nobody")), *groups]
        offered = {str(pk) for _group, people in groups for pk, _name in people}
        if chosen.isdigit() and int(chosen) <= MAX_ID and chosen not in offered:
            person = visible_users(user).filter(pk=int(chosen)).first()
            if person is not None:
                choices.append((person.pk, person.display_name))
        return choices

    def filters(self) -> queries.AssetFilter:
        data = self.cleaned_data
        raw_user = data["user"]
        user: int | str | None = None
        if raw_user in ("me", NONE):
            user = raw_user
        elif raw_user:
            user = int(raw_user)
        return queries.AssetFilter(
            q=data["q"].strip(),
            kind=data["kind"],
            subtype=data["subtype"],
            state=data["state"],
            organisation=data["organisation"],
            location=data["location"],
            user=user,
            manufacturer=data["manufacturer"],
            warranty_ended=data["warranty_ended"],
            not_seen_days=data["not_seen"],
            flagged=data["flagged"],
        )


BULK_CHANGES = (
    ("state", _("State")),
    ("location", _("Location")),
    ("user", _("Assigned user")),
    ("organisation", _("Organisation")),
)


class BulkForm(forms.Form):
    """One change for the selected assets; only the value of the chosen change is read."""

    change = forms.ChoiceField(choices=BULK_CHANGES)
    state = forms.ChoiceField(
        label=_("New state"), required=False, widget=FastSelect,
        choices=_with_blank(_("Choose a state"), AssetState.choices),
    )  # fmt: skip
    location = forms.ChoiceField(label=_("New location"), required=False, widget=FastSelect)
    user = forms.CharField(label=_("New assigned user"), required=False, max_length=20)
    organisation = _organisation_field(_("New organisation"), _("Choose an organisation"), False)

    def __init__(self, *args, user, people=(), **kwargs):
        kwargs.setdefault("auto_id", "b-%s")
        super().__init__(*args, **kwargs)
        self.viewer = user
        _offer(
            self, "organisation", _with_blank(_("Choose an organisation"), organisation_names(user))
        )
        locations = queries.location_choices(user)
        _offer(
            self, "location", [("", _("Choose a location")), (NONE, _("No location")), *locations]
        )
        # The people offered are the view's choice; any person `user` may see is accepted.
        self.fields["user"].widget = FastSelect(
            choices=[("", _("Choose a person")), (NONE, _("Nobody")), *people]
        )

    def clean_user(self):
        raw = self.cleaned_data["user"]
        if raw in ("", NONE):
            return raw
        if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
            raise ValidationError(_("Choose someone from the list."))
        if not visible_users(self.viewer).filter(pk=int(raw)).exists():
            raise ValidationError(_("Choose someone from the list."))
        return int(raw)

    def clean(self):
        data = super().clean()
        change = data.get("change")
        if change and data.get(change) in ("", None):
            self.add_error(change, _("Choose the new value."))
        return data

    def values(self) -> dict:
        """The action's keyword arguments: the chosen field and its new value."""
        change = self.cleaned_data["change"]
        value = self.cleaned_data[change]
        if value == NONE:
            value = None
        elif change == "location":
            value = int(value)
        return {change: value}


class AssetForm(ActionErrors, forms.Form):
    """Create or edit an asset. The fields of one type only (phone, operating system, custom
    fields) are sent to the action for that type; the others are kept as they are."""

    name = forms.CharField(label=_("Name"), max_length=_max("name"))
    kind = forms.ChoiceField(label=_("Type"), choices=AssetKind.choices, widget=FastSelect)
    subtype = forms.ChoiceField(
        label=_("Subtype"), required=False, widget=FastSelect,
        choices=_with_blank(_("None"), subtype_choices()),
    )  # fmt: skip
    inventory_number = forms.CharField(
        label=_("Inventory number"), required=False, max_length=_max("inventory_number")
    )
    serial = forms.CharField(label=_("Serial number"), required=False, max_length=_max("serial"))
    uuid = forms.CharField(label=_("UUID"), required=False, max_length=_max("uuid"))
    manufacturer = forms.CharField(
        label=_("Manufacturer"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"list": "manufacturer-names", "autocomplete": "off"}),
    )  # fmt: skip
    model = forms.CharField(label=_("Model"), required=False, max_length=_max("model"))
    organisation = _organisation_field(_("Organisation"), _("Choose an organisation"), True)
    location = forms.TypedChoiceField(
        label=_("Location"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    user = forms.TypedChoiceField(
        label=_("Assigned user"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    state = forms.ChoiceField(
        label=_("State"), choices=AssetState.choices, initial=AssetState.IN_USE, widget=FastSelect
    )
    purchase_date = forms.DateField(label=_("Purchase date"), required=False, widget=_date_input())
    supplier = forms.CharField(
        label=_("Supplier"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"list": "supplier-names", "autocomplete": "off"}),
    )  # fmt: skip
    purchase_price = forms.DecimalField(
        label=_("Purchase price"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    invoice_reference = forms.CharField(
        label=_("Invoice reference"), required=False, max_length=_max("invoice_reference")
    )
    warranty_end = forms.DateField(label=_("Warranty end"), required=False, widget=_date_input())
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    extension = forms.CharField(label=_("Extension"), required=False, max_length=_max("extension"))
    imei = forms.CharField(label=_("IMEI"), required=False, max_length=_max("imei"))
    line_number = forms.CharField(
        label=_("Line number"), required=False, max_length=_max("line_number")
    )
    os_name = forms.CharField(
        label=_("Operating system"), required=False, max_length=_max("os_name")
    )
    os_version = forms.CharField(
        label=_("OS version"), required=False, max_length=_max("os_version")
    )
    os_arch = forms.CharField(label=_("Architecture"), required=False, max_length=_max("os_arch"))
    domain = forms.CharField(label=_("Domain"), required=False, max_length=_max("domain"))
    memory_mb = forms.IntegerField(
        label=_("Memory (MB)"), required=False, min_value=0, max_value=2**31 - 1
    )
    custom_fields = forms.CharField(
        label=_("Custom fields"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: “name: value”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(
            self, "organisation", _with_blank(_("Choose an organisation"), organisation_names(user))
        )
        _offer(self, "location", _with_blank(_("No location"), queries.location_choices(user)))
        _offer(self, "user", _with_blank(_("Nobody"), queries.people_choices(user)))

    def clean_custom_fields(self) -> dict[str, str]:
        return parse_custom_fields(self.cleaned_data["custom_fields"])

    def current_kind(self) -> str:
        """The type the form is about: as typed, else as it was."""
        if self.is_bound:
            return str(self.data.get("kind", ""))
        return str(self.initial.get("kind", "") or AssetKind.COMPUTER)

    def values(self) -> dict:
        """The action's keyword arguments for the chosen type."""
        data = self.cleaned_data
        kind = data["kind"]
        own = {name for fields in KIND_FIELDS.values() for name in fields}
        values = {name: value for name, value in data.items() if name not in own}
        for name in KIND_FIELDS.get(kind, ()):
            values[name] = data[name]
        if kind not in SUBTYPES:
            values["subtype"] = ""
        return values


def initial_for(asset: Asset) -> dict:
    """An asset's values as the form shows them."""
    initial = {name: getattr(asset, name) for name in AssetForm.base_fields}
    initial.update(
        manufacturer=asset.manufacturer.name if asset.manufacturer else "",
        supplier=asset.supplier.name if asset.supplier else "",
        organisation=asset.organisation_id,
        location=asset.location_id,
        user=asset.user_id,
        custom_fields=format_custom_fields(asset.custom_fields),
    )
    return initial


class NoteForm(ActionErrors, forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)


class UploadForm(ActionErrors, forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload-%s")
        super().__init__(*args, **kwargs)


class SavedViewForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(label=_("Filters"), required=False, max_length=1000)
