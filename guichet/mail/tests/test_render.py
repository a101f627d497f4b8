"""Rendering mail from the defaults and from administrators' templates, safely."""

import html as html_module
import re

import pytest
from django.template import TemplateSyntaxError
from django.utils import translation

from guichet.mail import render as rendering
from guichet.mail.choices import MailKind
from guichet.mail.defaults import DEFAULTS
from guichet.mail.render import (
    EXAMPLE_CONTEXT,
    Rendered,
    TemplateInvalid,
    example_context,
    render,
    validate,
)

KINDS = [kind.value for kind in MailKind]
LANGUAGES = ["fr", "en"]
TICKET = EXAMPLE_CONTEXT["ticket"]

# What each mail must tell its reader, whatever the language.
KEY_VALUES = {
    "acknowledgement": [TICKET["reference"], TICKET["title"], TICKET["url"]],
    "reply": [EXAMPLE_CONTEXT["author"], "remplacer l'unité de fusion", TICKET["url"]],
    "solution": [
        EXAMPLE_CONTEXT["solution"],
        EXAMPLE_CONTEXT["accept_url"],
        EXAMPLE_CONTEXT["refuse_url"],
        EXAMPLE_CONTEXT["expires"],
    ],
    "closure": [TICKET["reference"], EXAMPLE_CONTEXT["satisfaction_url"]],
    "refusal": [EXAMPLE_CONTEXT["reason"]],
    "assigned": [TICKET["reference"], EXAMPLE_CONTEXT["author"], EXAMPLE_CONTEXT["note"]],
    "followup": [TICKET["reference"], "remplacer l'unité de fusion", TICKET["url"]],
    "escalated": [TICKET["reference"], TICKET["priority"], TICKET["url"]],
    "escalated_up": [TICKET["reference"], EXAMPLE_CONTEXT["author"], TICKET["url"]],
    "refused": [TICKET["reference"], "remplacer l'unité de fusion", TICKET["url"]],
    "sla": ["remplacer l'unité de fusion", TICKET["priority"], TICKET["url"]],
}

MINIMAL_CONTEXT = {"ticket": {"reference": "#7", "title": "Écran noir"}}


def default_text(kind: str, language: str, context: dict) -> str:
    return render(kind, language, context).text


def test_it_has_defaults_for_every_kind_in_both_languages():
    assert set(DEFAULTS) == set(KINDS)
    assert set(KEY_VALUES) == set(KINDS)
    for kind in KINDS:
        assert set(DEFAULTS[kind]) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_it_renders_every_kind_with_the_example_context(kind, language):
    rendered = render(kind, language, EXAMPLE_CONTEXT, reference="#4821")

    assert isinstance(rendered, Rendered)
    assert rendered.subject.startswith("[#4821] ")
    for value in KEY_VALUES[kind]:
        assert value in rendered.text
    assert EXAMPLE_CONTEXT["recipient"]["name"] in rendered.text
    assert "{{" not in rendered.text and "{%" not in rendered.text
    assert "\n\n\n" not in rendered.text
    assert f'<html lang="{language}"' in rendered.html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_defaults_pass_their_own_validation(kind, language):
    validate(*DEFAULTS[kind][language])


@pytest.mark.parametrize("kind", KINDS)
def test_it_writes_the_two_languages_differently(kind):
    french = render(kind, "fr", EXAMPLE_CONTEXT)
    english = render(kind, "en", EXAMPLE_CONTEXT)

    assert french.subject != english.subject
    assert french.text != english.text
    assert "Bonjour" in french.text and "L'équipe support" in french.text
    assert "Hello" in english.text and "The support team" in english.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_it_leaves_no_dangling_label_when_optional_values_are_empty(kind, language):
    text = render(kind, language, MINIMAL_CONTEXT).text

    assert "None" not in text
    assert "\n\n\n" not in text
    for label in ("Note", "Client :", "Customer:", "Priorit", "Motif", "Reason", "http"):
        assert label not in text
    assert "Bonjour," in text or "Hello," in text
    assert " ," not in text and "  " not in text


def test_the_subjects_do_not_name_the_ticket_themselves():
    for kind in KINDS:
        for language in LANGUAGES:
            subject = DEFAULTS[kind][language][0]
            assert "reference" not in subject and "#" not in subject


def test_it_falls_back_to_french_for_an_unknown_language_and_reads_regional_codes():
    french = render("reply", "fr", EXAMPLE_CONTEXT)

    assert render("reply", "de", EXAMPLE_CONTEXT) == french
    assert render("reply", "", EXAMPLE_CONTEXT) == french
    assert render("reply", "en-GB", EXAMPLE_CONTEXT) == render("reply", "en", EXAMPLE_CONTEXT)


def test_it_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown mail kind"):
        render("newsletter", "fr", EXAMPLE_CONTEXT)


def test_it_escapes_markup_from_a_context_value_in_html_only():
    context = {**EXAMPLE_CONTEXT, "message": '<script>alert("x")</script><b>gras</b>'}

    rendered = render("reply", "fr", context)

    assert '<script>alert("x")</script>' in rendered.text
    assert "<script" not in rendered.html and "<b>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html and "&lt;b&gt;gras&lt;/b&gt;" in rendered.html
    assert "Cabinet Durand &amp; Associés" in render("followup", "fr", EXAMPLE_CONTEXT).html


def test_it_escapes_markup_written_in_an_override():
    override = (
        "Intervention <b>prévue</b>",
        '<p onclick="x()">Bonjour</p><script>steal()</script> {{ ticket.title }}',
    )

    rendered = render("reply", "fr", EXAMPLE_CONTEXT, override=override)

    assert rendered.text.startswith('<p onclick="x()">Bonjour</p><script>steal()</script>')
    assert "<script" not in rendered.html and "<p onclick" not in rendered.html
    assert "&lt;script&gt;steal()&lt;/script&gt;" in rendered.html
    assert "<title>Intervention &lt;b&gt;prévue&lt;/b&gt;</title>" in rendered.html


def test_it_makes_links_clickable_in_html():
    html = render("solution", "fr", EXAMPLE_CONTEXT).html

    for url in (EXAMPLE_CONTEXT["accept_url"], EXAMPLE_CONTEXT["refuse_url"]):
        assert re.search(rf'<a [^>]*href="{re.escape(url)}" rel="nofollow">', html)


def test_the_html_is_a_small_accessible_document_saying_what_the_text_says():
    rendered = render("acknowledgement", "en", EXAMPLE_CONTEXT, reference="#4821")
    html = rendered.html

    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en"' in html and '<meta charset="utf-8">' in html
    assert 'name="viewport"' in html
    assert f"<title>{rendered.subject}</title>" in html
    for external in ("<link", "<img", "<script", "src=", "<style", "url("):
        assert external not in html
    visible = re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1].split(">", 1)[1])
    visible = html_module.unescape(visible)
    assert " ".join(visible.split()) == " ".join(rendered.text.split())


def test_it_puts_the_reference_once_in_front_of_the_subject():
    rendered = render("reply", "fr", EXAMPLE_CONTEXT, reference="#4821")
    already = render(
        "reply", "fr", EXAMPLE_CONTEXT, reference="#4821", override=("RE [#4821] suivi", "Merci")
    )

    assert rendered.subject.startswith("[#4821] Nouvelle réponse")
    assert rendered.subject.count("#4821") == 1
    assert already.subject == "RE [#4821] suivi"
    assert render("refusal", "fr", EXAMPLE_CONTEXT).subject == (
        "Votre message n'a pas pu être enregistré"
    )


def test_it_keeps_the_subject_on_one_line():
    context = {
        **EXAMPLE_CONTEXT,
        "ticket": {**TICKET, "title": "Panne\r\nBcc: victime@example.com\u2028\x00  fin"},
    }
    override = ("Suivi\n{{ ticket.title }}\rBcc: autre@example.com", "Bonjour")

    for rendered in (
        render("reply", "fr", context, reference="#4821\r\nX-Evil: 1"),
        render("reply", "fr", context, reference="#4821", override=override),
    ):
        assert not re.search(r"[\r\n\x00\u2028]", rendered.subject)
        assert "  " not in rendered.subject


def test_it_shortens_a_long_subject_and_keeps_the_reference():
    context = {**EXAMPLE_CONTEXT, "ticket": {**TICKET, "title": "imprimante " * 100}}

    subject = render("reply", "fr", context, reference="#4821").subject

    assert len(subject) <= 250
    assert subject.startswith("[#4821] ") and subject.endswith("…")


def test_it_uses_a_valid_override():
    override = (
        "Intervention prévue : {{ ticket.title|lower }}",
        "Bonjour {{ recipient.name }},\n\n{% if ticket.url %}Suivi : {{ ticket.url }}{% endif %}"
        "\n\n{{ site_name|upper }}",
    )

    rendered = render("reply", "fr", EXAMPLE_CONTEXT, reference="#4821", override=override)

    assert rendered.subject == "[#4821] Intervention prévue : imprimante du 2e étage hors service"
    assert rendered.text == (
        "Bonjour Claire Martin,\n\nSuivi : http://127.0.0.1:8000/portal/tickets/4821/\n\nGUICHET"
    )


FORBIDDEN = [
    '{% include "base.html" %}',
    "{% load static %}",
    '{% extends "base.html" %}',
    "{% debug %}",
    '{% ssi "/etc/passwd" %}',
    '{% url "portal:home" %}',
    "{% csrf_token %}",
    "{% verbatim %}{{ x }}{% endverbatim %}",
    "{% block content %}{% endblock %}",
    "{% lorem 1000 w %}",
]


@pytest.mark.parametrize("tag", FORBIDDEN)
def test_validate_refuses_tags_that_reach_outside_the_mail(tag):
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("Sujet", f"Bonjour\n{tag}")

    name = tag.split()[1]
    assert set(raised.value.errors) == {"body"}
    assert f"Line 2: the “{name}” tag is not allowed" in raised.value.errors["body"]


@pytest.mark.parametrize("tag", FORBIDDEN)
def test_render_ignores_an_override_with_a_forbidden_tag(tag):
    default = render("reply", "fr", EXAMPLE_CONTEXT, reference="#4821")

    rendered = render(
        "reply", "fr", EXAMPLE_CONTEXT, reference="#4821", override=("Sujet", f"Texte {tag}")
    )

    assert rendered == default


def test_the_engine_itself_knows_no_loader_tag_even_past_validation():
    for source in ('{% include "base.html" %}', "{% load static %}", "{% debug %}"):
        with pytest.raises(TemplateSyntaxError):
            rendering._compile(source)


def test_validate_refuses_filters_that_could_blow_up_a_mail():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("Sujet {{ ticket.title|ljust:'100000000' }}", "{{ message|safe }}")

    assert "the “ljust” filter is not allowed" in raised.value.errors["subject"]
    assert "the “safe” filter is not allowed" in raised.value.errors["body"]


def test_validate_reports_a_syntax_error_with_its_line():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("Sujet", "Bonjour,\n\n{% if ticket.url %}\nLien : {{ ticket.url }}\n")

    message = raised.value.errors["body"]
    assert message.startswith("Syntax error on line 3:")
    assert "Unclosed tag" in message and "endif" in message


def test_validate_reports_a_broken_variable():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("Sujet {{ ticket.title", "{{ message.__class__ }}")

    assert set(raised.value.errors) == {"subject", "body"}
    assert raised.value.errors["subject"] == "Line 1: “{{” is not closed."
    assert raised.value.errors["body"].startswith("Syntax error on line 1:")


def test_validate_refuses_empty_and_oversized_templates():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("  ", "\n")
    assert raised.value.errors == {
        "subject": "Enter a subject.",
        "body": "Enter the text of the message.",
    }

    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("x" * 251, "x" * 20_001)
    assert "at most 250" in raised.value.errors["subject"]
    assert "at most 20000" in raised.value.errors["body"]

    validate("x" * 250, "x" * 20_000)


def test_validate_reports_an_unclosed_tag_on_its_line():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("Sujet", "Bonjour,\n\nVotre demande {% if ticket.url\nest close.")

    assert raised.value.errors == {"body": "Line 3: “{%” is not closed."}


def test_validate_accepts_a_commented_out_forbidden_tag():
    validate("Sujet", '{% comment %}{% include "base.html" %}{% endcomment %}Bonjour')


def test_loops_cannot_nest_and_see_a_bounded_number_of_items():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("Sujet", "{% for a in message %}{% for b in message %}x{% endfor %}{% endfor %}")
    assert "a loop cannot contain another loop" in raised.value.errors["body"]

    context = {**EXAMPLE_CONTEXT, "message": "y" * 10_000}
    override = ("Sujet", "{% for c in message %}x{% endfor %}")

    assert render("reply", "fr", context, override=override).text == "x" * rendering.LOOP_LIMIT


def test_a_template_cannot_change_the_context():
    context = {"ticket": {"reference": "#1", "title": "Écran noir"}, "message": "m"}
    clearing = "{{ ticket.clear }}{{ ticket.title }}"
    override = (f"Sujet {clearing}", clearing)

    rendered = render("reply", "fr", context, override=override)

    assert rendered.subject.endswith("Écran noir") and rendered.text.endswith("Écran noir")
    assert context["ticket"] == {"reference": "#1", "title": "Écran noir"}


def test_a_template_reads_objects_only_as_text():
    class Secretive:
        password = "hunter2"

        def __str__(self):
            return "un objet"

    override = ("Sujet", "{{ thing.password }}|{{ thing }}")

    assert render("reply", "fr", {"thing": Secretive()}, override=override).text == "|un objet"


def test_an_override_that_renders_empty_falls_back_to_the_default():
    default = render("reply", "fr", EXAMPLE_CONTEXT)

    assert render("reply", "fr", EXAMPLE_CONTEXT, override=("{{ nothing }}", "Texte")) == default
    assert render("reply", "fr", EXAMPLE_CONTEXT, override=("Sujet", "{{ nothing }}")) == default


def test_an_override_failing_while_rendering_falls_back_to_the_default(monkeypatch):
    default = render("reply", "fr", EXAMPLE_CONTEXT)
    override = ("Sujet", "Texte {{ ticket.title|upper }}")

    def broken(value):
        raise RuntimeError("boom")

    monkeypatch.setitem(rendering._LIBRARY.filters, "upper", broken)
    rendering._compile.cache_clear()
    try:
        assert render("reply", "fr", EXAMPLE_CONTEXT, override=override) == default
    finally:
        rendering._compile.cache_clear()


def test_a_non_string_override_falls_back_to_the_default():
    default = render("reply", "fr", EXAMPLE_CONTEXT)

    assert render("reply", "fr", EXAMPLE_CONTEXT, override=(None, None)) == default


def test_the_validation_messages_are_translatable():
    with translation.override("en"), pytest.raises(TemplateInvalid) as raised:
        validate("", "Texte")

    assert str(raised.value) == "Enter a subject."
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("kind", ["followup", "refused", "escalated", "escalated_up", "sla"])
def test_the_example_context_suits_every_kind(kind):
    context = example_context(kind)

    text = render(kind, "fr", context).text

    assert context["ticket"] == EXAMPLE_CONTEXT["ticket"]
    assert context["recipient"] == {"name": "Julien Moreau"}
    assert context["message"].splitlines()[0] in text
    assert example_context("reply") == EXAMPLE_CONTEXT
