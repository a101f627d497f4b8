"""Administrators' screens of the mailboxes: the list, the form, and a connection test."""

import dataclasses
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guichet.lib.errors import InvalidInput
from guichet.mail.actions.admin import save_mailbox
from guichet.mail.forms import MailboxForm
from guichet.mail.models import Mailbox
from guichet.mail.views.admin import admin_only, page

logger = logging.getLogger("guichet.mail")

# A test runs inside a web request: give up sooner than the worker does.
TEST_TIMEOUT = 15.0


@login_required
def mailboxes(request):
    admin_only(request)
    found = Mailbox.objects.select_related("team", "category", "category__parent")
    return _page(request, "mailboxes.html", {"mailboxes": found})


@login_required
def mailbox_form(request, pk: int | None = None):
    admin_only(request)
    mailbox = get_object_or_404(Mailbox, pk=pk) if pk else None
    initial = MailboxForm.initial_of(mailbox)
    status = 200
    if request.method == "POST":
        form = MailboxForm(request.POST, initial=initial, mailbox=mailbox)
        if form.is_valid():
            try:
                saved = save_mailbox(
                    actor=request.user,
                    mailbox=mailbox,
                    password=form.password_change(),
                    **form.values(),
                )
            except InvalidInput as error:
                form.add_action_errors(error)
            else:
                messages.success(
                    request, _("The mailbox “%(name)s” was saved.") % {"name": saved.name}
                )
                return redirect("mail:mailbox-edit", saved.pk)
        status = 400
    else:
        form = MailboxForm(initial=initial, mailbox=mailbox)
    return _page(request, "mailbox_form.html", {"form": form, "mailbox": mailbox}, status)


@login_required
@require_POST
def mailbox_test(request, pk: int):
    """Log in with the saved settings and count what waits, without fetching anything."""
    admin_only(request)
    mailbox = get_object_or_404(Mailbox, pk=pk)
    if not mailbox.imap_host:
        messages.error(request, _("This mailbox has no IMAP server: there is nothing to test."))
        return redirect("mail:mailbox-edit", mailbox.pk)
    # Imported here: the IMAP client is only needed by this button and the worker.
    from guichet.mail import imap
    from guichet.mail.actions.polling import imap_settings

    try:
        settings = dataclasses.replace(imap_settings(mailbox), timeout=TEST_TIMEOUT)
        waiting = imap.check(settings)
    except imap.ImapError as error:
        messages.error(
            request, _("The connection failed: %(error)s") % {"error": str(error) or "?"}
        )
    except Exception as error:  # an administrator's test must never end in a server error
        logger.warning("Mailbox %s: connection test failed", mailbox.name, exc_info=True)
        messages.error(
            request,
            _("The connection failed: %(error)s") % {"error": f"{type(error).__name__}: {error}"},
        )
    else:
        messages.success(
            request,
            ngettext(
                "The connection works: %(count)d message waiting.",
                "The connection works: %(count)d messages waiting.",
                waiting,
            )
            % {"count": waiting},
        )
    return redirect("mail:mailbox-edit", mailbox.pk)


def _page(request, template: str, context: dict, status: int = 200):
    return page(request, template, {"subnav": "mailboxes", **context}, status)
