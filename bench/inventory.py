"""Asset management at fleet scale: agents' inventories, the asset list, licence compliance.

`python -m bench.inventory --computers 100000` (part of `make bench`) builds, once, a fleet
in its own database (`bench/out/inventory-<N>.sqlite3`, or the PostgreSQL database of
DATABASE_URL under scripts/with-postgres.sh): the benchmark's cast of organisations and
people, a software catalogue of 5,000 products (1,000 of them licensed, 3 versions each,
every raw name in the dictionary), N computers each with its agent and 500–1,000
installations, and licences for the licensed products. Then, against the production server
(gunicorn, DEBUG off), with 8 agents at once:

- inventory_full: a GLPI Agent full inventory (zlib-compressed JSON, as the agent sends it)
  of a known machine, with two programs updated and one installed since the last one;
- inventory_unchanged: the same inventories again, unchanged;
- asset_list: the staff asset list, and filtered by text (`q=`), as a technician (alone, then
  8 at once);

and in process: the database time of an unchanged re-inventory (the sum of its queries'
durations), licence compliance over the licensed products for the supervisor, and a PDF of
1,000 asset labels.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path

from bench.run import configure, say

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TEMPLATE = ROOT / "guichet/inventory/tests/fixtures/glpi-agent-1.11-inventory-full.json"
PRODUCTS, LICENSED, VERSIONS = 5_000, 1_000, ("1.0", "1.1", "2.0")
VENDORS = [
    "Microsoft", "Adobe", "Mozilla", "Google", "Oracle", "VideoLAN", "Igor Pavlov", "Autodesk",
    "Sage", "Cegid", "Citrix", "Cisco", "Fortinet", "Zoom", "Dropbox", "Notepad++ Team",
    "TeamViewer", "AnyDesk", "Foxit", "Corel", "Kaspersky", "ESET", "Sophos", "Lenovo", "HP",
    "Dell", "Intel", "NVIDIA", "Realtek", "Logitech",
]  # fmt: skip
WORDS = [
    "Office", "Studio", "Reader", "Player", "Suite", "Connect", "Desktop", "Agent", "Client",
    "Manager", "Tools", "Cloud", "Sync", "Viewer", "Designer", "Driver", "Runtime", "Update",
    "Security", "Backup", "Compta", "Paie", "Gestion", "Devis", "Planning",
]  # fmt: skip
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SOLO = 50  # inventories sent one at a time


def catalogue(rng: random.Random) -> list[tuple[str, str]]:
    """(raw name, publisher) of every product; the first LICENSED are the licensed ones."""
    names = set()
    while len(names) < PRODUCTS:
        vendor = rng.choice(VENDORS)
        names.add((f"{vendor} {rng.choice(WORDS)} {rng.choice(WORDS)} {len(names) % 97}", vendor))
    return sorted(names)


def software_of(machine: int, products: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """(product index, version index) installed on a machine: 500–1,000 programs."""
    rng = random.Random(machine)
    chosen = rng.sample(range(len(products)), rng.randint(500, 1000))
    return [(p, rng.randrange(len(VERSIONS))) for p in chosen]


def identity(machine: int) -> dict:
    rng = random.Random(-machine - 1)
    return {
        "device_id": f"bench-pc-{machine:06d}-2026-01-01-00-00-00",
        "name": f"PC-{machine:06d}",
        "serial": f"SN{machine:08d}",
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "mac": ":".join(f"{b:02x}" for b in [0xA4, 0xBB, 0x6D, *machine.to_bytes(3, "big")]),
    }


def payload(machine: int, products, *, changed: bool) -> bytes:
    """The GLPI Agent full inventory of a machine, zlib-compressed."""
    document = json.loads(_TEMPLATE)
    ident = identity(machine)
    installed = software_of(machine, products)
    if changed:  # two updates and one new program since the data set was made
        installed = [(p, (v + 1) % len(VERSIONS)) if i < 2 else (p, v)
                     for i, (p, v) in enumerate(installed)]  # fmt: skip
        present = {p for p, _ in installed}
        installed.append((next(p for p in range(len(products)) if p not in present), 0))
    content = document["content"]
    document["deviceid"] = ident["device_id"]
    content["hardware"].update(name=ident["name"], uuid=ident["uuid"], vmsystem="Physical")
    content["bios"] = {"ssn": ident["serial"], "smanufacturer": "Dell Inc.",
                       "smodel": "OptiPlex 7090"}  # fmt: skip
    content["networks"] = [{"description": "eth0", "mac": ident["mac"], "ipaddress": "192.0.2.7",
                            "status": "up", "type": "ethernet", "virtualdev": False}]  # fmt: skip
    content["softwares"] = [
        {"name": products[p][0], "version": VERSIONS[v], "publisher": products[p][1]}
        for p, v in installed
    ]
    return zlib.compress(json.dumps(document).encode())


_TEMPLATE = TEMPLATE.read_text()


def generate(computers: int) -> None:
    """The fleet, written in bulk (a benchmark loader may write rows directly)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import base
    from guichet.accounts.models import Organisation
    from guichet.assets import catalogue as dictionary
    from guichet.assets import usage
    from guichet.assets.models import Licence, Product, Publisher, SoftwareAlias, SoftwareVersion

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    base.build_base()
    rng = random.Random(11)
    products = catalogue(rng)
    with transaction.atomic():
        publishers = {n: Publisher.objects.create(name=n).pk for n in sorted(set(VENDORS))}
        Product.objects.bulk_create([Product(name=n, publisher_id=publishers[p])
                                     for n, p in products], batch_size=1000)  # fmt: skip
        product_ids = dict(Product.objects.values_list("name", "pk"))
        SoftwareAlias.objects.bulk_create(
            [SoftwareAlias(raw_name=dictionary.fold(n), raw_publisher=dictionary.fold(p),
                           product_id=product_ids[n])
             for n, p in products], batch_size=1000)  # fmt: skip
        SoftwareVersion.objects.bulk_create(
            [SoftwareVersion(product_id=product_ids[n], version=v)
             for n, _ in products for v in VERSIONS], batch_size=2000)  # fmt: skip
    versions = {(pid, v): pk for pk, pid, v in
                SoftwareVersion.objects.values_list("pk", "product_id", "version")}  # fmt: skip
    index_product = [product_ids[n] for n, _ in products]
    organisations = list(Organisation.objects.order_by("id").values_list("pk", flat=True))
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S")
    say(f"Catalogue: {PRODUCTS:,} products; writing {computers:,} computers…")
    installs = 0
    cursor = connection.cursor()
    # The product index is built once at the end: kept during the load, each of the tens of
    # millions of rows would land at a random place in it.
    cursor.execute("DROP INDEX IF EXISTS installation_product_idx")
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA cache_size = -1000000")
    for start in range(0, computers, 2000):
        with transaction.atomic():
            assets, agents, rows = [], [], []
            for machine in range(start, min(start + 2000, computers)):
                ident = identity(machine)
                org = organisations[machine % len(organisations)]
                assets.append((machine + 1, "computer", "desktop", ident["name"], "",
                               ident["serial"], ident["uuid"], "OptiPlex 7090", org, "in_use",
                               "2024-01-01", ident["device_id"], stamp, "{}", "{}", stamp,
                               stamp, "Debian GNU/Linux 12 (bookworm)"))  # fmt: skip
                agents.append((ident["device_id"], "glpi", "GLPI-Agent 1.11", "", org,
                               machine + 1, stamp, stamp, stamp, ""))  # fmt: skip
                for p, v in software_of(machine, products):
                    pid = index_product[p]
                    rows.append((machine + 1, pid, versions[(pid, VERSIONS[v])], stamp))
            _insert(cursor, "assets_asset",
                    "id, kind, subtype, name, inventory_number, serial, uuid, model, "
                    "organisation_id, state, state_since, device_id, last_inventory_at, "
                    "custom_fields, inventory_digests, created_at, updated_at, os_name, "
                    "purchase_price, invoice_reference, notes, extension, imei, line_number, "
                    "os_version, os_arch, domain, last_user",
                    [(*a, None, "", "", "", "", "", "12", "x86_64", "", "")
                     for a in assets])  # fmt: skip
            _insert(cursor, "inventory_agent",
                    "device_id, protocol, version, tag, organisation_id, asset_id, "
                    "first_contact_at, last_contact_at, last_inventory_at, last_error",
                    agents)  # fmt: skip
            _insert(cursor, "assets_installation", "asset_id, product_id, version_id, first_seen",
                    rows)  # fmt: skip
            installs += len(rows)
        print(f"\r  {min(start + 2000, computers):,} computers, {installs:,} installations",
              end="", flush=True)  # fmt: skip
    print()
    if connection.vendor == "postgresql":
        for table in ("assets_asset", "inventory_agent"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                           f"(SELECT max(id) FROM {table}))")  # fmt: skip
    say("Indexing the installations by product…")
    cursor.execute("CREATE INDEX installation_product_idx ON assets_installation "
                   "(product_id, asset_id)")  # fmt: skip
    say("Counting the machines per product and organisation…")
    with transaction.atomic():
        usage.rebuild()  # the loader wrote installations directly: count them once
    with transaction.atomic():
        licences = []
        for n, (name, _) in enumerate(products[:LICENSED]):
            for org in organisations[n % 7 :: 7]:
                licences.append(Licence(product_id=product_ids[name], organisation_id=org,
                                        name=f"{name} – {org}", kind="per_device",
                                        seats=rng.randint(5, 400), created_at=NOW,
                                        updated_at=NOW))  # fmt: skip
        Licence.objects.bulk_create(licences, batch_size=2000)
    cursor.execute("ANALYZE")
    say(f"Fleet: {computers:,} computers, {installs:,} installations, {len(licences):,} "
        f"licences in {time.monotonic() - started:.0f} s")  # fmt: skip


def _insert(cursor, table: str, columns: str, rows: list) -> None:
    marks = ", ".join(["%s"] * len(rows[0]))
    if cursor.db.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def rank(p):
        return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * p / 100 + 0.5) - 1))]

    return {"p50": rank(50), "p95": rank(95), "p99": rank(99)}


def database_time(machines: list[int], products) -> list[float]:
    """Milliseconds of SQL per unchanged re-inventory, measured in process."""
    from django.db import connection

    from guichet.inventory import actions
    from guichet.inventory.formats import codec, glpi

    spent = [0.0]

    def timed(execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - begin

    result = []
    for machine in machines:
        body, _ = codec.decode_body(
            payload(machine, products, changed=True),
            "application/x-compress-zlib",
            max_size=50_000_000,
        )
        inventory = glpi.read_request(body).inventory
        spent[0] = 0.0
        with connection.execute_wrapper(timed):
            outcome = actions.ingest(inventory=inventory)
        assert outcome.changes is not None and not outcome.changes.sections, outcome.changes
        result.append(spent[0] * 1000)
    return result


def measure(env: dict, computers: int, requests: int, clients: int) -> dict:
    from bench import base
    from bench.load import Client, login, run
    from bench.server import Server

    products = catalogue(random.Random(11))
    rng = random.Random(5)
    sample = rng.sample(range(computers), requests + SOLO)
    machines, solo = sample[:requests], sample[requests:]
    bodies = [payload(m, products, changed=True) for m in machines]
    solo_bodies = [payload(m, products, changed=True) for m in solo]
    # Each measured machine has sent its inventory once before (as every agent has, daily):
    # its components and the digests of its sections are known.
    warmup = [payload(m, products, changed=False) for m in sample]
    results = {}
    log = OUT / "inventory-server.log"
    with Server(env, log) as server:
        agents = [Client(server.port, {"Content-Type": "application/x-compress-zlib"})
                  for _ in range(clients)]  # fmt: skip
        # The agents' URL carries no key here: every machine is known by its agent's id.
        url = "/inventory/"
        run("warmup", agents, lambda n: ("POST", url, warmup[n]), count=len(sample))
        # One agent at a time: the server's own time for a full inventory, without queueing.
        alone = run("inventory_full_alone", agents[:1], lambda n: ("POST", url, solo_bodies[n]),
                    count=SOLO)  # fmt: skip
        results["inventory_full_alone"] = alone
        say(f"  {'inventory_full alone':20} p50 {alone.percentile(50):6.1f} ms  "
            f"p95 {alone.percentile(95):6.1f} ms  errors {alone.failures}")  # fmt: skip
        for name in ("inventory_full", "inventory_unchanged"):
            result = run(name, agents, lambda n: ("POST", url, bodies[n]), count=requests)
            results[name] = result
            say(f"  {name:20} {result.rate:6.1f}/s  p50 {result.percentile(50):6.1f} ms  "
                f"p95 {result.percentile(95):6.1f} ms  p99 {result.percentile(99):6.1f} ms  "
                f"errors {result.failures}")  # fmt: skip
            if result.errors:
                say("    " + result.errors[0][:300])
        session = login(server.port, base.TECHNICIAN, base.PASSWORD)
        staff = [Client(server.port, session) for _ in range(clients)]
        for name, path in (("asset_list", "/assets/"), ("asset_list_q", "/assets/?q=PC-0012")):
            # One technician first: the server's own time for the page, without queueing.
            alone = run(f"{name}_alone", staff[:1], lambda n, p=path: ("GET", p, None),
                        count=SOLO)  # fmt: skip
            results[f"{name}_alone"] = alone
            say(f"  {name + ' alone':20} p50 {alone.percentile(50):6.1f} ms  "
                f"p95 {alone.percentile(95):6.1f} ms  errors {alone.failures}")  # fmt: skip
            result = run(name, staff, lambda n, p=path: ("GET", p, None), count=requests)
            results[name] = result
            say(f"  {name:20} {result.rate:6.1f}/s  p50 {result.percentile(50):6.1f} ms  "
                f"p95 {result.percentile(95):6.1f} ms  p99 {result.percentile(99):6.1f} ms  "
                f"errors {result.failures}")  # fmt: skip
    return {"results": results, "machines": machines, "products": products}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--computers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--reuse", action="store_true", help="keep a fleet made before")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    db = OUT / f"inventory-{args.computers}.sqlite3"
    if postgres:
        env = {**os.environ, "GUICHET_DATA_DIR": str(OUT / "data"), "DEBUG": "0",
               "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "guichet.settings"}  # fmt: skip
        os.environ.update(env)
        import django

        django.setup()
    else:
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        env = configure(OUT, db)
    from django.core.management import call_command

    if not args.reuse:
        generate(args.computers)
    else:
        call_command("migrate", verbosity=0)
    if args.generate_only:
        return 0
    call_command("collectstatic", "--noinput", verbosity=0)
    measured = measure(env, args.computers, args.requests, args.clients)
    unchanged_db = database_time(measured["machines"][:100], measured["products"])
    db_times = percentiles(unchanged_db)
    say(f"  unchanged re-inventory, database time: p50 {db_times['p50']:.2f} ms, "
        f"p95 {db_times['p95']:.2f} ms, p99 {db_times['p99']:.2f} ms")  # fmt: skip
    from guichet.accounts.models import User
    from guichet.assets.compliance import compliance

    supervisor = User.objects.get(username="bench-supervisor")
    timings = []
    for _ in range(5):
        begin = time.perf_counter()
        rows = compliance(supervisor)
        timings.append(time.perf_counter() - begin)
    say(f"  compliance: {len(rows):,} rows (product × organisation), median "
        f"{statistics.median(timings) * 1000:.0f} ms, "
        f"worst {max(timings) * 1000:.0f} ms")  # fmt: skip
    from guichet.assets.models import Asset
    from guichet.assets.transfer import labels

    assets = Asset.objects.select_related("organisation").order_by("pk")[:1000]
    begin = time.perf_counter()
    sheet = labels.make_labels(assets, lambda path: f"https://desk.example.org{path}")
    pdf = labels.sheet_pdf(sheet)
    say(f"  labels: {len(sheet):,} on {len(labels.pages(sheet))} sheets, "
        f"{time.perf_counter() - begin:.1f} s, {len(pdf) // 1024:,} KB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
