"""How clocks read on pages: durations in business time, and the clock badge."""

from html import escape

from django import template
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
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


def _state_labels() -> dict[str, str]:
    return {
        "ok": _("On time"),
        "warning": _("At risk"),
        "breached": _("Overdue"),
        "paused": _("Paused"),
        "met": _("Met"),
        "missed": _("Missed"),
    }


@register.filter
def clock_state(clock) -> str:
    state = clock.state
    return format_html('<span class="badge clock-{}">{}</span>', state, _state_labels()[state])


ROW = (
    '<tr><th scope="row">{name}</th><td>{due}</td><td>{time}{held}</td>'
    '<td><span class="badge clock-{state}">{label}</span></td></tr>'
)


@register.simple_tag
def clock_rows(clocks) -> SafeString:
    """The rows of the ticket page's clock table, written in Python: the page is one of the
    most read, and the template engine costs a millisecond for these few rows."""
    labels = _state_labels()
    short = formats.get_format("SHORT_DATETIME_FORMAT")
    out = []
    for clock in clocks:
        due = "—"
        if clock.due_at:
            local = timezone.localtime(clock.due_at)
            text = escape(dateformat.format(local, short))
            due = f'<time datetime="{local.isoformat()}">{text}</time>'
        if clock.running and clock.remaining_seconds is not None:
            left = business_duration(clock.remaining_seconds)
            if clock.remaining_seconds < 0:
                time = _("%(time)s overdue") % {"time": left}
            else:
                time = _("%(time)s left") % {"time": left}
        else:
            time = _("%(time)s counted") % {"time": business_duration(clock.elapsed_seconds)}
        held = ""
        if clock.paused_seconds:
            paused = business_duration(clock.paused_seconds)
            text = _("%(time)s on hold, not counted") % {"time": paused}
            held = f'<br><span class="muted">{escape(text)}</span>'
        state = clock.state
        out.append(
            ROW.format(
                name=escape(clock.name),
                due=due,
                time=escape(time),
                held=held,
                state=state,
                label=escape(labels[state]),
            )
        )
    return SafeString("".join(out))
