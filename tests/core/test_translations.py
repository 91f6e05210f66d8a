"""The Dutch catalogue is complete: every source string is in it, translated, not fuzzy, placeholders intact."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "verantwoord"
CATALOGUE = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_no_entry_is_untranslated_or_fuzzy() -> None:
    catalogue = _catalogue()
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"Untranslated in {CATALOGUE.name}: {untranslated}"
    assert fuzzy == [], f"Fuzzy in {CATALOGUE.name}: {fuzzy}"


def test_placeholders_survive_translation() -> None:
    for entry in _catalogue().translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translated in translations:
            expected = sorted(set(PLACEHOLDER.findall(entry.msgid)))
            assert expected == sorted(set(PLACEHOLDER.findall(translated))), entry.msgid


def test_every_source_string_is_in_the_catalogue(tmp_path: Path) -> None:
    """Extract the strings from a copy of the source and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (Debian package gettext) is needed; `make install` installs it.")
    copy = tmp_path / "verantwoord"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    }
    committed = {entry.msgid for entry in _catalogue() if not entry.obsolete}
    missing = sorted(extracted - committed)
    assert missing == [], f"Run `make messages-update` and translate: {missing}"


def test_compiled_catalogue_is_used() -> None:
    with translation.override("nl"):
        assert translation.gettext("Skip to main content") == "Naar de hoofdinhoud"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"
