"""The demo's fleet: each client company's computers as their inventory agents reported
them (components, software, a memory module removed, a machine not seen for two months),
its screens, printers, network gear and phones, the licences and supplier contracts that
cover them, a reconciliation conflict to resolve, and the links to the demo tickets that
name a machine."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction

from guichet.assets import actions
from guichet.assets.choices import AssetKind, AssetState, LicenceKind
from guichet.assets.models import Asset, Product, TicketAsset
from guichet.demo.people import Cast
from guichet.inventory import actions as inventory
from guichet.inventory.normal import Hardware, Inventory, Part, Software
from guichet.tickets.models import Ticket

# The machines the demo tickets talk about (`scenarios.py`), then more of the same fleet.
NAMED = ["PC-0412", "PC-0587", "PC-0233", "LT-1108", "LT-1342", "PC-0764", "LT-0981"]
MODELS = [
    ("Dell Inc.", "OptiPlex 7090", "desktop"),
    ("HP", "EliteDesk 800 G6", "desktop"),
    ("LENOVO", "ThinkPad T14 Gen 3", "laptop"),
    ("Dell Inc.", "Latitude 5430", "laptop"),
    ("HP", "ProLiant ML350 Gen10", "server"),
]
SYSTEMS = [
    ("Microsoft Windows 11 Professionnel", "23H2"),
    ("Microsoft Windows 11 Pro", "24H2"),
    ("Microsoft Windows 10 Professionnel", "22H2"),
    ("Debian GNU/Linux 12 (bookworm)", "12.8"),
]
COMMON = [
    ("Microsoft 365 Apps for enterprise - fr-fr", "16.0.17928", "Microsoft Corporation"),
    ("Mozilla Firefox (x64 fr)", "133.0", "Mozilla"),
    ("Google Chrome", "131.0.6778.86", "Google LLC"),
    ("7-Zip 24.08 (x64)", "24.08", "Igor Pavlov"),
    ("Adobe Acrobat Reader (64-bit)", "24.004.20220", "Adobe Inc."),
    ("VLC media player", "3.0.21", "VideoLAN"),
    ("Microsoft Teams", "24295.605.3225", "Microsoft Corporation"),
    ("TeamViewer", "15.60.3", "TeamViewer Germany GmbH"),
    ("Notepad++ (64-bit x64)", "8.7.1", "Notepad++ Team"),
    ("ESET Endpoint Antivirus", "11.1.2039.2", "ESET, spol. s r.o."),
    ("KeePass Password Safe 2.57.1", "2.57.1", "Dominik Reichl"),
]
OPTIONAL = [
    ("Sage 100 Comptabilité", "9.00", "Sage"),
    ("EBP Compta Pro", "14.1", "EBP"),
    ("Zoom Workplace (64-bit)", "6.2.11", "Zoom Video Communications, Inc."),
    ("AutoCAD LT 2025 - Français", "25.0.58", "Autodesk, Inc."),
    ("LibreOffice 24.8.3.2", "24.8.3.2", "The Document Foundation"),
    ("FileZilla 3.68.1", "3.68.1", "Tim Kosse"),
    ("GIMP 2.10.38", "2.10.38", "The GIMP Team"),
    ("WinSCP 6.3.5", "6.3.5", "Martin Prikryl"),
]
PERIPHERALS = [
    (AssetKind.MONITOR, "", "Dell Inc.", "P2423D", "Écran"),
    (AssetKind.PRINTER, "", "Brother", "MFC-L8900CDW", "Imprimante accueil"),
    (AssetKind.PRINTER, "", "Canon", "imageRUNNER ADVANCE C3826i", "Copieur"),
    (AssetKind.NETWORK, "", "Fortinet", "FortiGate 60F", "Pare-feu"),
    (AssetKind.NETWORK, "", "HPE Aruba", "Instant On 1930 24G", "Switch"),
    (AssetKind.PHONE, "desk_phone", "Yealink", "T54W", "Poste"),
    (AssetKind.PHONE, "mobile", "Samsung", "Galaxy A55", "Mobile"),
]


def _inventory(
    rng: random.Random, name: str, serial: str, index: int, memory: int = 2
) -> Inventory:
    maker, model, kind = MODELS[index % (len(MODELS) - 1)] if index else MODELS[-1]
    os_name, os_version = rng.choice(SYSTEMS)
    softwares = [Software(n, v, p) for n, v, p in COMMON]
    softwares += [Software(n, v, p) for n, v, p in rng.sample(OPTIONAL, rng.randint(1, 4))]
    mac = f"a4:bb:6d:{index % 256:02x}:{rng.randrange(256):02x}:{rng.randrange(256):02x}"
    parts = [
        Part("cpus", "cpu0", "Intel(R) Core(TM) i5-1245U", size=1600, data={"cores": "10"}),
        *[Part("memories", f"slot{n}", "DDR4 SODIMM", size=8192) for n in range(memory)],
        Part("storages", f"S6{serial}", "Samsung SSD 980 PRO 512GB", size=476_940),
        Part("volumes", "C:", "C:", size=475_000, free=rng.randint(9_000, 300_000)),
        Part("networks", mac, "Intel(R) Ethernet Connection", data={"ip": f"10.0.1.{index + 20}"}),
    ]
    return Inventory(
        device_id=f"{name}-{serial}-2025-09-01-08-00-00",
        protocol="glpi",
        agent="GLPI-Agent_v1.11",
        sections={"hardware", "cpus", "memories", "storages", "volumes", "networks", "softwares"},
        hardware=Hardware(
            name=name,
            serial=serial,
            uuid=f"4C4C4544-00{index:02d}-3510-8052-{serial[:12]:0<12}",
            manufacturer=maker,
            model=model,
            kind=kind,
            os_name=os_name,
            os_version=os_version,
            os_arch="x86_64",
            memory_mb=memory * 8192,
        ),
        parts=parts,
        softwares=softwares,
    )


def _computers(cast: Cast, client, rng: random.Random, now: datetime, count: int) -> list[Asset]:
    organisation = client.organisation
    key = organisation.pk * 1000
    made = []
    for index in range(count):
        name = NAMED[index] if index < len(NAMED) else f"PC-{key + index:04d}"
        serial = f"CZC{organisation.pk:02d}{index:03d}{rng.randrange(1000):03d}"
        seen = now - timedelta(days=62 if index == count - 1 else rng.randint(0, 3))
        result = inventory.ingest(
            inventory=_inventory(rng, name, serial, index + 1), organisation=organisation, at=seen
        )
        asset = result.asset
        assert asset is not None  # a demo machine is never a conflict
        if index == 2:  # a memory module went missing since the last inventory: flagged
            inventory.ingest(
                inventory=_inventory(rng, name, serial, index + 1, memory=1),
                organisation=organisation,
                at=seen + timedelta(hours=1),
            )
        bought = (now - timedelta(days=rng.randint(120, 1800))).date()
        actions.update_asset(
            asset=asset,
            actor=cast.admin,
            at=seen + timedelta(hours=2),
            inventory_number=f"INV-{organisation.pk:02d}-{index + 1:04d}",
            user=client.contacts[index % len(client.contacts)],
            location=organisation.locations.order_by("id").first(),
            purchase_date=bought,
            warranty_end=bought + timedelta(days=3 * 365),
            purchase_price="1049.00",
            supplier="LDLC Pro",
            invoice_reference=f"FA-{bought.year}-{rng.randint(1000, 9999)}",
        )
        made.append(asset)
    return made


def _peripherals(cast: Cast, client, rng: random.Random, now: datetime) -> list[Asset]:
    organisation = client.organisation
    made = []
    for index, (kind, subtype, maker, model, label) in enumerate(PERIPHERALS):
        extra = {}
        if subtype == "desk_phone":
            extra["extension"] = f"2{index:02d}"
        if subtype == "mobile":
            extra["imei"] = f"35{rng.randrange(10**12):012d}"
            extra["line_number"] = f"+33 6 {rng.randrange(10**8):08d}"
        made.append(
            actions.create_asset(
                actor=cast.admin,
                organisation=organisation,
                kind=kind,
                subtype=subtype,
                name=f"{label} {index + 1}",
                manufacturer=maker,
                model=model,
                serial=f"{maker[:3].upper()}{rng.randrange(10**8):08d}",
                inventory_number=f"INV-{organisation.pk:02d}-P{index + 1:03d}",
                state=AssetState.IN_STOCK if index == 0 else AssetState.IN_USE,
                purchase_date=(now - timedelta(days=rng.randint(60, 2500))).date(),
                user=client.contacts[0] if kind == AssetKind.PHONE else None,
                at=now - timedelta(days=30),
                **extra,
            )
        )
    return made


def _licences(cast: Cast, client, computers: list[Asset], rng: random.Random, now: datetime):
    organisation = client.organisation
    products = {p.name: p for p in Product.objects.all()}
    today = now.date()
    office = products.get("Microsoft 365 Apps for enterprise")
    if office:  # fewer seats than machines: the compliance report shows the gap
        actions.create_licence(
            actor=cast.admin,
            product=office,
            organisation=organisation,
            name="Microsoft 365 Business Standard",
            kind=LicenceKind.SUBSCRIPTION,
            seats=max(1, len(computers) - 2),
            valid_from=today - timedelta(days=200),
            valid_until=today + timedelta(days=165),
            key=f"M365-TENANT-{organisation.pk:04d}",
            supplier="Microsoft",
            at=now,
        )
    reader = products.get("Adobe Acrobat Reader")
    if reader:
        actions.create_licence(
            actor=cast.admin,
            product=reader,
            organisation=organisation,
            name="Acrobat Reader (gratuit)",
            kind=LicenceKind.SITE,
            at=now,
        )
    antivirus = products.get("ESET Endpoint Antivirus")
    if antivirus:
        licence = actions.create_licence(
            actor=cast.admin,
            product=antivirus,
            organisation=organisation,
            name="ESET PROTECT Entry",
            kind=LicenceKind.PER_DEVICE,
            seats=len(computers) + 5,
            valid_until=today + timedelta(days=40),
            key=f"ESET-{rng.randrange(10**10):010d}",
            at=now,
        )
        for asset in computers[:5]:
            actions.assign_licence(licence=licence, actor=cast.admin, asset=asset, at=now)


def _contracts(cast: Cast, client, assets: list[Asset], now: datetime) -> None:
    organisation = client.organisation
    today = now.date()
    printers = [a for a in assets if a.kind == AssetKind.PRINTER]
    contract = actions.create_contract(
        actor=cast.admin,
        organisation=organisation,
        kind="maintenance",
        name="Maintenance copieurs",
        number=f"MC-{organisation.pk:03d}",
        supplier="Bureau Services",
        starts_on=today - timedelta(days=345),
        ends_on=today + timedelta(days=20),
        alert_days=30,
        price="1200.00",
        at=now,
    )
    actions.set_contract_assets(contract=contract, actor=cast.admin, assets=printers, at=now)
    laptops = [a for a in assets if a.subtype == "laptop"]
    lease = actions.create_contract(
        actor=cast.admin,
        organisation=organisation,
        kind="leasing",
        name="Location portables 36 mois",
        supplier="Leasecom",
        starts_on=date(today.year - 1, 1, 1),
        ends_on=date(today.year + 2, 1, 1),
        at=now,
    )
    actions.set_contract_assets(contract=lease, actor=cast.admin, assets=laptops, at=now)


def _link_tickets(cast: Cast, assets: list[Asset], now: datetime) -> None:
    for asset in assets:
        if asset.name not in NAMED:
            continue
        tickets = Ticket.objects.filter(
            organisation=asset.organisation, title__contains=asset.name
        ).order_by("-id")[:10]
        for ticket in tickets:
            actions.link_ticket(ticket=ticket, asset=asset, actor=cast.admin, at=now)


def _conflict(cast: Cast, client, rng: random.Random, now: datetime) -> None:
    """Two records of one machine (typed by hand twice) and its agent reporting in."""
    organisation = client.organisation
    for name in ("Poste stagiaire", "Poste stagiaire (doublon)"):
        actions.create_asset(
            actor=cast.admin,
            organisation=organisation,
            kind=AssetKind.COMPUTER,
            name=name,
            serial="CZC9999STAG",
            at=now - timedelta(days=90),
        )
    found = _inventory(rng, "STAGIAIRE-01", "CZC9999STAG", 30)
    found.hardware.uuid = ""
    inventory.ingest(inventory=found, organisation=organisation, at=now - timedelta(hours=3))


@transaction.atomic
def seed(cast: Cast, *, now: datetime) -> None:
    if Asset.objects.exists() or TicketAsset.objects.exists():
        return  # seeded already (or someone keeps a fleet here): leave it as it is
    rng = random.Random(41)
    companies = [c for c in cast.clients if len(c.contacts) > 1]
    for number, client in enumerate(companies):
        inventory.organisation_key(organisation=client.organisation, at=now)
        computers = _computers(cast, client, rng, now, 12 + 4 * number)
        others = _peripherals(cast, client, rng, now)
        _licences(cast, client, computers, rng, now)
        _contracts(cast, client, computers + others, now)
        _link_tickets(cast, computers, now)
        if number == 0:
            _conflict(cast, client, rng, now)
    for client in [c for c in cast.clients if len(c.contacts) == 1][:6]:
        _computers(cast, client, rng, now, 1)
