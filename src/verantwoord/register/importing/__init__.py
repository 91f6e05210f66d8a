"""Import of register files: the national register's CSV download, our JSON export and the overzicht summary.

    from verantwoord.register.importing import register_import, ImportReport

Modules: formats (reading files into rows), overzicht (the summary format), normalise (cleaning values, with a
warning for each change), organisations (which organisation a row is for), report (counts and findings),
service (`register_import`).
"""

from verantwoord.register.importing.formats import ImportFileError
from verantwoord.register.importing.report import ImportReport
from verantwoord.register.importing.service import register_import

__all__ = ["ImportFileError", "ImportReport", "register_import"]
