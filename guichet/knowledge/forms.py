"""The knowledge screens' forms: they check the shape of the input; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import visible_organisations
from guichet.accounts.models import Organisation
from guichet.knowledge.actions.articles import MAX_TEXT_CHARS
from guichet.knowledge.choices import LANGUAGES, TEXT_FIELDS, ArticleKind, ArticleStatus, Audience
from guichet.lib.form_errors import ActionErrors
from guichet.lib.schemas import MAX_ID
from guichet.tickets.models import Category

LANGUAGE_NAMES = {"fr": _("French"), "en": _("English")}
TEXT_LABELS = {
    "title": _("Title"),
    "body": _("Text"),
    "symptom": _("Symptom"),
    "cause": _("Cause"),
    "workaround": _("Workaround"),
    "solution": _("Definitive solution"),
}
TEXT_HELP = {
    "body": _("Markdown. Show an image of this article with ![description](attachment:ID)."),
}


def _no_nul(value: str) -> str:
    return (value or "").replace("\x00", "")


class CategoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class ArticleForm(ActionErrors, forms.Form):
    """Both language versions of every text field, the qualification and a change note."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices, widget=forms.RadioSelect)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Audience.choices, widget=forms.RadioSelect
    )
    keywords = forms.CharField(label=_("Keywords"), max_length=500, required=False)
    software = forms.CharField(label=_("Affected software"), max_length=500, required=False)
    categories = CategoryChoice(
        label=_("Categories"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a public FAQ article: only these clients see it. None: every client."),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    note = forms.CharField(
        label=_("Change note"),
        max_length=250,
        required=False,
        help_text=_("What changed and why, for the history."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["categories"].queryset = Category.objects.filter(active=True).select_related(
            "parent"
        )
        self.fields["organisations"].queryset = visible_organisations(user).order_by("name")
        for name in TEXT_FIELDS:
            for language in LANGUAGES:
                label = f"{TEXT_LABELS[name]} ({LANGUAGE_NAMES[language]})"
                if name == "title":
                    field = forms.CharField(label=label, max_length=250, required=False)
                else:
                    field = forms.CharField(
                        label=label,
                        max_length=MAX_TEXT_CHARS,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 12 if name == "body" else 4}),
                        help_text=TEXT_HELP.get(name, ""),
                    )
                field.widget.attrs["lang"] = language
                self.fields[f"{name}_{language}"] = field

    @staticmethod
    def initial_of(article) -> dict:
        if article is None:
            return {"kind": ArticleKind.ARTICLE, "audience": Audience.INTERNAL}
        initial = {
            name: getattr(article, name) for name in ("kind", "audience", "keywords", "software")
        }
        for name in TEXT_FIELDS:
            for language in LANGUAGES:
                initial[f"{name}_{language}"] = getattr(article, f"{name}_{language}")
        initial["categories"] = list(article.categories.values_list("pk", flat=True))
        initial["organisations"] = list(article.organisations.values_list("pk", flat=True))
        return initial

    def pair(self, name: str) -> list:
        return [self[f"{name}_{language}"] for language in LANGUAGES]

    def pairs(self, names) -> list[list]:
        return [self.pair(name) for name in names]

    def values(self, article=None) -> dict:
        """The action's arguments. Organisations the editor does not serve are kept as they
        were: a technician cannot see, so must not silently drop, another client's choice."""
        data = self.cleaned_data
        values: dict = {
            name: _no_nul(data[name]) for name in ("kind", "audience", "keywords", "software")
        }
        for name in TEXT_FIELDS:
            for language in LANGUAGES:
                values[f"{name}_{language}"] = _no_nul(data[f"{name}_{language}"])
        values["categories"] = list(data["categories"])
        chosen = list(data["organisations"])
        if article is not None:
            hidden = article.organisations.exclude(pk__in=visible_organisations(self.user))
            chosen += list(hidden)
        values["organisations"] = chosen
        values["note"] = _no_nul(data["note"])
        return values


class FilterForm(forms.Form):
    """The list's filters, shown as the query string asked (unknown values are ignored)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ArticleKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ArticleStatus.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("All")), *Audience.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    missing = forms.ChoiceField(
        label=_("Missing version"),
        required=False,
        choices=[("", _("Any")), ("en", _("No English version")), ("fr", _("No French version"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(active=True).select_related("parent")
        self.fields["category"].choices = [
            ("", _("All")),
            *((c.code, c.full_name) for c in categories),
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ArticleStatus.choices)
    note = forms.CharField(max_length=250, required=False)


class UploadForm(ActionErrors, forms.Form):
    file = forms.FileField(label=_("File or image"))


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Helpful")), ("no", _("Not helpful"))],
        coerce=lambda value: value == "yes",
    )


class LinkForm(ActionErrors, forms.Form):
    article = forms.IntegerField(label=_("Article number"), min_value=1, max_value=MAX_ID)
    solved = forms.BooleanField(label=_("This article solved the ticket"), required=False)
