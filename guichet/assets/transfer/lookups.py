"""Everything a file's lines name, read in a few queries for the whole file (never one per
line): organisations, assets by inventory number and serial, sites, people, manufacturers and
suppliers. Only what the importing user may see is found, through the access door."""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Q
from django.db.models.functions import Lower

from guichet.accounts.access import visible_assets, visible_organisations, visible_users
from guichet.accounts.models import Location, Organisation
from guichet.assets.models import Asset, Manufacturer, Supplier

# SQLite refuses statements with too many parameters.
CHUNK = 500
RELATED = ("organisation", "location", "user", "manufacturer", "supplier")


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _folded(value: str) -> str:
    return value.strip().casefold()


def _spellings(names: set[str]) -> set[str]:
    """Each name as written and folded: the database's LOWER() folds ASCII letters only."""
    return {name.strip() for name in names} | {_folded(name) for name in names}


class Lookups:
    def __init__(self, actor, records: list[dict[str, str]]):
        def cells(field: str) -> set[str]:
            return {record[field].strip() for record in records if record.get(field, "").strip()}

        self.organisations = {
            _folded(org.name): org for org in visible_organisations(actor).order_by("pk")
        }
        numbers, serials = cells("inventory_number"), cells("serial")
        self.by_number: dict[str, Asset] = {}
        self.taken: dict[str, int] = {}
        assets = visible_assets(actor, Asset.objects.select_related(*RELATED))
        for chunk in _chunks(numbers):
            self.by_number.update(
                (asset.inventory_number, asset)
                for asset in assets.filter(inventory_number__in=chunk)
            )
            # Inventory numbers are unique across all organisations, seen or not.
            self.taken.update(
                Asset.objects.filter(inventory_number__in=chunk).values_list(
                    "inventory_number", "pk"
                )
            )
        self.by_serial: dict[str, list[Asset]] = defaultdict(list)
        for chunk in _chunks(serials):
            for asset in assets.filter(serial__in=chunk).order_by("pk"):
                self.by_serial[asset.serial].append(asset)
        self._locations = self._read_locations(cells("location"))
        self._people = self._read_people(actor, cells("user"))
        self._manufacturers = self._named(Manufacturer, cells("manufacturer"))
        self._suppliers = self._named(Supplier, cells("supplier"))

    def organisation(self, name: str) -> Organisation | None:
        return self.organisations.get(_folded(name))

    def location(self, organisation: Organisation, name: str) -> Location | None:
        return self._locations.get((organisation.pk, _folded(name)))

    def people(self, name: str) -> list:
        return self._people.get(_folded(name), [])

    def manufacturer(self, name: str) -> Manufacturer | None:
        return self._manufacturers.get(_folded(name))

    def supplier(self, name: str) -> Supplier | None:
        return self._suppliers.get(_folded(name))

    def _read_locations(self, names: set[str]) -> dict[tuple[int, str], Location]:
        if not names:
            return {}
        # Sites of every organisation the user may see: a file may move assets between them.
        found = Location.objects.filter(organisation__in=list(self.organisations.values()))
        return {(site.organisation_id, _folded(site.name)): site for site in found}

    @staticmethod
    def _read_people(actor, names: set[str]) -> dict[str, list]:
        people: dict[str, list] = defaultdict(list)
        queryset = visible_users(actor).annotate(
            lower_username=Lower("username"), lower_email=Lower("email")
        )
        wanted = {_folded(name) for name in names}
        for chunk in _chunks(_spellings(names)):
            matching = Q(lower_username__in=chunk) | Q(lower_email__in=chunk)
            matching |= Q(username__in=chunk) | Q(email__in=chunk)
            for person in queryset.filter(matching).order_by("pk"):
                for found in {_folded(person.username), _folded(person.email)} & wanted:
                    if person not in people[found]:
                        people[found].append(person)
        return people

    @staticmethod
    def _named(model, names: set[str]) -> dict:
        found: dict = {}
        for chunk in _chunks(_spellings(names)):
            rows = model.objects.annotate(lower_name=Lower("name")).filter(
                Q(lower_name__in=chunk) | Q(name__in=chunk)
            )
            found.update((_folded(row.name), row) for row in rows.order_by("-pk"))
        return found
