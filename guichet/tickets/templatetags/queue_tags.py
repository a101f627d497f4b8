"""The rows of the ticket queue, rendered in Python.

A queue page shows 50 rows of ten cells; through the template engine they cost more than
everything else on the page together. Written here with the standard library's escaping
(the one Django's own escape uses, without its per-call checks for lazy strings), every
value escaped, they cost a fraction. Rows are the plain values of
`queue_listing.ROW_COLUMNS`; the names of organisations, teams and technicians come from
the reference cache. The markup matches the table header in partials/queue_results.html.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.accounts import reference
from guichet.accounts.models import User
from guichet.lib.forms import options_html
from guichet.tickets.choices import NO_DUE_DATE, Priority, Status

register = template.Library()

ROW = (
    '<tr data-keynav-row data-ticket="{id}">'
    '<td class="select-cell"><label class="hit"><input type="checkbox" name="ids" value="{id}">'
    '<span class="sr-only">{select}</span></label></td>'
    "<td>#{id}</td>"
    '<td><a href="{url}">{title}</a></td>'
    "<td>{requester}</td>"
    '<td class="hide-narrow">{organisation}</td>'
    '<td><span class="badge prio-{priority}">{priority_label}</span></td>'
    "<td>{status}</td>"
    "<td>{due}</td>"
    '<td class="hide-narrow">{team}</td>'
    "<td>{assignee}</td>"
    '<td><time datetime="{iso}">{updated}</time></td>'
    "</tr>"
)
NOBODY = "—"


def _people(rows) -> dict[int, str]:
    """Names of the assignees: the staff from the cache, anyone else (a former technician who
    became a contact) in one query."""
    names = reference.staff_names()
    missing = {r["assignee_id"] for r in rows if r["assignee_id"]} - names.keys()
    if not missing:
        return names
    extra = {u.pk: u.display_name for u in User.objects.filter(pk__in=missing)}
    return {**names, **extra}


def _requester(row) -> str:
    full = f"{row['requester__first_name']} {row['requester__last_name']}".strip()
    return full or row["requester__username"]


@register.simple_tag
def queue_rows(rows) -> SafeString:
    url_pattern = reverse("tickets:detail", args=[0]).replace("/0/", "/{}/")
    priorities = {value: escape(str(label)) for value, label in Priority.choices}
    statuses = {value: escape(str(label)) for value, label in Status.choices}
    organisations = reference.organisation_name_map()
    teams = reference.team_names()
    people = _people(rows)
    select = _("Select ticket #%(id)s")
    short = formats.get_format("SHORT_DATETIME_FORMAT")
    now = timezone.now()
    overdue = escape(_("overdue"))

    def due(row) -> str:
        # The earliest due date of the ticket's running clocks (see sla.actions.clocks).
        at = row["due_at"]
        if at is None or at >= NO_DUE_DATE:
            return NOBODY
        local = timezone.localtime(at)
        text = escape(dateformat.format(local, short))
        if at <= now:
            return (
                f'<time class="due-overdue" datetime="{local.isoformat()}">{text}</time>'
                f' <span class="due-overdue">({overdue})</span>'
            )
        css = ' class="due-soon"' if (at - now).total_seconds() < 4 * 3600 else ""
        return f'<time{css} datetime="{local.isoformat()}">{text}</time>'

    def cells(row) -> dict:
        updated = timezone.localtime(row["updated_at"])
        pk = row["id"]
        return {
            "id": pk,
            "select": escape(select % {"id": pk}),
            "url": url_pattern.format(pk),
            "title": escape(row["title"]),
            "requester": escape(_requester(row)),
            "organisation": escape(organisations.get(row["organisation_id"], "")),
            "priority": row["priority"],
            "priority_label": priorities.get(row["priority"], row["priority"]),
            "status": statuses.get(row["status"], escape(row["status"])),
            "due": due(row),
            "team": escape(teams.get(row["team_id"], NOBODY)),
            "assignee": escape(people.get(row["assignee_id"], NOBODY)),
            "iso": updated.isoformat(),
            "updated": escape(dateformat.format(updated, short)),
        }

    return SafeString("".join(ROW.format(**cells(row)) for row in rows))


@register.simple_tag
def select_options(options) -> SafeString:
    """`<option>` elements for the {choices, selected} lists the queue views build."""
    return options_html(options["choices"], options["selected"])
