"""The demo's knowledge base: articles and known errors of an IT support desk, in French and
English (a few in one language only), mostly published, some public FAQ (one for a single
client), with revisions, votes and links to solved tickets of the same category."""

from datetime import timedelta

from django.db import transaction

from guichet.demo.people import Cast
from guichet.knowledge import actions
from guichet.knowledge.choices import ArticleKind, ArticleStatus, Audience
from guichet.knowledge.models import Article
from guichet.lib.errors import ActionError
from guichet.tickets.choices import Status
from guichet.tickets.models import Category, Ticket

A, KE = ArticleKind.ARTICLE, ArticleKind.KNOWN_ERROR
PUB, DRAFT, REVIEW, ARCH = (
    ArticleStatus.PUBLISHED,
    ArticleStatus.DRAFT,
    ArticleStatus.REVIEW,
    ArticleStatus.ARCHIVED,
)
INT, FAQ = Audience.INTERNAL, Audience.PUBLIC

# (kind, status, audience, category, title_fr, title_en, body_fr, body_en, keywords, software)
ARTICLES = [
    (
        A,
        PUB,
        FAQ,
        "accounts-password",
        "Réinitialiser son mot de passe",
        "Reset your password",
        "1. Ouvrez la page **Mot de passe oublié** de l'intranet.\n2. Saisissez votre adresse.\n"
        "3. Suivez le lien reçu par courriel (valable 30 minutes).",
        "1. Open the **Forgotten password** page of the intranet.\n2. Enter your address.\n"
        "3. Follow the link you receive by email (valid for 30 minutes).",
        "mot de passe, password, verrouillé, locked",
        "",
    ),
    (
        A,
        PUB,
        FAQ,
        "network-wifi",
        "Se connecter au Wi-Fi invités",
        "Join the guest Wi-Fi",
        "Choisissez le réseau **Invites**, puis acceptez la charte dans le navigateur.",
        "Choose the **Invites** network, then accept the terms in the browser.",
        "wifi, invités, guest",
        "",
    ),
    (
        A,
        PUB,
        FAQ,
        "network-vpn",
        "Installer le VPN sur un portable",
        "Install the VPN on a laptop",
        "Installez **FortiClient** depuis le Centre logiciel, puis importez le profil reçu.",
        "Install **FortiClient** from the Software Centre, then import the profile you received.",
        "vpn, télétravail, remote",
        "FortiClient 7.2",
    ),
    (
        A,
        PUB,
        FAQ,
        "hardware-printer",
        "Ajouter une imprimante réseau",
        "Add a network printer",
        "Paramètres › Imprimantes › Ajouter ; choisissez l'imprimante de votre étage "
        "(ex. `IMP-2E`).",
        "Settings › Printers › Add; choose the printer of your floor (e.g. `IMP-2E`).",
        "imprimante, printer",
        "",
    ),
    (
        A,
        PUB,
        FAQ,
        "messaging-mailbox",
        "Configurer sa messagerie sur smartphone",
        "Set up email on a smartphone",
        "Installez Outlook pour iOS ou Android et connectez-vous avec votre adresse "
        "professionnelle.",
        "Install Outlook for iOS or Android and sign in with your work address.",
        "mobile, outlook, smartphone",
        "Outlook mobile",
    ),
    (
        A,
        PUB,
        FAQ,
        "files-backup",
        "Restaurer un fichier supprimé",
        "Restore a deleted file",
        "Clic droit sur le dossier › **Versions précédentes** ; choisissez la date et restaurez.",
        "Right-click the folder › **Previous versions**; pick the date and restore.",
        "sauvegarde, backup, restauration",
        "",
    ),
    (
        A,
        PUB,
        FAQ,
        "software-office",
        "Partager son écran dans Teams",
        "Share your screen in Teams",
        "Pendant la réunion, cliquez sur **Partager** puis choisissez la fenêtre.",
        "During the meeting, click **Share** and choose the window.",
        "teams, réunion, meeting",
        "Microsoft Teams",
    ),
    (
        A,
        PUB,
        FAQ,
        "accounts-rights",
        "Demander l'accès au dossier comptabilité",
        "",
        "Ouvrez une demande « Droits d'accès » ; votre responsable la valide avant nous.",
        "",
        "droits, compta",
        "",
    ),
    (
        A,
        PUB,
        INT,
        "hardware-workstation",
        "Mettre à jour le BIOS d'un poste Dell",
        "Update the BIOS of a Dell workstation",
        "Branchez le secteur, lancez **Dell Command | Update**, puis redémarrez sans interrompre.",
        "Plug in the mains, run **Dell Command | Update**, then restart without interrupting.",
        "bios, dell, firmware",
        "Dell Command Update",
    ),
    (
        A,
        PUB,
        INT,
        "accounts-new",
        "Préparer le poste d'un nouvel arrivant",
        "Prepare a joiner's workstation",
        "Créez le compte, ajoutez les groupes du service, déployez le master et testez "
        "la messagerie.",
        "Create the account, add the department groups, deploy the image and test the mailbox.",
        "arrivée, onboarding",
        "",
    ),
    (
        A,
        PUB,
        INT,
        "files-backup",
        "Vérifier les sauvegardes nocturnes",
        "Check the nightly backups",
        "Consultez le rapport Veeam de 6 h ; toute tâche en échec ouvre un ticket de priorité 3.",
        "Read the 6 a.m. Veeam report; any failed job opens a priority 3 ticket.",
        "veeam, sauvegarde",
        "Veeam Backup 12",
    ),
    (
        A,
        PUB,
        INT,
        "network-lan",
        "",
        "Patch a new desk on the switch",
        "",
        "Find the wall socket number, patch it on the floor switch and set the VLAN to 20.",
        "switch, vlan, cabling",
        "",
    ),
    (
        A,
        PUB,
        INT,
        "software-install",
        "Déployer un logiciel par le Centre logiciel",
        "",
        "Ajoutez le paquet à la collection du service ; le poste l'installe sous une heure.",
        "",
        "déploiement, sccm",
        "MECM",
    ),
    (
        A,
        REVIEW,
        INT,
        "network-voip",
        "Reprogrammer un poste téléphonique IP",
        "Reprovision an IP desk phone",
        "Réinitialisez le poste (touches * et # au démarrage), il récupère sa configuration.",
        "Reset the phone (* and # at start-up); it fetches its configuration again.",
        "téléphone, voip",
        "Yealink",
    ),
    (
        A,
        DRAFT,
        INT,
        "request-equipment",
        "Commander un écran supplémentaire",
        "",
        "Brouillon : procédure d'achat à valider avec la direction.",
        "",
        "écran, achat",
        "",
    ),
    (
        A,
        ARCH,
        INT,
        "software-os",
        "Migrer un poste vers Windows 10",
        "Migrate a workstation to Windows 10",
        "Procédure remplacée par la migration Windows 11.",
        "Replaced by the Windows 11 migration.",
        "windows 10",
        "Windows 10",
    ),
    (
        A,
        PUB,
        FAQ,
        "network-access",
        "Redémarrer sa box Internet",
        "Restart your Internet box",
        "Débranchez la box 30 secondes ; attendez que le voyant soit blanc fixe.",
        "Unplug the box for 30 seconds; wait until the light is steady white.",
        "box, internet, domicile",
        "",
    ),
]

# Known errors: (status, audience, category, title_fr, title_en, software, keywords, parts)
# where parts maps symptom/cause/workaround/solution to (French, English).
KNOWN_ERRORS = [
    (
        PUB,
        INT,
        "messaging-mailbox",
        "Outlook redemande sans cesse le mot de passe",
        "Outlook keeps asking for the password",
        "Outlook 2021",
        "outlook, mot de passe, password",
        {
            "symptom": (
                "Une fenêtre d'authentification revient toutes les heures.",
                "An authentication window comes back every hour.",
            ),
            "cause": (
                "Jeton d'authentification moderne périmé dans le gestionnaire d'identifiants.",
                "A stale modern-authentication token in the credential manager.",
            ),
            "workaround": ("Utiliser le webmail en attendant.", "Use the web mail meanwhile."),
            "solution": (
                "Supprimer les identifiants « MicrosoftOffice16 » puis rouvrir Outlook.",
                "Delete the “MicrosoftOffice16” credentials and reopen Outlook.",
            ),
        },
    ),
    (
        PUB,
        FAQ,
        "network-vpn",
        "Le VPN se coupe toutes les 10 minutes",
        "The VPN drops every 10 minutes",
        "FortiClient 7.2",
        "vpn, déconnexion",
        {
            "symptom": (
                "La connexion VPN tombe puis revient.",
                "The VPN connection drops and returns.",
            ),
            "cause": ("Mise en veille de la carte Wi-Fi.", "The Wi-Fi adapter's power saving."),
            "workaround": ("Brancher un câble réseau.", "Plug in a network cable."),
            "solution": (
                "Désactiver l'économie d'énergie de la carte (Gestionnaire de périphériques).",
                "Turn off the adapter's power saving (Device Manager).",
            ),
        },
    ),
    (
        PUB,
        INT,
        "hardware-printer",
        "Travaux bloqués dans la file d'impression",
        "Print jobs stuck in the queue",
        "Windows 11",
        "spouleur, spooler, impression",
        {
            "symptom": ("Les documents restent « En attente ».", "Documents stay “Pending”."),
            "cause": (
                "Le service Spouleur est bloqué par un pilote défectueux.",
                "The Spooler service is stuck on a faulty driver.",
            ),
            "workaround": ("Redémarrer le service Spouleur.", "Restart the Spooler service."),
            "solution": (
                "Installer le pilote universel v7.1 du fabricant.",
                "Install the vendor's universal driver v7.1.",
            ),
        },
    ),
    (
        PUB,
        FAQ,
        "software-office",
        "Teams n'affiche pas la caméra",
        "Teams does not show the camera",
        "Microsoft Teams",
        "teams, caméra, webcam",
        {
            "symptom": (
                "Écran noir à la place de la vidéo.",
                "A black screen instead of the video.",
            ),
            "cause": (
                "Une autre application utilise la caméra.",
                "Another application uses the camera.",
            ),
            "workaround": (
                "Fermer les autres applications de visio.",
                "Close the other video apps.",
            ),
            "solution": (
                "Autoriser Teams dans Paramètres › Confidentialité › Caméra.",
                "Allow Teams in Settings › Privacy › Camera.",
            ),
        },
    ),
    (
        PUB,
        INT,
        "network-wifi",
        "Wi-Fi instable au 3e étage",
        "Unstable Wi-Fi on the 3rd floor",
        "",
        "wifi, borne, access point",
        {
            "symptom": (
                "Déconnexions fréquentes près de la salle Jura.",
                "Frequent drops near the Jura room.",
            ),
            "cause": (
                "Borne saturée, canal partagé avec le voisin.",
                "An overloaded access point sharing a channel with the neighbours.",
            ),
            "workaround": (
                "Se connecter à la borne du couloir (SSID identique, 5 GHz).",
                "Use the corridor access point (same SSID, 5 GHz).",
            ),
            "solution": (
                "Ajout d'une borne prévu ; canal fixé à 44.",
                "A new access point is planned; channel fixed to 44.",
            ),
        },
    ),
    (
        PUB,
        INT,
        "files-share",
        "Lecteur réseau P: déconnecté au démarrage",
        "Network drive P: disconnected at start-up",
        "Windows 11",
        "lecteur réseau, mapped drive",
        {
            "symptom": (
                "Croix rouge sur P: après l'ouverture de session.",
                "A red cross on P: after signing in.",
            ),
            "cause": (
                "Le réseau n'est pas prêt quand le script s'exécute.",
                "The network is not ready when the script runs.",
            ),
            "workaround": (
                "Double-cliquer sur P: pour le reconnecter.",
                "Double-click P: to reconnect.",
            ),
            "solution": (
                "Stratégie « Toujours attendre le réseau » activée.",
                "Policy “Always wait for the network” enabled.",
            ),
        },
    ),
    (
        REVIEW,
        INT,
        "software-business",
        "Le logiciel de paie plante à l'export PDF",
        "",
        "PayPlus 5",
        "paie, export",
        {
            "symptom": ("Fermeture brutale lors de l'export.", ""),
            "cause": ("Police manquante sur le poste.", ""),
            "workaround": ("Exporter en XLSX puis imprimer en PDF.", ""),
            "solution": ("", ""),
        },
    ),
    (
        PUB,
        FAQ,
        "accounts-password",
        "",
        "Account locked after the password change",
        "Outlook mobile",
        "locked, verrouillé",
        {
            "symptom": ("", "Your account locks a few minutes after changing the password."),
            "cause": ("", "A phone still tries the old password."),
            "workaround": ("", "Ask the desk to unlock the account."),
            "solution": ("", "Update the password on every phone and tablet."),
        },
    ),
]

# One public FAQ article meant for a single client.
RESTRICTED = (
    "Accéder à l'application de planning Acme",
    "Open the Acme planning application",
    "Depuis le portail client, tuile **Planning**. Identifiant : votre matricule.",
    "From the client portal, tile **Planning**. Login: your staff number.",
)


def _author(cast: Cast, index: int):
    people = [person for members in cast.members.values() for person in members]
    return people[index % len(people)] if people else cast.supervisor


def _categories(code: str) -> list:
    return list(Category.objects.filter(code=code))


@transaction.atomic
def seed(cast: Cast, *, now) -> None:
    """Write the demo knowledge base once; does nothing if articles already exist."""
    if Article.objects.exists():
        return
    start = now - timedelta(days=120)
    made: list[Article] = []
    for index, row in enumerate(ARTICLES):
        kind, status, audience, code, title_fr, title_en, body_fr, body_en, keywords, software = row
        made.append(
            actions.create_article(
                actor=_author(cast, index),
                kind=kind,
                status=status,
                audience=audience,
                title_fr=title_fr,
                title_en=title_en,
                body_fr=body_fr,
                body_en=body_en,
                keywords=keywords,
                software=software,
                categories=_categories(code),
                note="Première version" if title_fr else "First version",
                at=start + timedelta(days=index * 3),
            )
        )
    for index, known in enumerate(KNOWN_ERRORS):
        status, audience, code, title_fr, title_en, software, keywords, parts = known
        values = {f"{name}_fr": fr for name, (fr, _en) in parts.items()}
        values.update({f"{name}_en": en for name, (_fr, en) in parts.items()})
        made.append(
            actions.create_article(
                actor=_author(cast, index + 3),
                kind=KE,
                status=status,
                audience=audience,
                title_fr=title_fr,
                title_en=title_en,
                software=software,
                keywords=keywords,
                categories=_categories(code),
                at=start + timedelta(days=10 + index * 5),
                **values,
            )
        )
    company = next((c for c in cast.clients if c.organisation.email_domain), cast.clients[0])
    title_fr, title_en, body_fr, body_en = RESTRICTED
    made.append(
        actions.create_article(
            actor=_author(cast, 1),
            status=PUB,
            audience=FAQ,
            title_fr=title_fr.replace("Acme", company.organisation.name),
            title_en=title_en.replace("Acme", company.organisation.name),
            body_fr=body_fr,
            body_en=body_en,
            organisations=[company.organisation],
            at=start + timedelta(days=30),
        )
    )
    _revise(cast, made, start)
    _vote(cast, made, now)
    _link(cast, made, now)


def _revise(cast: Cast, made: list[Article], start) -> None:
    """A few articles were corrected after their first version."""
    for offset, article in enumerate(made[:6]):
        text = article.body_fr or article.body_en
        field = "body_fr" if article.body_fr else "body_en"
        addition = (
            "\n\nSi le problème persiste, ouvrez une demande."
            if field == "body_fr"
            else "\n\nIf it still fails, open a request."
        )
        actions.update_article(
            article=article,
            actor=cast.supervisor,
            note="Relecture" if field == "body_fr" else "Proofread",
            at=start + timedelta(days=60 + offset),
            **{field: text + addition},
        )


def _vote(cast: Cast, made: list[Article], now) -> None:
    readers = [person for client in cast.clients for person in client.contacts][:12]
    staff = [person for members in cast.members.values() for person in members][:6]
    for index, article in enumerate(made):
        if article.status != PUB:
            continue
        voters = readers if article.audience == FAQ else staff
        for offset, person in enumerate(voters[: 2 + index % 5]):
            try:
                actions.vote(article=article, user=person, helpful=(index + offset) % 4 != 0)
            except ActionError:  # a restricted article is not visible to everyone
                continue


def _link(cast: Cast, made: list[Article], now) -> None:
    """Link published articles to solved or closed tickets of their category."""
    done = (Status.SOLVED, Status.CLOSED)
    for article in made:
        if article.status != PUB:
            continue
        codes = list(article.categories.values_list("pk", flat=True))
        tickets = Ticket.objects.filter(category_id__in=codes, status__in=done).order_by("-id")[:2]
        for ticket in tickets:
            # The technician who solved it, else someone who sees every ticket.
            for actor in (ticket.assignee, cast.supervisor, cast.admin):
                if actor is None:
                    continue
                try:
                    actions.link_ticket(article=article, ticket=ticket, actor=actor, solved=True)
                except ActionError:
                    continue
                break
