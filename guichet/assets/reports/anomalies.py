"""The summary of one organisation's anomalies: the technician's note to the client, as HTML
and as PDF, in the client's language (or the one asked for).

Each finding has its count and the first machines (or products, contracts) it concerns;
the rest is counted ("and 12 more"). Everything is read through the access door for the
reader, in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_contracts
from guichet.accounts.models import Organisation
from guichet.assets import compliance as licensing
from guichet.assets.choices import AssetKind, ContractKind
from guichet.assets.models import AssetEvent
from guichet.assets.reports.fleet import (
    DEFAULT_DAYS,
    Fleet,
    FleetFilters,
    full_volumes,
    not_seen_assets,
    out_of_warranty_assets,
)
from guichet.assets.reports.systems import end_of_life
from guichet.lib.pdf import html_to_pdf

CAP = 20  # items listed per finding
LOW_MEMORY_MB = 4096
CONTRACT_DAYS = 60


@dataclass(frozen=True)
class Finding:
    """One kind of anomaly: its count and the first `items` (rows of written cells)."""

    key: str
    title: str
    explanation: str
    count: int
    columns: tuple[str, ...]
    items: list[tuple[str, ...]]

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


def language_of(organisation: Organisation, requested: str | None = None) -> str:
    """The language asked for if the service speaks it, else the client's own."""
    spoken = {code for code, _name in settings.LANGUAGES}
    if requested in spoken:
        return str(requested)
    return organisation.language if organisation.language in spoken else settings.LANGUAGE_CODE


def _machine(name: str, number: str, pk: int) -> str:
    return f"{name} ({number or f'AS-{pk}'})"


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def _not_seen(fleet: Fleet) -> Finding:
    found = not_seen_assets(fleet).order_by("last_inventory_at", "id")
    rows = found.values_list("pk", "name", "inventory_number", "last_inventory_at")[:CAP]
    return Finding(
        "not-seen",
        _("Machines not seen for %(days)d days") % {"days": fleet.filters.days},
        _("Their inventory agent has not reported since; switched off, gone or broken?"),
        found.count(),
        (_("Machine"), _("Last inventory")),
        [(_machine(name, n, pk), _day(timezone.localtime(at))) for pk, name, n, at in rows],
    )


def _warranty(fleet: Fleet) -> Finding:
    found = out_of_warranty_assets(fleet).order_by("warranty_end", "id")
    rows = found.values_list("pk", "name", "inventory_number", "warranty_end")[:CAP]
    return Finding(
        "warranty",
        _("Out of warranty"),
        _("A failure would be repaired at your expense."),
        found.count(),
        (_("Machine"), _("Warranty end")),
        [(_machine(name, n, pk), _day(end)) for pk, name, n, end in rows],
    )


def _disks(fleet: Fleet) -> Finding:
    found = full_volumes(fleet).order_by("asset__name", "id")
    fields = ("asset_id", "asset__name", "asset__inventory_number", "label", "identity",
              "free", "size")  # fmt: skip
    rows = found.values_list(*fields)[:CAP]
    return Finding(
        "disks",
        _("Disks nearly full"),
        _("Volumes with less than a tenth of their size free."),
        found.count(),
        (_("Machine"), _("Volume"), _("Free")),
        [
            (_machine(name, n, pk), label or identity,
             _("%(value)s%%") % {"value": number_format(100 * free / size, 1)})
            for pk, name, n, label, identity, free, size in rows
        ],
    )  # fmt: skip


def _old_systems(fleet: Fleet) -> Finding:
    computers = fleet.assets().filter(kind=AssetKind.COMPUTER)
    systems = computers.order_by().values_list("os_name", "os_version").annotate(n=Count("id"))
    today = fleet.filters.today
    old = {(name, version): n for name, version, n in systems
           if end_of_life(name, version, today) is not None}  # fmt: skip
    rows: list = []
    if old:
        match = Q(pk__in=[])
        for name, version in old:
            match |= Q(os_name=name, os_version=version)
        listed = computers.filter(match).order_by("name", "id")
        rows = list(listed.values_list("pk", "name", "inventory_number", "os_name",
                                       "os_version")[:CAP])  # fmt: skip
    return Finding(
        "old-systems",
        _("Operating systems no longer supported"),
        _("Their publisher no longer ships security updates for them."),
        sum(old.values()),
        (_("Machine"), _("Operating system"), _("Support ended")),
        [
            (_machine(name, n, pk), f"{os} {version}".strip(),
             _day(entry.last_day) if (entry := end_of_life(os, version, today)) else "–")
            for pk, name, n, os, version in rows
        ],
    )  # fmt: skip


def _low_memory(fleet: Fleet) -> Finding:
    found = fleet.assets().filter(kind=AssetKind.COMPUTER, memory_mb__lt=LOW_MEMORY_MB)
    rows = found.order_by("memory_mb", "name", "id").values_list(
        "pk", "name", "inventory_number", "memory_mb"
    )[:CAP]
    return Finding(
        "memory",
        _("Computers with little memory"),
        _("Less than 4 GB: too little for a current system and office software."),
        found.count(),
        (_("Machine"), _("Memory")),
        [
            (_machine(name, n, pk), _("%(size)s GB") % {"size": number_format(mb / 1024, 1)})
            for pk, name, n, mb in rows
        ],
    )


def _contracts(fleet: Fleet, organisation: Organisation) -> Finding:
    today = fleet.filters.today
    found = visible_contracts(fleet.user).filter(
        organisation=organisation,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=CONTRACT_DAYS),
    )
    rows = (
        found.order_by("ends_on", "name")
        .annotate(machines=Count("assets"))
        .values_list("name", "kind", "ends_on", "supplier__name", "machines")[:CAP]
    )
    kinds = dict(ContractKind.choices)
    return Finding(
        "contracts",
        _("Contracts ending within %(days)d days") % {"days": CONTRACT_DAYS},
        _("Renew them, or decide what replaces them, before they end."),
        found.count(),
        (_("Contract"), _("Type"), _("End"), _("Supplier"), _("Machines covered")),
        [
            (name, str(kinds.get(kind, kind)), _day(end), supplier or "–", str(machines))
            for name, kind, end, supplier, machines in rows
        ],
    )


def _flagged(fleet: Fleet) -> Finding:
    found = AssetEvent.objects.filter(
        flagged=True, reviewed_at__isnull=True, asset__in=fleet.assets()
    )
    per_machine = (
        found.order_by()
        .values_list("asset_id", "asset__name", "asset__inventory_number")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by("-last", "asset_id")[:CAP]
    )
    return Finding(
        "flagged",
        _("Component changes not reviewed"),
        _("Parts removed or replaced since the last review (memory, disks...)."),
        found.count(),
        (_("Machine"), _("Changes"), _("Latest")),
        [
            (_machine(name, n, pk), str(count), _day(timezone.localtime(last)))
            for pk, name, n, count, last in per_machine
        ],
    )


def _licences(fleet: Fleet, organisation: Organisation) -> list[Finding]:
    installed = licensing.installed_counts(fleet.user, organisation=organisation)
    rows = licensing.compliance(
        fleet.user, organisation=organisation, today=fleet.filters.today, installed=installed
    )
    under = [row for row in rows if row.status == licensing.UNDER]
    missing = licensing.unlicensed_software(
        fleet.user, organisation=organisation, installed=installed
    )
    return [
        Finding(
            "under-licensed",
            _("Products with too few licences"),
            _("Installed on more machines than the seats of the licences valid today."),
            len(under),
            (_("Product"), _("Installed on"), _("Seats"), _("Missing")),
            [(r.product, str(r.installed), str(r.entitled), str(-(r.difference or 0)))
             for r in under[:CAP]],
        ),
        Finding(
            "unlicensed",
            _("Software installed without a licence"),
            _("No licence of these products is recorded for you: free software, or a "
              "licence to buy or to tell us about."),
            len(missing),
            (_("Product"), _("Publisher"), _("Installed on")),
            [(r.product, r.publisher or "–", str(r.installed)) for r in missing[:CAP]],
        ),
    ]  # fmt: skip


def findings(user, organisation: Organisation, *, now: datetime, days: int) -> list[Finding]:
    """Every finding for `organisation`, written in the active language."""
    fleet = Fleet(user, FleetFilters(organisation=organisation.pk, days=days, now=now))
    return [
        _not_seen(fleet),
        _warranty(fleet),
        _disks(fleet),
        *_licences(fleet, organisation),
        _old_systems(fleet),
        _low_memory(fleet),
        _contracts(fleet, organisation),
        _flagged(fleet),
    ]


def _context(user, organisation, *, now: datetime, days: int) -> dict:
    found = findings(user, organisation, now=now, days=days)
    return {
        "organisation": organisation,
        "now": now,
        "days": days,
        "findings": [f for f in found if f.count],
        "clear": [f for f in found if not f.count],
    }


def anomalies_note(
    user, organisation: Organisation, *, language: str, now=None, days: int = DEFAULT_DAYS
) -> str:
    """The note as an HTML fragment in `language`, for the page."""
    now = now or timezone.now()
    with translation.override(language):
        context = _context(user, organisation, now=now, days=days)
        return render_to_string("assets/partials/report_anomalies.html", context)


def anomalies_html(
    user, organisation: Organisation, *, language: str, now=None, days: int = DEFAULT_DAYS
) -> str:
    """The note as a whole document, for WeasyPrint."""
    now = now or timezone.now()
    with translation.override(language):
        context = _context(user, organisation, now=now, days=days)
        return render_to_string("assets/anomalies_pdf.html", context)


def anomalies_pdf(
    user, organisation: Organisation, *, language: str, now=None, days: int = DEFAULT_DAYS
) -> bytes:
    html = anomalies_html(user, organisation, language=language, now=now, days=days)
    return html_to_pdf(html)
