"""Template helpers for ticket screens: safe Markdown, status and priority badges, durations."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.lib import refcache
from guichet.lib.html import esc
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


# The ticket page carries a dozen small action forms. Written out here rather than through
# nested template includes, they cost a fraction of the page's time; the markup is the one
# the screens and their tests expect (labels, help and errors tied to each field).


def _errors(field) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{esc(e)}</li>" for e in field.errors)
    return f'<ul class="field-error" id="{esc(field.auto_id)}_error">{items}</ul>'


@register.simple_tag
def form_field(field) -> SafeString:
    """One field: its label, widget, help text and errors."""
    if field.widget_type == "checkbox":
        return SafeString(
            f'<div class="field field-check">\n  {field} <label for="{esc(field.id_for_label)}">'
            f"{esc(field.label)}</label>\n  {_errors(field)}\n</div>"
        )
    required = '<span class="required" aria-hidden="true"> *</span>' if field.field.required else ""
    help_text = (
        f'<p class="help" id="{esc(field.auto_id)}_helptext">{esc(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    return SafeString(
        f'<div class="field">\n  <label for="{esc(field.id_for_label)}">{esc(field.label)}'
        f"{required}</label>\n  {field}\n  {help_text}\n  {_errors(field)}\n</div>"
    )


# Markup of forms that depend only on the ticket's id and the CSRF token (see
# TicketForm.markup_key), written with stand-ins for those two and kept for the current
# revision of the reference data.
_STAND_IN_TICKET = 987_654_321_987
_STAND_IN_CSRF = "\x00csrf\x00"
_kept: dict = {"token": None, "forms": {}}


@register.simple_tag(takes_context=True)
def action_form(context, form) -> SafeString:
    """A ticket action form, posted with htmx, optionally folded under a summary."""
    csrf = str(context.get("csrf_token", ""))
    key = form.markup_key() if hasattr(form, "markup_key") else None
    if key is None:
        return SafeString(write_action_form(form, form.action_url, csrf))
    token = refcache.snapshot().token
    if _kept["token"] != token:
        _kept.update(token=token, forms={})
    key = (*key, get_language())
    kept = _kept["forms"].get(key)
    if kept is None:
        stand_in_url = form.url_for(_STAND_IN_TICKET)
        kept = (stand_in_url, write_action_form(form, stand_in_url, _STAND_IN_CSRF))
        _kept["forms"][key] = kept
    stand_in_url, markup = kept
    markup = markup.replace(esc(stand_in_url), esc(form.action_url))
    return SafeString(markup.replace(_STAND_IN_CSRF, esc(csrf)))


def write_action_form(form, action_url: str, csrf: str) -> str:
    layout = getattr(form, "layout", "")
    head = ""
    if layout == "details":
        opened = " open" if form.is_bound else ""
        head = f"<details{opened}><summary>{esc(form.legend)}</summary>"
    elif layout == "open":
        head = f'<h3 class="form-title">{esc(form.legend)}</h3>'
    multipart = (
        ' enctype="multipart/form-data" hx-encoding="multipart/form-data"'
        if getattr(form, "multipart", False)
        else ""
    )
    alert = ""
    if form.non_field_errors():
        errors = "".join(f"<p>{esc(e)}</p>" for e in form.non_field_errors())
        alert = f'<div class="form-alert" role="alert" tabindex="-1" data-focus>{errors}</div>'
    button_attrs = ""
    if getattr(form, "accesskey", ""):
        button_attrs += f' accesskey="{esc(form.accesskey)}"'
    if getattr(form, "button_class", ""):
        button_attrs += f' class="{esc(form.button_class)}"'
    person = getattr(form, "person", None)
    person_label = f'<span class="sr-only"> {esc(person.display_name)}</span>' if person else ""
    url = esc(action_url)
    fields = "".join(form_field(field) for field in form.visible_fields())
    tail = "</details>" if layout == "details" else ""
    return (
        f'<div id="form-{esc(form.slot)}" class="action action-{esc(layout)}">{head}'
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="#ticket" '
        f'hx-swap="outerHTML"{multipart}>'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf)}">'
        f"{alert}{fields}"
        f'<button type="submit"{button_attrs}>{esc(form.submit_label)}{person_label}</button>'
        f"</form>{tail}</div>"
    )
