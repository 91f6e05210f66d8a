"""The `verantwoord` command: Django's management commands under the product's own name.

`verantwoord migrate`, `verantwoord demo`, `verantwoord organisation list --json`, … — anything
`django-admin` can do, without having to know the settings module.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verantwoord.conf.settings")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["verantwoord", *arguments])


if __name__ == "__main__":
    main()
