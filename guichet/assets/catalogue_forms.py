"""Forms of the catalogue screens: they check the shape of what was typed; the actions decide
the rest and `add_action_errors` puts their refusals next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import organisation_names
from guichet.assets.catalogue_queries import (
    ContractFilter,
    LicenceFilter,
    SoftwareFilter,
    people_of,
)
from guichet.assets.choices import ContractKind, LicenceKind
from guichet.assets.models import Product, Publisher, Supplier
from guichet.lib.form_errors import ActionErrors
from guichet.lib.forms import FastSelect

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEARCH = forms.TextInput(attrs={"type": "search"})
ID_MAX = 2**63 - 1


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.publisher.name})" if obj.publisher_id else obj.name


def _products():
    return Product.objects.select_related("publisher").order_by("name", "pk")


def _organisation_choices(user, blank) -> list[tuple[str, str]]:
    return [("", blank), *((str(pk), name) for pk, name in organisation_names(user))]


def _organisation_id(raw: str) -> int | None:
    return int(raw) if raw else None


class SoftwareFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200, widget=SEARCH)
    publisher = forms.ModelChoiceField(
        label=_("Publisher"),
        queryset=Publisher.objects.all(),
        required=False,
        empty_label=_("Any"),
        widget=FastSelect,
    )
    hidden = forms.BooleanField(label=_("Show hidden products"), required=False)

    def filters(self) -> SoftwareFilter:
        data = self.cleaned_data
        publisher = data["publisher"]
        return SoftwareFilter(
            q=data["q"].strip(),
            publisher=publisher.pk if publisher else None,
            hidden=data["hidden"],
        )


class MergeForm(ActionErrors, forms.Form):
    target = ProductChoice(
        label=_("Merge into"), queryset=Product.objects.none(), empty_label="—", widget=FastSelect
    )

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _products().exclude(pk=product.pk)


class AliasForm(ActionErrors, forms.Form):
    product = ProductChoice(
        label=_("Existing product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label="—",
        widget=FastSelect,
    )
    new_name = forms.CharField(label=_("Or a new product named"), required=False, max_length=255)
    new_publisher = forms.CharField(
        label=_("Publisher of the new product"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _products()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=SEARCH)


class LicenceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or product"), required=False, max_length=200, widget=SEARCH)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *LicenceKind.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _organisation_choices(user, _("Any"))

    def filters(self) -> LicenceFilter:
        data = self.cleaned_data
        return LicenceFilter(
            q=data["q"].strip(),
            organisation=_organisation_id(data["organisation"]),
            kind=data["kind"],
        )


class LicenceForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    product = ProductChoice(
        label=_("Software product"), queryset=Product.objects.none(), widget=FastSelect
    )
    organisation = forms.ChoiceField(label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Type"), choices=LicenceKind.choices)
    seats = forms.IntegerField(
        label=_("Seats"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text=_("Empty for a site licence."),
    )
    key = forms.CharField(
        label=_("Licence key"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    clear_key = forms.BooleanField(label=_("Remove the saved key"), required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Supplier.objects.all(),
        required=False,
        empty_label=_("None"),
        widget=FastSelect,
    )
    purchase_price = forms.DecimalField(
        label=_("Purchase price"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10_000, widget=TEXTAREA)

    def __init__(self, *args, user, may_set_key: bool, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        product = self.fields["product"]
        assert isinstance(product, forms.ModelChoiceField)
        product.queryset = _products()
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = _organisation_choices(user, "—")
        if not may_set_key:
            del self.fields["key"]
        if not may_set_key or not editing:
            del self.fields["clear_key"]
        elif "key" in self.fields:
            self.fields["key"].help_text = _("Leave empty to keep the saved key.")

    def values(self) -> dict:
        """The action's keyword arguments; an empty key on an edit keeps the saved one."""
        values = {k: v for k, v in self.cleaned_data.items() if k != "clear_key"}
        if not values.get("key"):
            values.pop("key", None)
        if self.cleaned_data.get("clear_key"):
            values["key"] = ""
        return values


class MachineSeatForm(ActionErrors, forms.Form):
    asset = forms.CharField(
        label=_("Machine"),
        max_length=200,
        help_text=_("Its reference (AS-12), inventory number, serial number or name."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "seat-%s")
        super().__init__(*args, **kwargs)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PersonSeatForm(ActionErrors, forms.Form):
    user = PersonChoice(
        label=_("Person"), queryset=people_of(0), empty_label="—", widget=FastSelect
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        kwargs.setdefault("auto_id", "person-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people_of(organisation_id)


class ContractFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), required=False, max_length=200, widget=SEARCH)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *ContractKind.choices]
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    ending_within = forms.IntegerField(
        label=_("Ending within (days)"), required=False, min_value=0, max_value=3660
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _organisation_choices(user, _("Any"))

    def filters(self) -> ContractFilter:
        data = self.cleaned_data
        return ContractFilter(
            q=data["q"].strip(),
            kind=data["kind"],
            organisation=_organisation_id(data["organisation"]),
            ending_within=data["ending_within"],
        )


class ContractForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=ContractKind.choices)
    number = forms.CharField(label=_("Contract number"), required=False, max_length=100)
    organisation = forms.ChoiceField(label=_("Organisation"))
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Supplier.objects.all(),
        required=False,
        empty_label=_("None"),
        widget=FastSelect,
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE)
    notice_days = forms.IntegerField(
        label=_("Notice period (days)"), min_value=0, max_value=3660, initial=0
    )
    alert_days = forms.IntegerField(
        label=_("Alert before the end (days)"), min_value=0, max_value=3660, initial=30
    )
    price = forms.DecimalField(
        label=_("Price"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10_000, widget=TEXTAREA)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _organisation_choices(user, "—")

    def values(self) -> dict:
        return dict(self.cleaned_data)


class CoverForm(ActionErrors, forms.Form):
    asset = forms.CharField(
        label=_("Machine"),
        max_length=200,
        help_text=_("Its reference (AS-12), inventory number, serial number or name."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cover-%s")
        super().__init__(*args, **kwargs)


class SupplierForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10_000, widget=TEXTAREA)

    def values(self) -> dict:
        return dict(self.cleaned_data)
