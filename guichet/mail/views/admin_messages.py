"""The mail that came in (the quarantine an administrator clears) and the mail that went out
(what failed, what waits), and the original of a received message for whoever may read it."""

import logging
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.accounts.access import may_see_ticket
from guichet.lib.errors import ActionError
from guichet.mail.actions import admin, outbound
from guichet.mail.choices import RETRYABLE, Delivery, Outcome
from guichet.mail.models import InboundMessage, OutboundMessage
from guichet.mail.views.admin import PAGE_SIZE, admin_only, error_text, page
from guichet.tickets.models import Ticket

logger = logging.getLogger("guichet.mail")

# The default filters: what needs an administrator.
ATTENTION = "attention"
ALL = "all"
INBOUND_ATTENTION = tuple(o.value for o in RETRYABLE)
OUTBOUND_ATTENTION = (Delivery.FAILED.value, Delivery.QUEUED.value)
INBOUND_LIST_FIELDS = ("id", "received_at", "sender", "subject", "outcome", "ticket_id", "reason")
OUTBOUND_LIST_FIELDS = (
    "id",
    "created_at",
    "to",
    "kind",
    "subject",
    "status",
    "attempts",
    "last_error",
    "ticket_id",
)


def _filter(request, choices, attention: tuple[str, ...]) -> tuple[str, tuple[str, ...] | None]:
    """The filter asked for (an unknown one is the default) and the values it keeps (None:
    every one)."""
    chosen = request.GET.get("show", ATTENTION)
    if chosen == ALL:
        return ALL, None
    if chosen in choices.values:
        return chosen, (chosen,)
    return ATTENTION, attention


def _filter_options(choices, attention_label) -> list[tuple[str, str]]:
    return [(ATTENTION, attention_label), (ALL, gettext_lazy("All")), *choices.choices]


def _paginated(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Inbound -----------------------------------------------------------------------------------
@login_required
def inbound(request):
    admin_only(request)
    chosen, outcomes = _filter(request, Outcome, INBOUND_ATTENTION)
    found = InboundMessage.objects.only(*INBOUND_LIST_FIELDS).order_by("-id")
    if outcomes is not None:
        found = found.filter(outcome__in=outcomes)
    context = {
        "page_obj": _paginated(request, found),
        "show": chosen,
        "options": _filter_options(Outcome, _("To look at (quarantined, held back, refused)")),
    }
    return _inbound_page(request, "inbound.html", context)


@dataclass
class Reading:
    """What the detail page shows of the stored original."""

    headers: list[tuple[str, str]]
    text: str = ""
    problem: str = ""


SUMMARY_HEADERS = (
    ("From", gettext_lazy("From")),
    ("To", gettext_lazy("To")),
    ("Cc", gettext_lazy("Cc")),
    ("Subject", gettext_lazy("Subject")),
    ("Date", gettext_lazy("Date")),
    ("Message-ID", gettext_lazy("Message-ID")),
)


def _read(message: InboundMessage) -> Reading:
    """Headers and text of the original; a message that cannot be read says why (it is often
    why it was quarantined)."""
    from guichet.mail.parse import Unreadable, parse

    try:
        with message.raw.open("rb") as stream:
            raw = stream.read()
    except Exception as error:  # a file lost from the storage must not break the page
        return Reading([], problem=_("The original cannot be read: %(error)s") % {"error": error})
    headers: list[tuple[str, str]] = []
    try:
        parsed_headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        for name, label in SUMMARY_HEADERS:
            value = parsed_headers.get(name)
            if value is not None:
                headers.append((str(label), str(value)))
    except Exception:  # malformed headers: the text below, or its problem, says enough
        logger.info("Unreadable headers in inbound message %s", message.pk, exc_info=True)
    try:
        return Reading(headers, text=parse(raw).text)
    except Unreadable as error:
        return Reading(
            headers, problem=_("The message cannot be read: %(error)s") % {"error": error}
        )
    except Exception as error:
        return Reading(
            headers,
            problem=_("The message cannot be read: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"},
        )


@login_required
def inbound_detail(request, pk: int):
    admin_only(request)
    message = get_object_or_404(InboundMessage.objects.select_related("mailbox"), pk=pk)
    context = {
        "message": message,
        "reading": _read(message),
        "may_retry": message.outcome in (*RETRYABLE, Outcome.DISCARDED),
        "may_discard": message.outcome in RETRYABLE,
    }
    return _inbound_page(request, "inbound_detail.html", context)


@login_required
@require_POST
def inbound_retry(request, pk: int):
    admin_only(request)
    message = get_object_or_404(InboundMessage, pk=pk)
    try:
        message = admin.retry(actor=request.user, message=message)
    except ActionError as error:
        messages.error(request, error_text(error))
    except OSError as error:  # the stored original is gone: say so rather than fail
        messages.error(request, _("The original cannot be read: %(error)s") % {"error": error})
    else:
        messages.success(
            request,
            _("The message was processed again: %(outcome)s.")
            % {"outcome": message.get_outcome_display()},
        )
    return redirect("mail:inbound-detail", pk)


@login_required
@require_POST
def inbound_discard(request, pk: int):
    admin_only(request)
    message = get_object_or_404(InboundMessage, pk=pk)
    try:
        admin.discard(actor=request.user, message=message)
    except ActionError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The message was discarded; it stays on record."))
    return redirect("mail:inbound-detail", pk)


@login_required
def raw(request, pk: int):
    """The original .eml: administrators for any message, staff for one filed on a ticket they
    may see. Anyone else learns nothing, not even that it exists."""
    message = InboundMessage.objects.filter(pk=pk).only("id", "raw", "ticket_id").first()
    if message is None or not _may_download(request.user, message):
        raise Http404
    try:
        stream = message.raw.open("rb")
    except Exception:
        logger.warning("The original of inbound message %s is missing", pk, exc_info=True)
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=f"message-{message.pk}.eml",
        content_type="message/rfc822",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _may_download(user, message: InboundMessage) -> bool:
    if user.is_admin:
        return True
    if not user.is_support_staff or not message.ticket_id:
        return False
    ticket = Ticket.objects.filter(pk=message.ticket_id).first()
    return ticket is not None and may_see_ticket(user, ticket)


def _inbound_page(request, template: str, context: dict):
    return page(request, template, {"subnav": "mail-inbound", **context})


# --- Outbound ----------------------------------------------------------------------------------
@login_required
def outbound_list(request):
    admin_only(request)
    chosen, statuses = _filter(request, Delivery, OUTBOUND_ATTENTION)
    found = OutboundMessage.objects.only(*OUTBOUND_LIST_FIELDS).order_by("-id")
    if statuses is not None:
        found = found.filter(status__in=statuses)
    context = {
        "page_obj": _paginated(request, found),
        "show": chosen,
        "options": _filter_options(Delivery, _("To look at (failed, waiting)")),
    }
    return _outbound_page(request, "outbound.html", context)


@login_required
def outbound_detail(request, pk: int):
    admin_only(request)
    message = get_object_or_404(OutboundMessage, pk=pk)
    context = {
        "message": message,
        "references": message.references.split(),
        "may_resend": message.status in OUTBOUND_ATTENTION,
    }
    return _outbound_page(request, "outbound_detail.html", context)


@login_required
@require_POST
def outbound_resend(request, pk: int):
    admin_only(request)
    message = get_object_or_404(OutboundMessage, pk=pk)
    try:
        outbound.resend(message=message)
    except ActionError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The mail will be sent again shortly."))
    return redirect("mail:outbound-detail", pk)


def _outbound_page(request, template: str, context: dict):
    return page(request, template, {"subnav": "mail-outbound", **context})
