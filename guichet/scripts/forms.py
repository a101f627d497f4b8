"""The scripts' forms: settings and tree (JSON or YAML text, or a file), and the import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.lib.form_errors import ActionErrors
from guichet.scripts import tree
from guichet.tickets.models import Category

FILE_MAX = 256 * 1024


def _read(text: str, fmt: str = "") -> dict:
    try:
        return tree.parse(text, fmt)
    except tree.TreeError as error:
        raise forms.ValidationError(str(error)) from None


class ScriptForm(ActionErrors, forms.Form):
    """A script's settings and its tree; saving a changed tree makes a new version."""

    code = forms.SlugField(label=_("Code"), max_length=64, required=False)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_fr = forms.CharField(
        label=_("Description (French)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False)
    in_portal = forms.BooleanField(
        label=_("Offered in the portal as self-diagnosis"), required=False
    )
    definition = forms.CharField(
        label=_("Tree (JSON or YAML)"),
        max_length=tree.SIZE_MAX,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text=_("{“start”: node id, “nodes”: {id: node}}; see the current version below."),
    )
    note = forms.CharField(label=_("Change note"), max_length=250, required=False)

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.filter(active=True).order_by("code")
        )
        if creating:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean_definition(self) -> dict:
        return _read(self.cleaned_data["definition"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Script file (JSON or YAML)"),
        help_text=_("A file downloaded from a script page, or written by hand."),
    )
    note = forms.CharField(label=_("Change note"), max_length=250, required=False)

    def clean_file(self) -> dict:
        upload = self.cleaned_data["file"]
        if upload.size > FILE_MAX:
            raise forms.ValidationError(
                _("The file is too large (at most %(kb)s KB).") % {"kb": FILE_MAX // 1024}
            )
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        return _read(text, "yaml" if upload.name.lower().endswith((".yaml", ".yml")) else "")
