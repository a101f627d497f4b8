"""The columns of the assets' CSV files and how their cells are written and read.

The export heads each column with the field's name; an import also accepts the French
headings a spreadsheet made by hand has ("Numéro de série", "Lieu"), whatever their accents,
case or punctuation. Choice values are read as their code or as their label in English or
French; dates as YYYY-MM-DD or DD/MM/YYYY; amounts with a decimal point or comma.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from django.db.models import TextChoices
from django.utils import translation

from guichet.assets.choices import AssetKind, AssetState, AssetSubtype

# In the order of the export.
FIELDS = (
    "inventory_number", "name", "kind", "subtype", "state", "organisation", "location", "user",
    "manufacturer", "model", "serial", "uuid", "purchase_date", "warranty_end",
    "purchase_price", "supplier", "invoice_reference", "extension", "imei", "line_number",
    "notes",
)  # fmt: skip
REQUIRED = ("name", "kind")
ALIASES: dict[str, tuple[str, ...]] = {
    "inventory_number": ("Numéro d'inventaire", "N° d'inventaire", "Inventaire"),
    "name": ("Nom",),
    "kind": ("Type",),
    "subtype": ("Sous-type",),
    "state": ("État", "Statut", "Status"),
    "organisation": ("Organisation", "Organization", "Client", "Société"),
    "location": ("Lieu", "Site", "Emplacement"),
    "user": ("Utilisateur", "Assigned user", "Utilisateur affecté"),
    "manufacturer": ("Fabricant", "Marque", "Constructeur"),
    "model": ("Modèle",),
    "serial": ("Numéro de série", "N° de série", "Serial number"),
    "uuid": (),
    "purchase_date": ("Date d'achat",),
    "warranty_end": ("Fin de garantie",),
    "purchase_price": ("Prix d'achat", "Prix", "Price"),
    "supplier": ("Fournisseur",),
    "invoice_reference": ("Référence facture", "Référence de facture", "N° de facture"),
    "extension": ("Poste",),
    "imei": (),
    "line_number": ("Numéro de ligne",),
    "notes": ("Remarques", "Commentaire", "Commentaires"),
}
CHOICES: dict[str, type[TextChoices]] = {
    "kind": AssetKind,
    "subtype": AssetSubtype,
    "state": AssetState,
}
# What French spreadsheets write, whatever the installed translations say.
CHOICE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        "computer": ("Ordinateur", "PC"),
        "monitor": ("Écran", "Moniteur"),
        "printer": ("Imprimante",),
        "peripheral": ("Périphérique",),
        "network": ("Équipement réseau", "Réseau"),
        "phone": ("Téléphone",),
        "other": ("Autre",),
    },
    "subtype": {
        "desktop": ("Ordinateur de bureau", "Poste fixe", "Fixe"),
        "laptop": ("Ordinateur portable", "Portable"),
        "server": ("Serveur",),
        "virtual": ("Machine virtuelle", "VM"),
        "desk_phone": ("Téléphone IP", "Téléphone de bureau"),
        "mobile": ("Téléphone mobile", "Smartphone"),
        "tablet": ("Tablette",),
    },
    "state": {
        "in_stock": ("En stock", "Stock"),
        "in_use": ("En service", "En utilisation", "Utilisé"),
        "in_repair": ("En réparation",),
        "on_loan": ("En prêt", "Prêté"),
        "retired": ("Retiré", "Réformé"),
        "disposed": ("Mis au rebut", "Détruit"),
    },
}
DATES = ("purchase_date", "warranty_end")
# A spreadsheet runs a cell starting like this as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def key(text: str) -> str:
    """A heading or a label reduced to what tells it apart: "Numéro d’inventaire" and
    "numero d'inventaire" are one."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", plain.casefold()).strip("_")


HEADERS = {key(name): name for name in FIELDS} | {
    key(alias): name for name, aliases in ALIASES.items() for alias in aliases
}


def field_for(heading: str) -> str | None:
    return HEADERS.get(key(heading))


@cache
def _choice_keys(field: str) -> dict[str, str]:
    choices = CHOICES[field]
    found = {key(value): value for value in choices.values}
    for value, aliases in CHOICE_ALIASES[field].items():
        found.update((key(alias), value) for alias in aliases)
    for language in ("en", "fr"):
        with translation.override(language):
            found.update({key(str(label)): value for value, label in choices.choices})
    return found


def choice_value(field: str, text: str) -> str:
    """The code of a choice written as its code or its label; the text itself when it is
    neither, for the field's own check to refuse."""
    return _choice_keys(field).get(key(text), text)


def escape_cell(text: str) -> str:
    """A text as a spreadsheet must see it: never as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unescape_cell(text: str) -> str:
    """The text `escape_cell` protected, so that an exported file reads back unchanged."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def parse_date(text: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY (also with dots or dashes, as French spreadsheets write it);
    ValueError for anything else."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if found:
        year, month, day = found.groups()
    else:
        found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if not found:
            raise ValueError(text)
        day, month, year = found.groups()
    return date(int(year), int(month), int(day))


def parse_amount(text: str) -> Decimal:
    """ "1234.50", "1234,50", "1 234,50 €" or "1,234.50": the last mark is the decimal one.
    ValueError for anything else."""
    text = re.sub(r"[\s\u00a0\u202f€$£]", "", text)
    if not re.fullmatch(r"-?[0-9][0-9.,]*", text):
        raise ValueError(text)
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0:
        whole, decimals = text[:last], text[last + 1 :]
        text = re.sub(r"[.,]", "", whole) + "." + decimals
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
