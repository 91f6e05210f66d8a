"""`verantwoord register list|import|export`, with the exit status scripts rely on."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.utils import translation

from tests.register.factories import published_algorithm
from tests.register.test_importing import DUTCH_HEADER, MESSY_ROWS, write_csv
from verantwoord.cli import main
from verantwoord.core.models import Organisation
from verantwoord.register import selectors
from verantwoord.register.exporting import export_csv, export_json
from verantwoord.register.management.commands.register import ProgressBar
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("register", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_json_output_has_exactly_the_reports_keys(tmp_path: Path, organisation: Organisation) -> None:
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, MESSY_ROWS[:2])
    report = json.loads(run("import", str(path), "--json"))
    assert list(report) == ["total", "imported", "updated", "unchanged", "skipped", "warnings", "errors"]
    assert (report["total"], report["imported"], report["skipped"]) == (2, 2, 0)
    assert set(report["warnings"][0]) == {"row", "field", "message", "algorithm_id"}


def test_import_exits_1_when_rows_are_skipped_after_writing_the_report(
    tmp_path: Path, organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, MESSY_ROWS)
    # The console script, for its real exit status (it closes the database connections when it ends).
    with pytest.raises(SystemExit) as exit_status:
        main(["register", "import", str(path), "--json"])
    assert exit_status.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["skipped"]) == (3, 3)
    assert [error["row"] for error in report["errors"]] == [3, 4, 6]


def test_import_exits_2_when_the_file_is_not_a_register(tmp_path: Path) -> None:
    path = tmp_path / "leeg.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import", str(path), "--organisation", "bestaat-niet")
    assert caught.value.returncode == 2
    # Last: the console script closes the database connections when the command ends.
    with pytest.raises(SystemExit) as exit_status:
        main(["register", "import", str(path)])
    assert exit_status.value.code == 2


def test_import_dry_run_and_human_summary(tmp_path: Path, organisation: Organisation) -> None:
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, MESSY_ROWS[:2])
    with translation.override("en"):
        output = run("import", str(path), "--dry-run", "--organisation", "testdorp")
        assert output.splitlines()[:2] == [
            "Dry run: nothing was saved.",
            "register.csv: 2 rows — 2 imported, 0 updated, 0 unchanged, 0 skipped.",
        ]
        assert Algorithm.objects.count() == 0
        output = run("import", str(path), "--create-organisations", "--publish")
    assert Algorithm.objects.count() == 2
    assert selectors.public_publications().count() == 2
    # The warnings are summarised by field and message, the most frequent first.
    assert "      1  begin_date: “05-2023” read as 2023-05." in output.splitlines()


def test_organisation_and_create_organisations_exclude_each_other(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run("import", str(tmp_path / "x.csv"), "--organisation", "a", "--create-organisations")


def test_list(organisation: Organisation) -> None:
    algorithm = published_algorithm(organisation)
    rows = json.loads(run("list", "--json"))
    assert rows == [
        {
            "slug": "testdorp",
            "id": algorithm.pk,
            "name": "Slimme verkeerslichten",
            "status": "in_use",
            "publicationState": "published",
        }
    ]
    assert "Slimme verkeerslichten" in run("list", "--organisation", "testdorp")


def test_export_to_stdout_and_to_a_file(tmp_path: Path, organisation: Organisation) -> None:
    published_algorithm(organisation)
    assert run("export", "--format", "json") == export_json(selectors.public_publications())
    target = tmp_path / "register.csv"
    run("export", "--format", "csv", "--organisation", "testdorp", "-o", str(target))
    assert target.read_bytes() == export_csv(selectors.public_publications()).encode()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_progress_bar_redraws_one_line() -> None:
    stream = StringIO()
    bar = ProgressBar(OutputWrapper(stream))
    for done in range(1, 5):
        bar(done, 4)
    assert stream.getvalue().split("\r")[1:] == [
        "[#######-----------------------] 1/4",
        "[###############---------------] 2/4",
        "[######################--------] 3/4",
        "[##############################] 4/4\n",
    ]
