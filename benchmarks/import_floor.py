"""A reference point for the start-up benchmark: the bare window of bare_window.py, after doing what
any start of the app must before it builds a widget: import the app's modules (which makes PySide
create the Qt classes and enums they use) and read the checked content from its cache.

Its time against the bare window shows how much of the app's start-up is fixed cost of the
Python and Qt stack rather than work the window does.
"""

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from bare_window import grab_bare_window  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import cma_desktop.cli  # noqa: E402, F401
import cma_desktop.views.application  # noqa: E402, F401
import cma_desktop.views.main_window  # noqa: E402, F401
from cma_desktop.content.cache import load_with_packs_cached  # noqa: E402
from cma_desktop.locations import APPLICATION, ORGANIZATION, bundled_content_path, content_cache_file  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    load_with_packs_cached(bundled_content_path(), [], content_cache_file())
    return 0 if grab_bare_window(app, sys.argv[1]) else 1


if __name__ == "__main__":
    sys.exit(main())
