"""``python -m workbook_templates.builder [--out PATH]``: regenerate the template workbook."""

import sys

from .template import main

sys.exit(main())
