"""The fast form renderer writes the same markup as Django's widget templates."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from guichet.lib.forms import FastRenderer, FastSelect
from guichet.tickets.choices import Priority


class Sample(forms.Form):
    text = forms.CharField(
        initial='a "quoted" <b>', widget=forms.TextInput(attrs={"autofocus": True})
    )
    number = forms.IntegerField(initial=3)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial="x & y")
    empty = forms.CharField(widget=forms.Textarea, required=False)
    flag = forms.BooleanField(initial=True, required=False)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & <a>"), ("b", "B")], initial="b")
    grouped = forms.ChoiceField(choices=[("G1", [("1", "one")]), ("G2", [("2", "two")])])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    upload = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


def normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def render_all(form_class, renderer, **kwargs) -> list[str]:
    form = form_class(renderer=renderer, **kwargs)
    return [normalise(str(form[name])) for name in form.fields]


def test_sample_widgets_match_django_templates():
    assert render_all(Sample, FastRenderer()) == render_all(Sample, DjangoTemplates())


def test_bound_values_match_too():
    data = {"text": "<script>", "number": "x", "notes": "", "choice": "a", "many": ["y"]}
    assert render_all(Sample, FastRenderer(), data=data) == render_all(
        Sample, DjangoTemplates(), data=data
    )


def page_html(client, url: str) -> str:
    html = client.get(url).content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return normalise(re.sub(r'"X-CSRFToken": "[^"]+"', "", html))


@pytest.mark.parametrize(
    "url", ["ticket", "/tickets/intake/", "/portal/new/?category=hardware-printer"]
)
def test_whole_pages_render_the_same_with_either_renderer(url, alice_client, bob, settings):
    from guichet.tickets.tests.factories import make_ticket

    if url == "ticket":
        url = f"/tickets/{make_ticket(bob).pk}/"
    client = alice_client
    if url.startswith("/portal/"):
        client.force_login(bob)
    fast = page_html(client, url)
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    assert fast == page_html(client, url)
    assert "<select" in fast or "<textarea" in fast


class Selects(forms.Form):
    """The same fields twice: Django's select, and the one that writes its options once."""

    plain = forms.ChoiceField(choices=[("", "—"), ("a", 'A & "<a>"'), ("b", "B")], initial="b")
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("G & 1", [("1", "one"), ("2", "two")]), ("G2", [("3", "three")])],
        initial="2",
    )
    optional = forms.TypedChoiceField(
        choices=[(1, "1 – low"), (2, "2 – high")], coerce=int, required=False
    )
    translated = forms.ChoiceField(choices=Priority.choices, initial=Priority.HIGH)
    with_attrs = forms.ChoiceField(
        choices=[("x", "X"), ("x", "again")], widget=forms.Select(attrs={"hx-get": "/p?a=1&b"})
    )

    def __init__(self, *args, fast: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if fast:
            for field in self.fields.values():
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.choices)


def render_selects(fast: bool, **kwargs) -> list[str]:
    form = Selects(fast=fast, renderer=DjangoTemplates(), **kwargs)
    return [normalise(str(form[name])) for name in form.fields]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a", "grouped": "3", "optional": "2", "translated": "1", "with_attrs": "x"},
        {"plain": "<nope>", "grouped": "", "optional": "", "translated": "9"},
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_fast_selects_write_what_django_writes(data, language):
    with translation.override(language):
        fast = render_selects(True, data=data)
        assert fast == render_selects(False, data=data)
    assert fast[2].count("selected") == (1 if data and data.get("optional") == "2" else 0)


def test_fast_selects_follow_the_language_of_the_request():
    with translation.override("fr"):
        french = render_selects(True)[3]
    with translation.override("en"):
        english = render_selects(True)[3]
    assert "Haute" in french and "High" in english
