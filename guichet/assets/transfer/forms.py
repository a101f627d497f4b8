"""The import page's upload form."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.access import organisation_names
from guichet.assets.transfer.reading import MAX_BYTES, MAX_LINES
from guichet.lib.forms import FastSelect


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation of new assets"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
        help_text=gettext_lazy("For the lines that name no organisation."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "import-%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8 or Windows-1252 text, columns separated by commas or semicolons, at most "
            "%(mb)d MB and %(lines)d lines."
        ) % {"mb": MAX_BYTES // 1024 // 1024, "lines": MAX_LINES}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("None: every new asset's line names it")),
            *organisation_names(user),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB: split it.")
                % {"mb": MAX_BYTES // 1024 // 1024}
            )
        return upload
