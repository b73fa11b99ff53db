"""Help > Sources: every source the content rests on, with its year and address."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from cma_desktop.content.model import Content
from cma_desktop.content.render import sources_markdown
from cma_desktop.views.markdown_view import MarkdownView


class SourcesDialog(QDialog):
    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sources"))
        self.resize(720, 560)
        self.view = MarkdownView(self)
        self.view.setAccessibleName(self.tr("Sources"))
        self.view.set_markdown(sources_markdown(content))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
