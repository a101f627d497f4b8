"""Template helpers for ticket screens: safe Markdown, status and priority badges, durations."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


# The ticket page carries a dozen small action forms. Written out here rather than through
# nested template includes, they cost a fraction of the page's time; the markup is the one
# the screens and their tests expect (labels, help and errors tied to each field).


def _errors(field) -> str:
    if not field.errors:
        return ""
    return format_html(
        '<ul class="field-error" id="{}_error">{}</ul>',
        field.auto_id,
        format_html_join("", "<li>{}</li>", ((e,) for e in field.errors)),
    )


@register.simple_tag
def form_field(field) -> SafeString:
    """One field: its label, widget, help text and errors."""
    if field.widget_type == "checkbox":
        return format_html(
            '<div class="field field-check">\n  {} <label for="{}">{}</label>\n  {}\n</div>',
            field,
            field.id_for_label,
            field.label,
            _errors(field),
        )
    required = (
        SafeString('<span class="required" aria-hidden="true"> *</span>')
        if field.field.required
        else ""
    )
    help_text = (
        format_html('<p class="help" id="{}_helptext">{}</p>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div class="field">\n  <label for="{}">{}{}</label>\n  {}\n  {}\n  {}\n</div>',
        field.id_for_label,
        field.label,
        required,
        field,
        help_text,
        _errors(field),
    )


@register.simple_tag(takes_context=True)
def action_form(context, form) -> SafeString:
    """A ticket action form, posted with htmx, optionally folded under a summary."""
    layout = getattr(form, "layout", "")
    head = ""
    if layout == "details":
        head = format_html(
            "<details{}><summary>{}</summary>",
            SafeString(" open") if form.is_bound else "",
            form.legend,
        )
    elif layout == "open":
        head = format_html('<h3 class="form-title">{}</h3>', form.legend)
    multipart = (
        SafeString(' enctype="multipart/form-data" hx-encoding="multipart/form-data"')
        if getattr(form, "multipart", False)
        else ""
    )
    alert = ""
    if form.non_field_errors():
        alert = format_html(
            '<div class="form-alert" role="alert" tabindex="-1" data-focus>{}</div>',
            format_html_join("", "<p>{}</p>", ((e,) for e in form.non_field_errors())),
        )
    button_attrs = SafeString(
        (format_html(' accesskey="{}"', form.accesskey) if getattr(form, "accesskey", "") else "")
        + (
            format_html(' class="{}"', form.button_class)
            if getattr(form, "button_class", "")
            else ""
        )
    )
    person = getattr(form, "person", None)
    person_label = (
        format_html('<span class="sr-only"> {}</span>', person.display_name) if person else ""
    )
    return format_html(
        '<div id="form-{slot}" class="action action-{layout}">{head}'
        '<form method="post" action="{url}" hx-post="{url}" hx-target="#ticket" '
        'hx-swap="outerHTML"{multipart}>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">{alert}{fields}'
        '<button type="submit"{button_attrs}>{label}{person}</button></form>{tail}</div>',
        slot=form.slot,
        layout=layout,
        head=head,
        url=form.action_url,
        multipart=multipart,
        csrf=context.get("csrf_token", ""),
        alert=alert,
        fields=SafeString("".join(form_field(field) for field in form.visible_fields())),
        button_attrs=button_attrs,
        label=form.submit_label,
        person=person_label,
        tail=SafeString("</details>") if layout == "details" else "",
    )
