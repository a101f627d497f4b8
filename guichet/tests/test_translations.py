"""Every interface string has its French translation.

The catalogue is regenerated from the current sources in a scratch copy of the package, so a
string added to a template or a module without its translation fails here.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
ENTRY = re.compile(
    r'(#,[^\n]*\n)?msgid ((?:"[^\n]*"\n)+)(?:msgid_plural (?:"[^\n]*"\n)+)?'
    r"((?:msgstr(?:\[\d\])? (?:\"[^\n]*\"\n)+)+)"
)


def joined(block: str) -> str:
    return "".join(re.findall(r'"(.*)"', block))


def untranslated(po_text: str) -> tuple[list[str], list[str]]:
    missing, fuzzy = [], []
    for flags, msgid, msgstr in ENTRY.findall(po_text):
        text = joined(msgid)
        if not text:
            continue
        if not all(joined(s) for s in re.split(r"msgstr(?:\[\d\])? ", msgstr)[1:]):
            missing.append(text)
        if "fuzzy" in (flags or ""):
            fuzzy.append(text)
    return missing, fuzzy


def test_every_string_of_the_current_sources_has_a_french_translation(tmp_path):
    copy = tmp_path / "guichet"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guichet.settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        timeout=300,
    )
    po_text = (copy / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    missing, fuzzy = untranslated(po_text)
    assert len(ENTRY.findall(po_text)) > 100
    assert missing == [], f"{len(missing)} strings without French, e.g. {missing[:8]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy translations, e.g. {fuzzy[:8]}"


def test_the_compiled_french_catalogue_ships():
    mo = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    assert mo.exists() and mo.stat().st_size > 1000
