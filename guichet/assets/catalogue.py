"""The software dictionary: what agents report ("Mozilla Firefox (x64 fr)", "Mozilla") →
normalised products and versions, created on first sight.

Agents name the same program many ways: with its version, architecture or language in the
name, the publisher with or without its company suffix. The first sighting of a raw name
creates a dictionary entry (`SoftwareAlias`) pointing to a product named by `product_name`;
later inventories read the entry, so an administrator who points it elsewhere is obeyed.
New catalogue rows are inserted in key order with conflicts ignored, so two agents importing
the same new programs at once wait for each other instead of deadlocking.

Each process remembers what it resolved (`_memo`): a fleet reports the same few thousand
programs every day, and reading their entries and versions again was most of an inventory's
database work. An entry is remembered only once its transaction has committed, and the memo
belongs to the reference revision (`lib.refcache`): a dictionary entry pointed elsewhere, a
merge, a deleted product or version makes a new revision and the memo starts empty. New
entries and versions do not: they only add what the memo did not know.
"""

import re
from collections.abc import Iterable
from typing import cast

from django.db import connection, transaction

from guichet.assets.models import Product, Publisher, SoftwareAlias, SoftwareVersion
from guichet.lib import refcache

NAME_MAX, PUBLISHER_MAX, VERSION_MAX = 255, 200, 100
MEMO_LIMIT = 200_000  # (name, publisher, version) remembered per process; then it starts over
# What makes remembered resolutions wrong (`AssetsConfig.ready` watches them).
MEMO_WATCHES = (
    (SoftwareAlias, ("UPDATE", "DELETE")),
    (SoftwareVersion, ("UPDATE", "DELETE")),
    (Product, ("DELETE",)),
)

_SPACES = re.compile(r"\s+")
# Trailing decorations that do not make another product.
_DECORATIONS = re.compile(
    r"""(\s*[-–(\[]?\s*(
        x64|x86|x86_64|amd64|arm64|64[- ]?bits?|32[- ]?bits?|
        (en|fr|de|es|it|nl|pt)(-[a-z]{2})?|multilingual|fran[cç]ais|english|
        v?\d+(\.\d+)+([a-z0-9.+~-]*)?
    )\s*[)\]]?)+\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_COMPANY = re.compile(
    r"[,.]?\s+(inc\.?|incorporated|corporation|corp\.?|ltd\.?|limited|llc|gmbh|s\.?a\.?s?\.?|"
    r"co\.?|ag|b\.?v\.?)$",
    re.IGNORECASE,
)
KNOWN_PUBLISHERS = {
    "microsoft corporation": "Microsoft",
    "microsoft corp.": "Microsoft",
    "mozilla": "Mozilla",
    "google llc": "Google",
    "google inc.": "Google",
    "adobe systems incorporated": "Adobe",
    "adobe inc.": "Adobe",
    "hewlett-packard": "HP",
    "hewlett packard": "HP",
    "hp inc.": "HP",
    "dell inc.": "Dell",
    "lenovo group limited": "Lenovo",
    "oracle corporation": "Oracle",
    "the document foundation": "The Document Foundation",
}


def fold(text: str) -> str:
    """The dictionary key of a raw name: case and spacing do not matter."""
    return " ".join((text or "").split()).casefold()


def product_name(raw: str) -> str:
    """A product's name from a raw one: version, architecture and language suffixes gone."""
    name = _SPACES.sub(" ", raw or "").strip()
    cleaned = _DECORATIONS.sub("", name).strip(" -–")
    return (cleaned or name)[:NAME_MAX]


def publisher_name(raw: str) -> str:
    name = _SPACES.sub(" ", raw or "").strip()
    if not name:
        return ""
    known = KNOWN_PUBLISHERS.get(name.casefold())
    if known:
        return known
    return (_COMPANY.sub("", name).strip() or name)[:PUBLISHER_MAX]


def _rows(sql: str, model, column: str, values: list) -> list[tuple]:
    """A plain SQL read of the rows whose `column` is one of `values`: every inventory looks
    up hundreds of names, and building the same ORM query each time cost more than running
    it. PostgreSQL gets the values as one array: a list of hundreds of placeholders cost
    more to bind and plan than the query took to run."""
    if connection.vendor == "postgresql":
        condition, params = f"{column} = ANY(%s)", [list(values)]
    else:
        condition, params = f"{column} IN ({', '.join(['%s'] * len(values))})", values
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(sql.format(table=table, condition=condition), params)
        return cursor.fetchall()


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _publishers(names: set[str]) -> dict[str, int]:
    wanted = sorted(n for n in names if n)
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found.update(Publisher.objects.filter(name__in=chunk).values_list("name", "pk"))
    missing = [n for n in wanted if n not in found]
    if missing:
        Publisher.objects.bulk_create([Publisher(name=n) for n in missing], ignore_conflicts=True)
        for chunk in _chunks(missing):
            found.update(Publisher.objects.filter(name__in=chunk).values_list("name", "pk"))
    return found


def _products(keys: set[tuple[int | None, str]]) -> dict[tuple[int | None, str], int]:
    names = sorted({name for _, name in keys})
    found: dict[tuple[int | None, str], int] = {}

    def read(chunk):
        for pk, publisher, name in Product.objects.filter(name__in=chunk).values_list(
            "pk", "publisher_id", "name"
        ):
            if (publisher, name) in keys:
                found[(publisher, name)] = pk

    for chunk in _chunks(names):
        read(chunk)
    missing = sorted((k for k in keys if k not in found), key=lambda k: (k[0] or 0, k[1]))
    if missing:
        Product.objects.bulk_create(
            [Product(publisher_id=p, name=n) for p, n in missing], ignore_conflicts=True
        )
        for chunk in _chunks(sorted({n for _, n in missing})):
            read(chunk)
    return found


def _aliases(originals: dict[tuple[str, str], tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Dictionary entries for (folded name, folded publisher), created for new ones from
    the raw spellings (`originals`)."""
    keys = set(originals)
    found: dict[tuple[str, str], int] = {}

    def read(chunk):
        sql = "SELECT raw_name, raw_publisher, product_id FROM {table} WHERE {condition}"
        for name, publisher, product in _rows(sql, SoftwareAlias, "raw_name", chunk):
            if (name, publisher) in keys:
                found[(name, publisher)] = product

    for chunk in _chunks(sorted({n for n, _ in keys})):
        read(chunk)
    missing = sorted(k for k in keys if k not in found)
    if not missing:
        return found
    publishers = _publishers({publisher_name(originals[k][1]) for k in missing})
    product_keys = {
        k: (publishers.get(publisher_name(originals[k][1])), product_name(originals[k][0]))
        for k in missing
    }
    products = _products(set(product_keys.values()))
    SoftwareAlias.objects.bulk_create(
        [
            SoftwareAlias(raw_name=n, raw_publisher=p, product_id=products[product_keys[(n, p)]])
            for n, p in missing
        ],
        ignore_conflicts=True,
    )
    for chunk in _chunks(sorted({n for n, _ in missing})):
        read(chunk)
    return found


def key(software) -> tuple[str, str, str]:
    """(folded name, folded publisher, version) of a software as an agent reported it."""
    return (
        fold(software.name)[:NAME_MAX],
        fold(software.publisher)[:PUBLISHER_MAX],
        (software.version or "").strip()[:VERSION_MAX],
    )


Resolved = tuple[int, int] | None
_MISSING: object = object()


def _memo() -> dict[tuple, Resolved]:
    # Shared by the requests of the process; written only by `_learn`, after a commit.
    return refcache.cached("assets.catalogue.resolved", dict)


def _learn(memo: dict[tuple, Resolved], learned: dict[tuple, Resolved]) -> None:
    if len(memo) + len(learned) > MEMO_LIMIT:
        memo.clear()
    memo.update(learned)


def resolve(softwares: Iterable) -> list[Resolved]:
    """(product id, version id) for each software given (objects with `name`, `publisher`,
    `version`), in the same order, creating what is new; None for a nameless one."""
    softwares = list(softwares)
    memo = _memo()
    raw = [(s.name, s.publisher, s.version) for s in softwares]
    # One read of each entry: another thread's commit may start the memo over meanwhile.
    known: dict[tuple, Resolved] = {}
    unknown: dict[tuple, object] = {}
    for key_, software in zip(raw, softwares, strict=True):
        found = memo.get(key_, _MISSING)
        if found is _MISSING:
            unknown[key_] = software
        else:
            known[key_] = cast(Resolved, found)
    if unknown:
        learned = dict(zip(unknown, _lookup(list(unknown.values())), strict=True))
        transaction.on_commit(lambda: _learn(memo, learned))
        known.update(learned)
    return [known[r] for r in raw]


def _lookup(softwares: list) -> list[Resolved]:
    """`resolve` from the database."""
    keys = [key(s) for s in softwares]
    originals: dict[tuple[str, str], tuple[str, str]] = {}
    for software, (name, publisher, _version) in zip(softwares, keys, strict=True):
        if name:
            originals.setdefault((name, publisher), (software.name, software.publisher))
    aliases = _aliases(originals)
    pairs = {(aliases[(n, p)], v) for n, p, v in keys if n}
    versions = _versions(pairs)
    return [(aliases[(n, p)], versions[(aliases[(n, p)], v)]) if n else None for n, p, v in keys]


def _versions(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    found: dict[tuple[int, str], int] = {}

    def read(products):
        sql = "SELECT id, product_id, version FROM {table} WHERE {condition}"
        for pk, product, version in _rows(sql, SoftwareVersion, "product_id", products):
            if (product, version) in pairs:
                found[(product, version)] = pk

    products = sorted({p for p, _ in pairs})
    for chunk in _chunks(products):
        read(chunk)
    missing = sorted(k for k in pairs if k not in found)
    if missing:
        SoftwareVersion.objects.bulk_create(
            [SoftwareVersion(product_id=p, version=v) for p, v in missing], ignore_conflicts=True
        )
        for chunk in _chunks(sorted({p for p, _ in missing})):
            read(chunk)
    return found
