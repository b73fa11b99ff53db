"""A reference point for the start-up benchmark: the bare window of bare_window.py with the app's
Overview page, on the cached content, as its first tab, and nothing else of the app: no menus,
toolbar, search, notes, policy or other tabs.

Its time against the bare window is the least any window showing the app's first page can cost.
"""

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from bare_window import grab_bare_window  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cma_desktop.content.cache import load_with_packs_cached  # noqa: E402
from cma_desktop.locations import APPLICATION, ORGANIZATION, bundled_content_path, content_cache_file  # noqa: E402
from cma_desktop.views.overview_tab import OverviewTab  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    content, _skipped = load_with_packs_cached(bundled_content_path(), [], content_cache_file())
    return 0 if grab_bare_window(app, sys.argv[1], lambda parent: OverviewTab(content, parent)) else 1


if __name__ == "__main__":
    sys.exit(main())
