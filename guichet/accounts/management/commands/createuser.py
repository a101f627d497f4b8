from django.core.management.base import BaseCommand, CommandError

from guichet.accounts.actions import create_user
from guichet.accounts.choices import Role
from guichet.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Create a user with a role, optionally in an organisation and a team."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--organisation", default="")
        parser.add_argument("--team", default="")
        parser.add_argument("--password", default=None)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])

    def handle(self, *args, **o):
        try:
            user = create_user(
                username=o["username"],
                role=o["role"],
                email=o["email"],
                password=o["password"],
                organisation_name=o["organisation"],
                team_name=o["team"],
                first_name=o["first_name"],
                last_name=o["last_name"],
                language=o["language"],
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created {user.role} {user.username}")
