"""Entry point for ``python -m cma_desktop``."""

import sys

from cma_desktop.cli import main

sys.exit(main())
