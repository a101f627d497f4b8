"""What clients call about: one scenario per kind of problem, in French and in English.

Templates hold placeholders ({printer}, {app}, {when}...) filled from VOCABULARY, so that the
same scenario yields many slightly different tickets. The benchmark reuses these texts so that
its text filter meets realistic words.
"""

# ruff: noqa: E501 - texts read better unwrapped

import random
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    category: str
    title_fr: str
    description_fr: str
    title_en: str
    description_en: str
    solution_fr: str
    solution_en: str
    solution_type: str = "fixed"
    type: str = "incident"

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_fr

    def solution(self, language: str) -> str:
        return self.solution_en if language == "en" else self.solution_fr


VOCABULARY = {
    "printer": ["HP LaserJet M507", "Brother MFC-L8900", "Canon iR-ADV C3826", "Kyocera TASKalfa 2553ci", "Epson WF-C5790"],
    "laptop": ["Dell Latitude 5440", "Lenovo ThinkPad T14", "HP EliteBook 840", "MacBook Air M2", "Asus ExpertBook B5"],
    "app": ["Sage 100", "Cegid Loop", "EBP Compta", "Silae", "Quadra", "SAP Business One", "Dolibarr", "Salesforce"],
    "software": ["Adobe Acrobat Pro", "AutoCAD LT", "Microsoft Project", "Zoom", "7-Zip", "Power BI Desktop", "Teams"],
    "asset": ["PC-0412", "PC-0587", "PC-0233", "LT-1108", "LT-1342", "PC-0764", "LT-0981"],
    "screen": ["Dell P2422H", "iiyama ProLite XUB2493", "Samsung S24R650", "LG 27UL500"],
    "error_code": ["0x80070005", "0x800f0922", "0x8024a105", "0xc000021a", "0x80004005"],
    "ref": ["INC-48213", "CAS-00731842", "SR 3-29117465", "TKT-90412", "REQ-55120"],
    "number": ["2", "3", "4", "5", "6"],
    "when_fr": ["ce matin", "depuis hier", "depuis la mise à jour de mardi", "depuis lundi", "cet après-midi", "depuis le redémarrage de vendredi", "depuis une semaine"],
    "when_en": ["this morning", "since yesterday", "since Tuesday's update", "since Monday", "this afternoon", "since Friday's restart", "for a week now"],
    "colleague": ["Paul", "Anne", "Kevin", "Sandrine", "Lucas", "Fatima", "Jérôme", "Emma"],
}  # fmt: skip

_PLACEHOLDER = re.compile(r"{(\w+)}")


def render(template: str, language: str, rng: random.Random, site: str = "") -> str:
    """Fill a template's placeholders; {when} picks the wording in the ticket's language."""

    def pick(match: re.Match) -> str:
        name = match.group(1)
        if name == "site":
            return site or ("le bureau" if language == "fr" else "the office")
        if name == "when":
            name = f"when_{language}"
        return rng.choice(VOCABULARY[name])

    return _PLACEHOLDER.sub(pick, template)


S = Scenario
HARDWARE_SOFTWARE = [
    S("hardware-workstation",
      "Le PC {asset} ne démarre plus",
      "Bonjour,\n\nMon ordinateur ({asset}) ne démarre plus {when} : le voyant s'allume, le ventilateur tourne, mais l'écran reste noir. J'ai essayé de le débrancher quelques minutes, sans effet.\n\nJe ne peux plus travailler, merci de faire vite.",
      "PC {asset} will not start",
      "Hello,\n\nMy computer ({asset}) has not started {when}: the light comes on and the fan spins, but the screen stays black. I unplugged it for a few minutes, no change.\n\nI cannot work at all, please hurry.",
      "Barrette mémoire défectueuse remplacée (8 Go DDR4). Tests mémoire OK, poste redémarré et vérifié avec l'utilisateur.",
      "Faulty memory module replaced (8 GB DDR4). Memory tests pass; the workstation was restarted and checked with the user.",
      "replaced"),
    S("hardware-workstation",
      "Poste {asset} très lent",
      "Mon poste est extrêmement lent {when}. L'ouverture d'un fichier Excel prend plusieurs minutes et le disque semble tourner en permanence.",
      "Workstation {asset} very slow",
      "My workstation has been extremely slow {when}. Opening an Excel file takes minutes and the disk seems busy all the time.",
      "Disque dur en fin de vie (secteurs réalloués) : clonage vers un SSD 500 Go. Temps de démarrage passé de 4 min à 25 s.",
      "Failing hard disk (reallocated sectors): cloned onto a 500 GB SSD. Boot time down from 4 min to 25 s.",
      "replaced"),
    S("hardware-laptop",
      "Portable {laptop} : la batterie ne charge plus",
      "Bonjour, mon portable {laptop} ne charge plus {when}. Le voyant du chargeur est allumé mais la batterie reste bloquée à 0 %.",
      "{laptop} laptop: battery no longer charges",
      "Hello, my {laptop} has not been charging {when}. The charger light is on but the battery stays at 0%.",
      "Chargeur défectueux remplacé sous garantie. La batterie charge normalement (test sur 2 h).",
      "Faulty charger replaced under warranty. The battery charges normally (tested for 2 hours).",
      "replaced"),
    S("hardware-laptop",
      "Écran du portable fissuré",
      "Mon portable {laptop} est tombé de mon sac, l'écran est fissuré et une partie de l'affichage est illisible. Est-ce couvert par la garantie ?",
      "Cracked laptop screen",
      "My {laptop} fell out of my bag; the screen is cracked and part of the display is unreadable. Is this covered by the warranty?",
      "Dalle remplacée (casse accidentelle, hors garantie, devis accepté). Portable restitué à l'utilisateur.",
      "Panel replaced (accidental damage, not under warranty, quote accepted). Laptop returned to the user.",
      "replaced"),
    S("hardware-printer",
      "L'imprimante {printer} n'imprime plus",
      "L'imprimante {printer} de {site} n'imprime plus {when}. Les documents restent bloqués dans la file d'attente avec le statut « Erreur ». Tout le service est concerné.",
      "The {printer} printer stopped printing",
      "The {printer} printer at {site} has not printed anything {when}. Documents stay stuck in the queue with the status \"Error\". The whole department is affected.",
      "File d'impression purgée et service spouleur redémarré sur le serveur d'impression ; pilote mis à jour en version universelle PCL6.",
      "Print queue purged and spooler service restarted on the print server; driver updated to the universal PCL6 version.",
      "configuration"),
    S("hardware-printer",
      "Bourrage papier à répétition sur la {printer}",
      "La {printer} fait un bourrage toutes les dix pages environ, toujours dans le bac 2. On a retiré le papier coincé plusieurs fois.",
      "Repeated paper jams on the {printer}",
      "The {printer} jams about every ten pages, always in tray 2. We have removed the stuck paper several times.",
      "Rouleaux d'entraînement du bac 2 usés : kit de maintenance installé. 200 pages imprimées sans incident.",
      "Worn pick-up rollers in tray 2: maintenance kit installed. 200 pages printed without a jam.",
      "replaced"),
    S("hardware-printer",
      "Le scanner de la {printer} n'envoie plus les e-mails",
      "La fonction « numériser vers e-mail » de la {printer} affiche « Erreur d'envoi » {when}. Nous en avons besoin pour les factures.",
      "Scan to email no longer works on the {printer}",
      "The scan-to-email function of the {printer} has shown \"Send error\" {when}. We need it for the invoices.",
      "Le mot de passe du compte d'envoi SMTP avait expiré : nouveau mot de passe d'application configuré sur le copieur.",
      "The SMTP sending account's password had expired: a new app password was set on the copier.",
      "configuration"),
    S("hardware-screen",
      "Deuxième écran non détecté",
      "Mon deuxième écran {screen} n'est plus détecté {when}. Il s'allume mais affiche « Aucun signal ».",
      "Second monitor not detected",
      "My second monitor ({screen}) has not been detected {when}. It turns on but says \"No signal\".",
      "Câble DisplayPort défectueux remplacé ; affichage étendu reconfiguré.",
      "Faulty DisplayPort cable replaced; extended display set up again.",
      "replaced"),
    S("hardware-phone",
      "Smartphone professionnel : plus de synchronisation des mails",
      "Mon téléphone professionnel ne reçoit plus mes mails ni mon agenda {when}. Sur le PC tout fonctionne.",
      "Work phone no longer syncs email",
      "My work phone has not received email or calendar updates {when}. Everything works on the PC.",
      "Profil Outlook mobile supprimé et recréé après le changement de mot de passe ; synchronisation vérifiée.",
      "Outlook mobile profile removed and added again after the password change; sync checked.",
      "configuration"),
    S("hardware-peripheral",
      "Lecteur de badges / douchette code-barres inopérant",
      "La douchette code-barres du poste de réception ne lit plus les étiquettes {when}. Elle bipe mais rien ne s'affiche dans le logiciel.",
      "Barcode scanner not working",
      "The barcode scanner at the reception desk has not read any labels {when}. It beeps but nothing shows in the software.",
      "Douchette reconfigurée en émulation clavier (suffixe Entrée) avec les codes de paramétrage du fabricant.",
      "Scanner set back to keyboard emulation (Enter suffix) with the manufacturer's configuration barcodes.",
      "configuration"),
    S("software-os",
      "Mise à jour Windows bloquée (erreur {error_code})",
      "Windows Update échoue en boucle avec l'erreur {error_code} et me demande de redémarrer à chaque fois.",
      "Windows update stuck (error {error_code})",
      "Windows Update keeps failing with error {error_code} and asks me to restart every time.",
      "Composants Windows Update réinitialisés (SoftwareDistribution, catroot2), DISM et SFC exécutés, mise à jour cumulative installée.",
      "Windows Update components reset (SoftwareDistribution, catroot2), DISM and SFC run, cumulative update installed.",
      "fixed"),
    S("software-os",
      "Écran bleu au démarrage",
      "Mon PC affiche un écran bleu (code {error_code}) au démarrage {when} puis redémarre tout seul.",
      "Blue screen at start-up",
      "My PC has shown a blue screen (code {error_code}) at start-up {when} and then restarts by itself.",
      "Pilote de carte réseau incompatible désinstallé en mode sans échec, version stable du constructeur installée.",
      "Incompatible network driver removed in safe mode; the manufacturer's stable version installed.",
      "fixed"),
    S("software-office",
      "Excel se ferme à l'ouverture des fichiers partagés",
      "Excel plante dès que j'ouvre un classeur du partage commun {when}. Les autres fichiers s'ouvrent normalement.",
      "Excel crashes when opening shared files",
      "Excel has crashed {when} as soon as I open a workbook from the shared drive. Other files open normally.",
      "Complément COM obsolète désactivé et réparation en ligne de Microsoft 365 effectuée.",
      "Outdated COM add-in disabled and an online repair of Microsoft 365 run.",
      "fixed"),
    S("software-office",
      "Word : impossible d'enregistrer en PDF",
      "Quand j'essaie d'enregistrer un document Word en PDF, j'ai un message « Échec de l'exportation ».",
      "Word: cannot save as PDF",
      "When I try to save a Word document as PDF I get an \"Export failed\" message.",
      "Imprimante virtuelle PDF réinstallée et cache Office vidé.",
      "Virtual PDF printer reinstalled and the Office cache cleared.",
      "fixed"),
    S("software-business",
      "{app} : erreur de connexion à la base",
      "Impossible d'ouvrir {app} {when} : message « Impossible de se connecter à la base de données ». Plusieurs collègues ont le même problème.",
      "{app}: cannot connect to the database",
      "{app} has not opened {when}: \"Cannot connect to the database\". Several colleagues have the same problem.",
      "Service SQL de l'application redémarré sur le serveur ; journal de transactions purgé (disque plein). Alerte de supervision ajoutée sur l'espace disque.",
      "The application's SQL service restarted on the server; transaction log truncated (disk full). A monitoring alert was added on disk space.",
      "fixed"),
    S("software-business",
      "{app} : l'édition des bulletins reste bloquée",
      "Dans {app}, l'édition des documents de fin de mois reste bloquée à 80 %. C'est urgent, la clôture est demain.",
      "{app}: month-end documents stuck",
      "In {app}, printing the month-end documents stays stuck at 80%. This is urgent: the closing is tomorrow.",
      "Correctif éditeur appliqué (ticket éditeur {ref}) ; édition relancée et contrôlée avec le service.",
      "Vendor patch applied (vendor case {ref}); the run was restarted and checked with the department.",
      "fixed"),
    S("software-security",
      "Alerte antivirus : fichier mis en quarantaine",
      "L'antivirus a affiché une alerte {when} et a mis en quarantaine une pièce jointe reçue d'un fournisseur. Est-ce grave ?",
      "Antivirus alert: file quarantined",
      "The antivirus showed an alert {when} and quarantined an attachment from a supplier. Is this serious?",
      "Analyse complète du poste sans autre détection ; pièce jointe confirmée malveillante (hameçonnage), expéditeur bloqué sur la passerelle.",
      "Full scan of the workstation with no other detection; attachment confirmed malicious (phishing), sender blocked at the gateway.",
      "fixed"),
    S("software-security",
      "Courriel suspect : j'ai cliqué sur le lien",
      "J'ai reçu un mail qui semblait venir de notre banque et j'ai cliqué sur le lien avant de me rendre compte que c'était faux. Je n'ai rien saisi.",
      "Suspicious email: I clicked the link",
      "I received an email that looked like it came from our bank and clicked the link before realising it was fake. I did not type anything.",
      "Mot de passe réinitialisé par précaution, sessions révoquées, MFA vérifiée ; message supprimé de toutes les boîtes.",
      "Password reset as a precaution, sessions revoked, MFA checked; the message removed from every mailbox.",
      "fixed"),
    S("software-install",
      "Installation de {software}",
      "Pourriez-vous installer {software} sur mon poste ({asset}) ? J'en ai besoin pour un dossier client.",
      "Please install {software}",
      "Could you install {software} on my computer ({asset})? I need it for a client project.",
      "{software} déployé depuis la console de gestion, licence attribuée.",
      "{software} deployed from the management console, licence assigned.",
      "fixed", "request"),
]  # fmt: skip
