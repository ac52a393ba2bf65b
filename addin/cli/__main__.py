"""``python -m addin.cli``: the same as the ``crmvalue`` command."""

import sys

from .app import main

sys.exit(main())
