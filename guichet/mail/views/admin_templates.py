"""Administrators' wording of the mail Guichet sends: one template per kind and language,
previewed with an example ticket before it is saved."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.lib.errors import InvalidInput
from guichet.mail.actions.admin import reset_template, save_template
from guichet.mail.choices import MailKind
from guichet.mail.defaults import DEFAULTS
from guichet.mail.forms import TemplateForm
from guichet.mail.models import MailTemplate
from guichet.mail.views.admin import admin_only, page

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

# What a template may read (see guichet.mail.context and render.EXAMPLE_CONTEXT).
VARIABLES = (
    ("site_name", gettext_lazy("The name of the service desk.")),
    ("recipient.name", gettext_lazy("The name of the person the mail is sent to.")),
    ("ticket.reference", gettext_lazy("The ticket's reference, e.g. #4821.")),
    ("ticket.id", gettext_lazy("The ticket's number alone, e.g. 4821.")),
    ("ticket.title", gettext_lazy("The ticket's title.")),
    ("ticket.status", gettext_lazy("The ticket's status, in the recipient's language.")),
    ("ticket.priority", gettext_lazy("The ticket's priority, in the recipient's language.")),
    ("ticket.url", gettext_lazy("The address of the ticket: the portal for requesters.")),
    ("organisation.name", gettext_lazy("The requester's organisation.")),
    ("author", gettext_lazy("Who wrote the reply, the solution or the change.")),
    ("message", gettext_lazy("The text of the reply, follow-up, refusal or warning.")),
    ("solution", gettext_lazy("The proposed solution.")),
    ("accept_url", gettext_lazy("The link that accepts the proposed solution.")),
    ("refuse_url", gettext_lazy("The link that refuses the proposed solution.")),
    ("satisfaction_url", gettext_lazy("The link to the satisfaction survey.")),
    ("expires", gettext_lazy("Until when the solution's links are valid.")),
    ("reason", gettext_lazy("Why a message was refused.")),
    ("note", gettext_lazy("A note added by whoever assigned or escalated the ticket.")),
)


def _kind_and_language(kind: str, language: str) -> tuple[MailKind, str]:
    if kind not in MailKind.values or kind not in DEFAULTS or language not in LANGUAGES:
        raise Http404
    return MailKind(kind), language


@login_required
def templates(request):
    admin_only(request)
    saved = {
        (t.kind, t.language): t
        for t in MailTemplate.objects.select_related("updated_by").only(
            "kind",
            "language",
            "updated_at",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__username",
        )
    }
    rows = [
        (kind, [(language, saved.get((kind.value, language))) for language in LANGUAGES])
        for kind in MailKind
        if kind.value in DEFAULTS
    ]
    languages = [(code, name) for code, name in settings.LANGUAGES]
    return _page(request, "templates.html", {"rows": rows, "languages": languages})


def _variables(kind: str, language: str, example: dict) -> list[tuple[str, str, str, bool]]:
    """Each variable with what it holds, its example value and whether the default wording
    of this mail reads it (the others are usually empty for this kind)."""
    subject, body = DEFAULTS[kind][language]
    source = subject + body
    rows = []
    for name, description in VARIABLES:
        value: object = example
        for part in name.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        used = re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", source) is not None
        rows.append((name, str(description), str(value), used))
    return rows


@login_required
def template_form(request, kind: str, language: str):
    admin_only(request)
    from guichet.mail.render import (
        ALLOWED_FILTERS,
        ALLOWED_TAGS,
        TemplateInvalid,
        example_context,
        render,
        validate,
    )

    mail_kind, language = _kind_and_language(kind, language)
    saved = (
        MailTemplate.objects.select_related("updated_by")
        .filter(kind=mail_kind.value, language=language)
        .first()
    )
    default_subject, default_body = DEFAULTS[mail_kind.value][language]
    initial = (
        {"subject": saved.subject, "body": saved.body}
        if saved
        else {"subject": default_subject, "body": default_body}
    )
    example = example_context(mail_kind.value)
    preview = None
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST, initial=initial)
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            try:
                if "preview" in request.POST:
                    validate(subject, body)
                    preview = render(
                        mail_kind.value,
                        language,
                        example,
                        reference=example["ticket"]["reference"],
                        override=(subject, body),
                    )
                else:
                    save_template(
                        actor=request.user,
                        kind=mail_kind.value,
                        language=language,
                        subject=subject,
                        body=body,
                    )
                    messages.success(
                        request,
                        _("The wording of “%(kind)s” (%(language)s) was saved.")
                        % {"kind": mail_kind.label, "language": dict(settings.LANGUAGES)[language]},
                    )
                    return redirect("mail:template-edit", mail_kind.value, language)
            except TemplateInvalid as error:
                form.add_action_errors(InvalidInput(error.errors))
            except InvalidInput as error:
                form.add_action_errors(error)
        if preview is None:
            status = 400
    else:
        form = TemplateForm(initial=initial)
    context = {
        "form": form,
        "kind": mail_kind,
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
        "saved": saved,
        "default_subject": default_subject,
        "default_body": default_body,
        "preview": preview,
        "variables": _variables(mail_kind.value, language, example),
        "allowed_tags": ALLOWED_TAGS,
        "allowed_filters": ALLOWED_FILTERS,
    }
    return _page(request, "template_form.html", context, status)


@login_required
@require_POST
def template_reset(request, kind: str, language: str):
    admin_only(request)
    mail_kind, language = _kind_and_language(kind, language)
    if reset_template(actor=request.user, kind=mail_kind.value, language=language):
        messages.success(request, _("The built-in wording applies again."))
    else:
        messages.info(request, _("This mail already used the built-in wording."))
    return redirect("mail:template-edit", mail_kind.value, language)


def _page(request, template: str, context: dict, status: int = 200):
    return page(request, template, {"subnav": "mail-templates", **context}, status)
