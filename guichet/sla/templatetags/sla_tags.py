"""How clocks read on pages: durations in business time, and the clock badge."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def business_duration(seconds) -> str:
    """3 h 05, 45 min, 2 d 4 h (a business day is not 24 h: days only past 24 h)."""
    if seconds is None:
        return "—"
    seconds = abs(int(seconds))
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
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
