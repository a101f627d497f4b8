"""The asset list's rows, written in Python. Fifty rows of twelve cells through the template
engine cost more than half of the page (about 0.5 ms a row); the same markup built here,
every value escaped with `html.escape`, costs a small part of that. The markup is the one the
page always had."""

from html import escape

from django import template
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()
DASH = "—"

ROW = (
    '<tr data-keynav-row data-asset="{pk}">'
    '<td class="select-cell"><label class="hit"><input type="checkbox" name="ids" value="{pk}"'
    '{checked}><span class="sr-only">{select}</span></label></td>'
    "<td>{reference}</td>"
    '<th scope="row"><a href="{url}">{name}</a>{flag}</th>'
    "<td>{kind}{subtype}</td>"
    "<td>{organisation}</td>"
    '<td class="hide-narrow">{location}</td>'
    "<td>{user}</td>"
    '<td><span class="badge state-{state}">{state_label}</span></td>'
    '<td class="hide-narrow">{maker}</td>'
    '<td class="hide-narrow">{serial}</td>'
    '<td class="hide-narrow">{seen}</td>'
    "<td>{warranty}</td>"
    "</tr>"
)


def e(value) -> str:
    return escape(str(value))


def _maker(asset) -> str:
    name = asset.manufacturer.name if asset.manufacturer else ""
    if name and asset.model:
        return e(f"{name} · {asset.model}")
    return e(name or asset.model or DASH)


class Words:
    """What every row says the same, translated and formatted once per page."""

    def __init__(self, today):
        self.today = today
        self.review = e(_("Needs review"))
        self.ended = e(_("ended"))
        self.select = _("Select %(ref)s %(name)s")
        self.date_format = formats.get_format("SHORT_DATE_FORMAT")
        detail = reverse("assets:detail", args=[0])
        cut = detail.rindex("/0/") + 1
        self.url_start, self.url_end = detail[:cut], detail[cut + 1 :]

    def seen(self, at) -> str:
        if not at:
            return DASH
        at = timezone.localtime(at)
        shown = dateformat.format(at, self.date_format)
        return f'<time datetime="{at.isoformat()}">{e(shown)}</time>'

    def warranty(self, end) -> str:
        if not end:
            return DASH
        badge = f' <span class="badge expired">{self.ended}</span>' if end < self.today else ""
        shown = dateformat.format(end, self.date_format)
        return f'<time datetime="{end.isoformat()}">{e(shown)}</time>{badge}'


@register.simple_tag
def asset_rows(assets, selected, today) -> SafeString:
    """The `<tr>` of each asset (`kind_label`, `subtype_label`, `state_label` and
    `has_flags` set by `queries.asset_page`), or the row that says there is none."""
    if not assets:
        none = e(_("No asset matches these filters."))
        return mark_safe(f'<tr><td colspan="12">{none}</td></tr>')  # noqa: S308
    words = Words(today)
    rows = []
    for asset in assets:
        reference = asset.reference
        rows.append(ROW.format(
            pk=asset.pk,
            checked=" checked" if str(asset.pk) in selected else "",
            select=e(words.select % {"ref": reference, "name": asset.name}),
            reference=e(reference),
            url=f"{words.url_start}{asset.pk}{words.url_end}",
            name=e(asset.name),
            flag=f' <span class="badge flag">{words.review}</span>' if asset.has_flags else "",
            kind=e(asset.kind_label),
            subtype=f' <span class="muted">{e(asset.subtype_label)}</span>'
            if asset.subtype else "",
            organisation=e(asset.organisation.name),
            location=e(asset.location.name) if asset.location else DASH,
            user=e(asset.user.display_name) if asset.user else DASH,
            state=e(asset.state),
            state_label=e(asset.state_label),
            maker=_maker(asset),
            serial=e(asset.serial or DASH),
            seen=words.seen(asset.last_inventory_at),
            warranty=words.warranty(asset.warranty_end),
        ))  # fmt: skip
    # Every value above went through `escape`; the rest is this module's markup.
    return mark_safe("\n".join(rows))  # noqa: S308
