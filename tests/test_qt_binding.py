"""Guards against a Qt binding that mishandles None returned from Python overrides.

PySide6 6.12.0 drops a reference to None each time a Python override returns None to C++ (a
model's data() does so for every role it does not serve). Before Python 3.12 that ends in a
"deallocating None" crash after enough scrolling or typing; pyproject.toml excludes that version.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt


class _Model(QAbstractListModel):
    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return None


def test_returning_none_from_an_override_keeps_none_alive(qapp: Any) -> None:
    model = _Model()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(2000):
        index.data(Qt.ItemDataRole.DisplayRole)
    assert sys.getrefcount(None) - before > -100  # a leak would be -2000
