"""guichet mail ingest|poll|send: the mail channel from the command line.

`guichet mail ingest [--mailbox NAME] < message.eml` is the pipe entry point for a mail server
(e.g. Postfix `mailbox_command` or an alias `|guichet mail ingest`). Its exit status follows
sysexits, which mail servers understand: 0 the message is taken (a ticket, a follow-up, or
kept in quarantine), 65 the message is refused for good (the server bounces it to the sender),
75 try again later (the server keeps it queued: nothing is lost while the database is down).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from guichet.mail import queries
from guichet.mail.actions import outbound, polling
from guichet.mail.actions.ingest import ingest
from guichet.mail.models import Mailbox

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Receive a message from standard input, poll IMAP mailboxes, or send queued mail."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pipe = sub.add_parser("ingest", help="Read one RFC 5322 message from standard input.")
        pipe.add_argument("--mailbox", default="", help="The mailbox's name (default mailbox).")
        poll = sub.add_parser("poll", help="Read the IMAP mailboxes now.")
        poll.add_argument("--mailbox", default="", help="Only this mailbox.")
        sub.add_parser("send", help="Send the mail that is due now.")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "ingest":
            self._ingest(options["mailbox"])
        elif action == "poll":
            self._poll(options["mailbox"])
        else:
            self.stdout.write(f"{outbound.send_due()} sent")

    def _mailbox(self, name: str) -> Mailbox:
        mailbox = (
            Mailbox.objects.filter(name=name, active=True).first()
            if name
            else queries.default_mailbox()
        )
        if mailbox is None:
            what = f"no active mailbox named {name!r}" if name else "no default mailbox"
            self.stderr.write(f"guichet mail: {what}; the message stays with the mail server.")
            sys.exit(EX_TEMPFAIL)
        return mailbox

    def _ingest(self, name: str) -> None:
        try:
            mailbox = self._mailbox(name)
            cap = max(2 * mailbox.max_message_bytes, 64 * 1024 * 1024)
            raw = sys.stdin.buffer.read(cap + 1)
            if len(raw) > cap:
                self.stderr.write(f"guichet mail: message larger than {cap} bytes, refused.")
                sys.exit(EX_DATAERR)
            if not raw.strip():
                self.stderr.write("guichet mail: empty input, nothing to receive.")
                sys.exit(EX_DATAERR)
            result = ingest(raw=raw, mailbox=mailbox)
        except DatabaseError as error:
            self.stderr.write(f"guichet mail: database unavailable ({error}); try again later.")
            sys.exit(EX_TEMPFAIL)
        row = result.message
        state = "duplicate of an earlier message" if result.duplicate else row.outcome
        target = f" #{row.ticket_id}" if row.ticket_id else ""
        self.stdout.write(f"{row.message_id}: {state}{target}")

    def _poll(self, name: str) -> None:
        if name:
            mailbox = Mailbox.objects.filter(name=name).first()
            if mailbox is None:
                raise CommandError(f"No mailbox named {name!r}.")
            done = polling.poll_mailbox(mailbox)
        else:
            done = polling.poll_all()
        self.stdout.write(f"{done} messages")
