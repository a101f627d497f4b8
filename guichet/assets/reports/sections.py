"""The fleet report as the page shows it: sections of a chart and tables, and every table by
the slug its CSV download is named after."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.assets.compliance import COMPLIANT, UNLIMITED
from guichet.assets.reports import fleet as figures
from guichet.assets.reports.charts import MAX_BARS, Series, bar_chart
from guichet.assets.reports.fleet import Fleet
from guichet.assets.reports.tables import Shown, Table, shown


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    chart: SafeString | None
    tables: list[Shown] = field(default_factory=list)


def _counts_chart(ident: str, table: Table, label: Callable[[tuple], str]) -> SafeString | None:
    """The table's last column as bars, one per row (the first MAX_BARS rows); nothing
    for an empty table."""
    title = table.caption
    rows = table.rows[:MAX_BARS]
    if not any(row[-1] for row in rows):
        return None
    more = len(table.rows) - len(rows)
    if more:
        description = _(
            "%(title)s, as bars: the %(n)d largest counts. The figures are in the table "
            "that follows."
        ) % {"title": title, "n": len(rows)}
    else:
        description = _("%(title)s, as bars. The figures are in the table that follows.") % {
            "title": title
        }
    return bar_chart(
        ident,
        title,
        description,
        [label(row) for row in rows],
        [Series(table.columns[-1].label, [row[-1] for row in rows])],
    )


def _list_section(ident: str, title: str, intro: str, per_org: Table, listing) -> Section:
    total = per_org.total[-1] if per_org.total else 0
    return Section(
        id=ident,
        title=title,
        intro=intro,
        chart=_counts_chart(f"{ident}-chart", per_org, lambda row: row[0]),
        tables=[shown(per_org), shown(listing(total=total))],
    )


def _compliance_chart(fleet: Fleet) -> SafeString | None:
    off = [r for r in fleet.compliance if r.status not in (COMPLIANT, UNLIMITED)]
    off = sorted(off, key=lambda r: -abs(r.difference or 0))[:MAX_BARS]
    if not off:
        return None
    many = fleet.filters.organisation is None
    return bar_chart(
        "compliance-chart",
        _("Installs and seats of the products out of compliance"),
        _(
            "Per product out of compliance (at most %(n)d, the largest differences first): "
            "machines it is installed on (solid bars) and seats of its valid licences "
            "(hatched bars). The figures are in the table that follows."
        )
        % {"n": MAX_BARS},
        [f"{r.product} · {r.organisation}" if many else r.product for r in off],
        [
            Series(_("Installed on"), [r.installed for r in off]),
            Series(_("Seats"), [r.entitled or 0 for r in off]),
        ],
    )


def fleet_sections(fleet: Fleet) -> list[Section]:
    """Every section of the page, in the active language."""
    many = fleet.filters.organisation is None
    systems = figures.systems(fleet)
    makers = figures.manufacturers(fleet)
    ages = figures.ages(fleet)
    # The installs of every product are counted once, for both of the licence sections.
    compliance = figures.licence_compliance(fleet)
    unlicensed = figures.unlicensed(fleet)
    return [
        Section(
            "systems",
            _("Operating systems"),
            _("Active computers, as their inventory agent last reported them."),
            _counts_chart("systems-chart", systems, lambda row: f"{row[0]} {row[1]}".strip()),
            [shown(systems)],
        ),
        Section(
            "manufacturers",
            _("Manufacturers"),
            _("Active assets of every type."),
            _counts_chart("manufacturers-chart", makers, lambda row: row[0]),
            [shown(makers)],
        ),
        Section(
            "ages",
            _("Age"),
            _("Active assets by whole years since their year of purchase."),
            _counts_chart("ages-chart", ages, lambda row: row[0]),
            [shown(ages)],
        ),
        _list_section(
            "not-seen",
            _("Machines not seen"),
            _("Active machines whose last inventory is older than the number of days chosen."),
            figures.not_seen_by_organisation(fleet),
            lambda total: figures.not_seen(fleet, total=total),
        ),
        _list_section(
            "warranty",
            _("Out of warranty"),
            _("Active assets whose warranty ended before today."),
            figures.warranty_by_organisation(fleet),
            lambda total: figures.out_of_warranty(fleet, total=total),
        ),
        _list_section(
            "disks",
            _("Disks nearly full"),
            _("Volumes with less than a tenth of their size free, on active machines."),
            figures.disks_by_organisation(fleet),
            lambda total: figures.full_disks(fleet, total=total),
        ),
        Section(
            "compliance",
            _("Licence compliance"),
            _(
                "Per product and organisation: the active machines it is installed on against "
                "the seats of the licences valid today. A site licence has no limit; a seat "
                "of a per-user licence covers the machines of the person who holds it."
            ),
            _compliance_chart(fleet),
            [shown(compliance)],
        ),
        Section(
            "unlicensed",
            _("Software without a licence"),
            _(
                "Products installed in an organisation that has no licence of them, hidden "
                "products left out."
            ),
            _counts_chart(
                "unlicensed-chart",
                unlicensed,
                lambda row: f"{row[0]} · {row[2]}" if many else row[0],
            ),
            [shown(unlicensed)],
        ),
    ]


# Every downloadable table, by slug; lists come whole (no cap).
BUILDERS: dict[str, Callable[[Fleet], Table]] = {
    "systems": figures.systems,
    "manufacturers": figures.manufacturers,
    "ages": figures.ages,
    "not-seen-organisations": figures.not_seen_by_organisation,
    "not-seen": lambda fleet: figures.not_seen(fleet, cap=None),
    "warranty-organisations": figures.warranty_by_organisation,
    "warranty": lambda fleet: figures.out_of_warranty(fleet, cap=None),
    "disks-organisations": figures.disks_by_organisation,
    "disks": lambda fleet: figures.full_disks(fleet, cap=None),
    "compliance": figures.licence_compliance,
    "unlicensed": figures.unlicensed,
}
