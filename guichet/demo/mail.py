"""The demo's mail channel: the desk's mailbox, and a morning's mail received through it (a
request, a reply, an out-of-office, a stranger, a message too broken to read)."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from guichet.demo.cast import STAFF_DOMAIN
from guichet.demo.people import Cast
from guichet.mail.actions.ingest import ingest
from guichet.mail.models import Mailbox

ADDRESS = f"support@{STAFF_DOMAIN}"
MORNING_TICKETS = 2  # of the morning's messages, those that open a ticket


def ensure_mailbox(cast: Cast) -> Mailbox:
    """The pipe-fed default mailbox (`guichet mail ingest`), routed to the first-level team."""
    mailbox = Mailbox.objects.filter(is_default=True).first()
    if mailbox is None:
        first_level = min(cast.teams.values(), key=lambda team: (team.level, team.pk))
        mailbox = Mailbox.objects.create(
            name="Support", address=ADDRESS, team=first_level, is_default=True
        )
    return mailbox


def _mail(sender: str, subject: str, text: str, **headers: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ADDRESS
    mail["Subject"] = subject
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid("demo", domain="mail.example")
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(text)
    return mail.as_bytes()


def morning_mail(cast: Cast, mailbox: Mailbox) -> int:
    """Receive a few messages as the mail server would hand them over."""
    company = next(c for c in cast.clients if c.organisation.email_domain)
    contact = company.contacts[0]
    messages = [
        _mail(
            f"{contact.get_full_name()} <{contact.email}>",
            "Scanner du 1er étage : les PDF n'arrivent plus",
            "Bonjour,\n\nDepuis ce matin, les documents scannés n'arrivent plus dans le "
            "dossier partagé « Numérisations ». L'écran du copieur affiche « Erreur SMB ».\n\n"
            "Merci d'avance,\n-- \n" + contact.get_full_name(),
        ),
        _mail(
            f"Hélène Roux <helene.roux@{company.organisation.email_domain}>",
            "Nouvel arrivant lundi : poste et messagerie",
            "Bonjour, pouvez-vous préparer un poste et une adresse pour Karim Benali, "
            "qui arrive lundi à 9 h ? Merci.",
        ),
        _mail(
            f"{contact.get_full_name()} <{contact.email}>",
            "Réponse automatique : absent",
            "Je suis absent jusqu'au 7 décembre.",
            Auto_Submitted="auto-replied",
        ),
        b"Subject: \xff\xfe\r\n\r\n",  # a broken message: quarantined for an administrator
    ]
    for raw in messages:
        ingest(raw=raw, mailbox=mailbox)
    return len(messages)
