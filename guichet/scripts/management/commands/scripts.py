"""`guichet scripts export CODE [--yaml] [--version N]` and `guichet scripts import FILE`."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.lib.errors import ActionError, InvalidInput
from guichet.scripts import actions, tree
from guichet.scripts.models import Script


class Command(BaseCommand):
    help = "Export a questioning script's version as JSON or YAML, or import one from a file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write a script's version to standard output.")
        export.add_argument("code")
        export.add_argument("--yaml", action="store_true", help="YAML instead of JSON.")
        export.add_argument("--version", type=int, help="A version number (default: current).")
        load = sub.add_parser("import", help="Import a file: a new version, or a new script.")
        load.add_argument("file")
        load.add_argument("--note", default="", help="The change note of the new version.")

    def handle(self, *args, **options):
        if options["action"] == "export":
            self._export(options)
        else:
            self._import(options)

    def _export(self, options) -> None:
        script = Script.objects.filter(code=options["code"]).first()
        if script is None:
            raise CommandError(f"No script with the code {options['code']!r}.")
        version = script.current
        if options["version"] is not None:
            version = script.versions.filter(number=options["version"]).first()
        if version is None:
            raise CommandError("This script has no such version.")
        document = actions.export_document(script, version)
        sys.stdout.write(tree.dump(document, "yaml" if options["yaml"] else "json"))

    def _import(self, options) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        fmt = "yaml" if path.suffix.lower() in (".yaml", ".yml") else ""
        try:
            document = tree.parse(text, fmt)
            script, version = actions.import_document(
                actor=None, document=document, note=options["note"]
            )
        except tree.TreeError as error:
            raise CommandError(str(error)) from None
        except InvalidInput as error:
            lines = [m for messages in error.errors.values() for m in messages]
            raise CommandError("\n".join(lines)) from None
        except ActionError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{script.code}: version {version.number} saved.")
