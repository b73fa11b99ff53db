"""Entry script for the frozen bundle: the same as the installed ``cma-desktop`` command."""

import sys

from cma_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
