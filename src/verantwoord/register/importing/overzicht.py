"""The summary format of the national register as collected by the CC0 project `schellevis/algoritmeregister`
(shared/data/algoritmeregister-overzicht.json): {"algoritmes": [{id, title, organisatie, doel, status,
juridische_basis, impactassessment, geregistreerd, toegevoegd, url}, …]}.

How its fields map onto the standard, and why:

- `id` is the register's algorithm ID (lars); `title` the name; `organisatie` the organisation; `url` the record's
  page on algoritmes.overheid.nl, which is exactly the standard's "link to source registration".
- `doel` is the register's `goal` field ("Doel en impact"), so it is kept as the goal. The file has no short
  description, which the standard requires and public lists show as the summary, so `doel` stands in for it
  too. It is a stand-in: a short description that someone wrote here is never overwritten by it.
- `juridische_basis` is the register's `lawful_basis`.
- `impactassessment` is not a field of the standard: the collector sets it to "Ja" when the record's impact
  assessment texts say anything, "Nee" when they say "geen", and "Onbekend" when they are empty. It becomes a
  short Dutch note in "Toelichting op impacttoetsen" (the register's language) that says just that and points
  to the source registration; "Onbekend" leaves the field empty, as nothing is known. The note is a stand-in too.
- `geregistreerd` is the date the national register holds for the record (its `create_dt`): the publication's
  date there. It becomes `publication_dt` when the record is published as imported. It is NOT the start date
  of the algorithm (`begin_date`), which the file does not have.
- `toegevoegd` is the date the collector first saw the record: a fact about the collection, not about the
  algorithm, so it is not imported.
- The file has no publication category, contact details or themes: they stay empty and the import reports
  what publication would still need.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from verantwoord.register.importing.formats import ImportFileError, SourceFile, SourceRow

FIELD_MAP = {
    "id": "lars",
    "title": "name",
    "organisatie": "organization",
    "status": "status",
    "url": "url",
    "juridische_basis": "lawful_basis",
    "geregistreerd": "publication_dt",
}
IGNORED = frozenset({"toegevoegd"})
# Content of the record (the register's language is Dutch), not text of the user interface.
IMPACT_NOTES = {
    "ja": "Het landelijke algoritmeregister noemt impacttoetsen voor dit algoritme; zie de bronregistratie.",
    "nee": "Volgens het landelijke algoritmeregister zijn er geen impacttoetsen.",
    "onbekend": "",
}
STAND_INS = frozenset({"description_short", "impacttoetsen"})


def stand_in_replaceable(key: str, stored: dict[str, Any]) -> bool:
    """May a stand-in value of this format replace the stored value of `key`?

    Only an empty value, or one that was itself a stand-in: a short description equal to the goal (a copy of
    `doel`), an impact note of ours. Text someone wrote in the platform is kept.
    """
    value = str(stored.get(key) or "")
    if not value.strip():
        return True
    if key == "description_short":
        return value == str(stored.get("goal") or "")
    if key == "impacttoetsen":
        return value in IMPACT_NOTES.values()
    return False


def read_overzicht(data: Any) -> SourceFile:
    if not isinstance(data, dict) or not isinstance(data.get("algoritmes"), list):
        raise ImportFileError(_("Expected an object with a list “algoritmes”."))
    rows: list[SourceRow] = []
    unknown: dict[str, None] = {}
    for number, item in enumerate(data["algoritmes"], start=1):
        if not isinstance(item, dict):
            rows.append(
                SourceRow(number=number, values={}, problem=_("Not a record (an object with fields)."))
            )
            continue
        values: dict[str, Any] = {}
        notes: list[tuple[str | None, str]] = []
        for name, value in item.items():
            if name in FIELD_MAP:
                values[FIELD_MAP[name]] = value
            elif name == "doel":
                values["goal"] = value
                values["description_short"] = value
            elif name == "impactassessment":
                note = IMPACT_NOTES.get(str(value or "").strip().casefold())
                if note is None:
                    # Read as nothing known, like "Onbekend": the value is reported rather than guessed at.
                    note = ""
                    notes.append(
                        (
                            "impacttoetsen",
                            _("Impact assessment “%(value)s” is not Ja, Nee or Onbekend; left empty.")
                            % {"value": value},
                        )
                    )
                values["impacttoetsen"] = note
            elif name not in IGNORED:
                unknown[name] = None
        rows.append(SourceRow(number=number, values=values, stand_ins=STAND_INS & set(values), notes=notes))
    warnings: list[tuple[str | None, str]] = [
        (name, _("Field “%(field)s” is not in the summary format; ignored.") % {"field": name})
        for name in unknown
    ]
    return SourceFile(format="overzicht", rows=rows, warnings=warnings)
