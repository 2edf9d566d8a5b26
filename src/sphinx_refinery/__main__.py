"""``python -m sphinx_refinery``: the ``sphinx-refinery`` command."""

import sys

from .commands.cli import main

sys.exit(main())
