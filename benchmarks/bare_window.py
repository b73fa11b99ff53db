"""The baseline for the start-up benchmark: a bare PySide6 window holding a tab widget, painted and grabbed."""

import os
import sys
from collections.abc import Callable

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget  # noqa: E402


def grab_bare_window(app: QApplication, target: str, first_page: Callable[[QWidget], QWidget] = QWidget) -> bool:
    """Shows, paints and grabs the window; first_page makes what the first tab holds (the reference
    programs put one of the app's pages there)."""
    window = QMainWindow()
    tabs = QTabWidget(window)
    for index, title in enumerate(("Overview", "Duties", "Specializations", "Work Settings", "FAQ")):
        tabs.addTab(first_page(tabs) if index == 0 else QWidget(tabs), title)
    window.setCentralWidget(tabs)
    window.resize(1280, 800)
    window.show()
    for _ in range(3):
        app.processEvents()
    return window.grab().save(target, "BMP" if target.lower().endswith(".bmp") else "PNG")


def main() -> int:
    app = QApplication(sys.argv[:1])
    return 0 if grab_bare_window(app, sys.argv[1]) else 1


if __name__ == "__main__":
    sys.exit(main())
