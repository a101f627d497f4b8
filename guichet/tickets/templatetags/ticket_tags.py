"""Template helpers for ticket screens: safe Markdown, status and priority badges, durations."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from guichet.lib.markdown import render_markdown
from guichet.tickets.choices import Priority, Status

register = template.Library()


@register.filter
def markdown(text):
    """Markdown to HTML with anything dangerous removed (see guichet.lib.markdown)."""
    return render_markdown(str(text or ""))


@register.filter
def status_badge(status):
    try:
        label = Status(status).label
    except ValueError:
        label = status
    return format_html('<span class="badge status-{}">{}</span>', status, label)


@register.filter
def priority_badge(priority):
    try:
        value = int(priority)
        label = Priority(value).label
    except (TypeError, ValueError):
        return ""
    return format_html(
        '<span class="badge prio-{}"><span class="sr-only">{} </span>P{} · {}</span>',
        value,
        _("Priority"),
        value,
        label,
    )


@register.filter
def minutes(value):
    """120 -> "2 h", 95 -> "1 h 35 min", 20 -> "20 min"."""
    try:
        total = int(value)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 60)
    if hours and rest:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest}
