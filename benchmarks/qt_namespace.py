"""A reference point for the start-up benchmark: the bare window of bare_window.py after its first
use of PySide's ``Qt`` namespace (alignment, keys, item roles), which any real window makes and the
bare one does not. PySide then creates the Python enums of the whole namespace.
"""

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from bare_window import grab_bare_window  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return 0 if grab_bare_window(app, sys.argv[1]) else 1


if __name__ == "__main__":
    sys.exit(main())
