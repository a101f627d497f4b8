from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guichet.demo import assets, knowledge, problems, scripts
from guichet.demo.contracts import ensure_service_terms
from guichet.demo.generate import DEFAULT_TICKETS, generate
from guichet.demo.mail import ensure_mailbox, morning_mail
from guichet.demo.people import LOGINS, PASSWORD, ensure_cast
from guichet.mail.actions.notifications import silenced
from guichet.tickets.models import Ticket

HELP = f"""Load or refresh the demo data: an IT services company (5 teams, 15 technicians, a
supervisor, an administrator) serving 3 client companies and 12 individual clients, with a year
of tickets in French and English, written through the same actions as the product.

Without options: creates whatever part of the cast is missing (people already there are left
untouched, never duplicated) and, if there is no ticket yet, {DEFAULT_TICKETS} tickets.
--tickets N adds N tickets even when some exist (a new batch, reproducible for a given database
size). --if-empty does nothing at all as soon as one ticket exists (what `make run` uses).
Every demo login has the password "{PASSWORD}"."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets",
            type=int,
            default=None,
            help=f"Tickets to add (default: {DEFAULT_TICKETS} when the database has none, else 0).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any ticket exists."
        )
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (default 2025).")

    def handle(self, *args, **options):
        count = options["tickets"]
        if count is not None and not 0 <= count <= 1_000_000:
            raise CommandError("--tickets must be between 0 and 1000000.")
        existing = Ticket.objects.count()
        if options["if_empty"] and existing:
            self.stdout.write(f"{existing} tickets exist already: demo data left as it is.")
            return
        cast = ensure_cast()
        ensure_service_terms(cast)
        mailbox = ensure_mailbox(cast)
        if count is None:
            count = 0 if existing else DEFAULT_TICKETS
        if count:
            self.stdout.write(f"Writing {count} demo tickets…")
            # The seed moves with the database's size so a second batch is not a copy of the first.
            # A year of history is not news: nobody is mailed about it.
            with silenced():
                result = generate(cast, count, seed=options["seed"] + existing, now=timezone.now())
            if not existing:
                morning_mail(cast, mailbox)
            by_status = ", ".join(f"{k} {v}" for k, v in sorted(result["statuses"].items()))
            self.stdout.write(f"Done in {result['seconds']:.1f} s. Tickets by status: {by_status}.")
        else:
            self.stdout.write(f"{existing} tickets exist already: no ticket added.")
        # Each part is written once (it does nothing when its data exists), after the tickets
        # it links to; old news again, so nobody is mailed.
        with silenced():
            now = timezone.now()
            knowledge.seed(cast, now=now)
            problems.seed(cast, now=now)
            scripts.seed(cast, now=now)
            assets.seed(cast, now=now)
        self.stdout.write(f'Demo logins (password "{PASSWORD}"):')
        for role, login in LOGINS:
            self.stdout.write(f"  {role:<18} {login}")
