"""Reference data every installation starts with (loaded by a data migration, editable later)."""

PRIORITY_MATRIX = {
    1: (1, 1, 2, 2, 2),
    2: (1, 2, 2, 3, 3),
    3: (2, 2, 3, 4, 4),
    4: (2, 3, 4, 4, 5),
    5: (2, 3, 4, 5, 5),
}

# (code, parent code, French, English)
CATEGORIES = [
    ("hardware", None, "Matériel", "Hardware"),
    ("hardware-workstation", "hardware", "Poste de travail", "Workstation"),
    ("hardware-laptop", "hardware", "Ordinateur portable", "Laptop"),
    ("hardware-printer", "hardware", "Imprimante", "Printer"),
    ("hardware-screen", "hardware", "Écran", "Monitor"),
    ("hardware-phone", "hardware", "Téléphone / mobile", "Phone / mobile"),
    ("hardware-peripheral", "hardware", "Périphérique", "Peripheral"),
    ("software", None, "Logiciel", "Software"),
    ("software-os", "software", "Système d'exploitation", "Operating system"),
    ("software-office", "software", "Bureautique", "Office suite"),
    ("software-business", "software", "Application métier", "Business application"),
    ("software-security", "software", "Antivirus / sécurité", "Antivirus / security"),
    ("software-install", "software", "Installation / mise à jour", "Installation / update"),
    ("network", None, "Réseau", "Network"),
    ("network-access", "network", "Accès Internet / box", "Internet access / box"),
    ("network-wifi", "network", "Wi-Fi", "Wi-Fi"),
    ("network-vpn", "network", "VPN / accès distant", "VPN / remote access"),
    ("network-lan", "network", "Câblage / switch", "Cabling / switch"),
    ("network-voip", "network", "Téléphonie IP", "VoIP"),
    ("messaging", None, "Messagerie", "Email"),
    ("messaging-send", "messaging", "Envoi / réception", "Sending / receiving"),
    ("messaging-mailbox", "messaging", "Boîte aux lettres", "Mailbox"),
    ("accounts", None, "Comptes et accès", "Accounts and access"),
    (
        "accounts-password",
        "accounts",
        "Mot de passe / compte verrouillé",
        "Password / locked account",
    ),
    ("accounts-rights", "accounts", "Droits d'accès", "Access rights"),
    ("accounts-new", "accounts", "Arrivée / départ d'un collaborateur", "Joiner / leaver"),
    ("files", None, "Fichiers et sauvegardes", "Files and backups"),
    ("files-share", "files", "Partage de fichiers", "File share"),
    ("files-backup", "files", "Sauvegarde / restauration", "Backup / restore"),
    ("request", None, "Demandes", "Requests"),
    ("request-equipment", "request", "Nouveau matériel", "New equipment"),
    ("request-software", "request", "Nouveau logiciel", "New software"),
    ("request-info", "request", "Renseignement", "Information"),
]

PENDING_REASONS = [
    ("customer", "En attente du client", "Waiting for the customer"),
    ("supplier", "En attente du fournisseur", "Waiting for a supplier"),
    ("part", "En attente de pièce", "Waiting for a part"),
    ("planned", "Planifié à une date", "Planned for a date"),
    ("third-party", "En attente d'un tiers", "Waiting for a third party"),
]

SOLUTION_TYPES = [
    ("fixed", "Résolu", "Fixed"),
    ("workaround", "Contournement", "Workaround"),
    ("replaced", "Matériel remplacé", "Hardware replaced"),
    ("configuration", "Configuration corrigée", "Configuration fixed"),
    ("training", "Explication à l'utilisateur", "User guidance"),
    ("no-fault", "Pas d'anomalie constatée", "No fault found"),
    ("cancelled", "Demande annulée", "Request cancelled"),
]


def load(apps) -> None:
    priority_rule = apps.get_model("tickets", "PriorityRule")
    for urgency, row in PRIORITY_MATRIX.items():
        for impact, priority in enumerate(row, start=1):
            priority_rule.objects.update_or_create(
                urgency=urgency, impact=impact, defaults={"priority": priority}
            )
    category = apps.get_model("tickets", "Category")
    for code, parent, fr, en in CATEGORIES:
        category.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_en": en,
                "parent": category.objects.get(code=parent) if parent else None,
            },
        )
    for model, rows in (("PendingReason", PENDING_REASONS), ("SolutionType", SOLUTION_TYPES)):
        klass = apps.get_model("tickets", model)
        for code, fr, en in rows:
            klass.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_en": en})
