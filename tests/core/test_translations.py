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
# The shared catalogue, and one per app with its own locale/ directory (makemessages routes its strings there).
CATALOGUES = sorted(PACKAGE.glob("locale/nl/LC_MESSAGES/django.po")) + sorted(
    PACKAGE.glob("*/locale/nl/LC_MESSAGES/django.po")
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_no_entry_is_untranslated_or_fuzzy(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"Untranslated in {_name(path)}: {untranslated}"
    assert fuzzy == [], f"Fuzzy in {_name(path)}: {fuzzy}"
    assert not catalogue.metadata_is_fuzzy, f"The header of {_name(path)} is marked fuzzy"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_placeholders_survive_translation(path: Path) -> None:
    for entry in polib.pofile(str(path)).translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translated in translations:
            expected = sorted(set(PLACEHOLDER.findall(entry.msgid)))
            assert expected == sorted(set(PLACEHOLDER.findall(translated))), entry.msgid


def test_every_source_string_is_in_the_catalogue(tmp_path: Path) -> None:
    """Extract the strings from a copy of the source and compare with the committed catalogues."""
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
    missing: dict[str, list[str]] = {}
    for extracted_path in sorted(copy.glob("**/locale/nl/LC_MESSAGES/django.po")):
        path = PACKAGE / extracted_path.relative_to(copy)
        extracted = {entry.msgid for entry in polib.pofile(str(extracted_path))}
        committed = (
            {entry.msgid for entry in polib.pofile(str(path)) if not entry.obsolete}
            if path.exists()
            else set()
        )
        if extracted - committed:
            missing[_name(path)] = sorted(extracted - committed)
    assert missing == {}, f"Run `make messages-update` and translate: {missing}"


def test_compiled_catalogue_is_used() -> None:
    with translation.override("nl"):
        assert translation.gettext("Skip to main content") == "Naar de hoofdinhoud"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"
