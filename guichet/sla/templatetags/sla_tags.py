"""How clocks read on pages: durations in business time, and the clock badge."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def business_duration(seconds) -> str:
    """45 min, 3 h 05, 130 h: business time in hours, never in days (a business day is not
    24 hours, and contracts state their times in hours)."""
    if seconds is None:
        return "—"
    seconds = abs(int(seconds))
    hours, minutes = divmod(seconds // 60, 60)
    if hours >= 100:
        return _("%(h)d h") % {"h": hours}
    if hours:
        return _("%(h)d h %(m)02d") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


@register.filter
def clock_state(clock) -> str:
    labels = {
        "ok": _("On time"),
        "warning": _("At risk"),
        "breached": _("Overdue"),
        "paused": _("Paused"),
        "met": _("Met"),
        "missed": _("Missed"),
    }
    state = clock.state
    return format_html('<span class="badge clock-{}">{}</span>', state, labels[state])
