"""``python -m verantwoord_verify BUNDLE_DIR``."""

import sys

from .cli import main

sys.exit(main())
