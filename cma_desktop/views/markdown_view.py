"""A read-only Markdown viewer that never interprets HTML, never loads images and opens only safe links."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, QUrlQuery, Signal
from PySide6.QtGui import Qt as QtGuiFunctions  # QtGui's Qt namespace holds its text helpers
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QFrame,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

from cma_desktop.content.render import INTERNAL_SCHEME
from cma_desktop.views.focus import paint_focus_ring

MARKDOWN_FEATURES = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
SAFE_LINK_SCHEMES = frozenset({"https", "mailto"})
_OBJECT_CHARACTER = "\ufffc"  # where a document holds an image


class SafeDocument(QTextDocument):
    """A document that loads no resources and holds no images: QTextDocument would otherwise read
    file: images itself, even when loadResource returns nothing."""

    def loadResource(self, type: int, name: QUrl | str) -> Any:  # noqa: A002 - Qt's signature
        return _no_resource(type)

    def set_safe_markdown(self, text: str) -> None:
        """Markdown without HTML; each image becomes its description in brackets, and is never loaded;
        a link the app would not open (http:, file: and the like) shows as its text, not as a link."""
        self.setMarkdown(text, MARKDOWN_FEATURES)
        self._unlink_unsafe()
        cursor = self.find(_OBJECT_CHARACTER)
        while not cursor.isNull():
            image = cursor.charFormat()
            if image.isImageFormat():
                description = str(image.property(QTextFormat.Property.ImageAltText) or "").strip()
                cursor.insertText(f"[{description}]" if description else "", QTextCharFormat())
            cursor = self.find(_OBJECT_CHARACTER, cursor)


    def _links(self) -> list[tuple[int, int, QTextCharFormat]]:
        """Where each run of link text is, and its format: all found before any is changed, as a
        change would upset the walk."""
        found: list[tuple[int, int, QTextCharFormat]] = []
        block = self.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.charFormat().isAnchor():
                    found.append((fragment.position(), fragment.length(), fragment.charFormat()))
                iterator += 1
            block = block.next()
        return found

    def _set_format(self, position: int, length: int, look: QTextCharFormat) -> None:
        cursor = QTextCursor(self)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(look)

    def _unlink_unsafe(self) -> None:
        for position, length, look in self._links():
            url = QUrl(look.anchorHref())
            if is_safe_link(url) or url.scheme() == INTERNAL_SCHEME:
                continue
            for link_property in (QTextFormat.Property.IsAnchor, QTextFormat.Property.AnchorHref,
                                  QTextFormat.Property.ForegroundBrush, QTextFormat.Property.TextUnderlineStyle,
                                  QTextFormat.Property.FontUnderline):
                look.clearProperty(link_property)  # bold or italic around it stays
            self._set_format(position, length, look)

    def recolor_links(self, color: QColor) -> None:
        """Qt writes the link colour of the moment into the text: after a change of theme, links
        would keep the old one (blue on the dark background)."""
        for position, length, look in self._links():
            if look.foreground().color() != color:
                look.setForeground(color)
                self._set_format(position, length, look)


def _no_resource(kind: int) -> QImage | None:
    """What a document gets for any resource it asks for. An image must be a blank one, not none:
    given none, Qt's image handler would open the file named in the text itself."""
    if kind == QTextDocument.ResourceType.ImageResource.value:  # Qt passes the kind as a number
        blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        blank.fill(QColor(Qt.GlobalColor.transparent))
        return blank
    return None


def markdown_to_plain(text: str) -> str:
    """The text a reader sees, for places that show plain text only (labels, tooltips)."""
    document = SafeDocument()
    document.set_safe_markdown(text)
    return document.toPlainText().strip()


def plain_tooltip(text: str) -> str:
    """Tooltips guess rich text on their own; escaped text in a paragraph always shows as written."""
    return QtGuiFunctions.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def is_safe_link(url: QUrl) -> bool:
    return url.isValid() and url.scheme().lower() in SAFE_LINK_SCHEMES


_MAILTO_FIELDS_KEPT = ("subject", "body")


def _harmless(url: QUrl) -> QUrl:
    """A mailto: link with only a subject and body: some mail programs act on attach= and the like,
    which a content pack must not be able to slip into a student's message."""
    if url.scheme().lower() != "mailto" or not url.hasQuery():
        return url
    kept = QUrlQuery()
    for name, value in QUrlQuery(url).queryItems(QUrl.ComponentFormattingOption.FullyEncoded):
        if name.lower() in _MAILTO_FIELDS_KEPT:
            kept.addQueryItem(name, value)
    cleaned = QUrl(url)
    cleaned.setQuery(kept)
    return cleaned


def open_safe_link(url: QUrl) -> bool:
    """Opens https: and mailto: links in the system's handler; refuses everything else."""
    if not is_safe_link(url):
        return False
    return QDesktopServices.openUrl(_harmless(url))


class MarkdownView(QTextBrowser):
    internalLinkActivated = Signal(str)  # kind/id of an item linked from the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = SafeDocument(self)
        self.setDocument(self._document)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Long source addresses break where they must, and text and tables always fit the width:
        # no horizontal scroll bar (Qt would show one for the pixel a table's borders round up to).
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.anchorClicked.connect(self._follow_link)
        self._markdown = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():  # a text view shows no ring of its own. (viewport() only now: see MarkdownBlock)
            paint_focus_ring(self, self.viewport())

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._document.recolor_links(self.palette().color(QPalette.ColorRole.Link))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self.hasFocus():  # scrolling moves the pixels already drawn: the ring's edges with them
            self.viewport().update()

    def _follow_link(self, url: QUrl) -> None:
        if url.scheme() == INTERNAL_SCHEME:
            self.internalLinkActivated.emit(url.path())
        elif is_safe_link(url) and not open_safe_link(url):
            self._say_link_not_opened(url)

    def _say_link_not_opened(self, url: QUrl) -> None:
        """A locked-down lab computer may have no browser or mail program to hand a link to: the
        user is told, and may copy the address to take elsewhere (the clipboard is theirs: only
        when they ask)."""
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QMessageBox

        from cma_desktop.views.focus import focus_ring_kept

        mail = url.scheme().lower() == "mailto"
        address = url.path() if mail else url.toString()  # for mail, the address to write to
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("The link could not be opened"), (
            self.tr("No program on this computer opened this e-mail address.") if mail else
            self.tr("No program on this computer opened this web address.")) + "\n\n" + address,
            QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        copy = box.addButton(self.tr("Copy address"), QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(copy)
        with focus_ring_kept(self):
            box.exec()
        if box.clickedButton() is copy:
            QGuiApplication.clipboard().setText(address)

    def set_markdown(self, text: str) -> None:
        self._markdown = text
        self._document.set_safe_markdown(text)
        # Filling the document leaves the caret, and so the view, at its end: a text is read from the top.
        self.setTextCursor(QTextCursor(self._document))

    def markdown(self) -> str:
        return self._markdown

    def mark_words(self, words: list[str]) -> None:
        """Marks every place the words (as search matched them) appear, in the highlight colours:
        whole words only, as search matches them ("x" of "x-ray", not the x in "exam")."""
        selections = []
        document = self.document()
        whole = QTextDocument.FindFlag.FindWholeWords
        for word in words:
            cursor = document.find(word, 0, whole)
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
                selection.format.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
                selections.append(selection)
                cursor = document.find(word, cursor, whole)
        self.setExtraSelections(selections)

    def marked_words(self) -> list[str]:
        return [selection.cursor.selectedText() for selection in self.extraSelections()]

    def find_line(self, text: str, prefix: bool = False) -> QTextCursor | None:
        """The first heading, paragraph or table cell that reads exactly the text (or, with prefix,
        begins with it), as the reader sees it: pass text through markdown_to_plain first."""
        wanted = " ".join(text.split())  # line breaks and runs of spaces read as one space
        block = self.document().begin()
        while block.isValid():
            shown = " ".join(block.text().split())
            if shown == wanted or (prefix and shown.startswith(wanted)):
                return QTextCursor(block)
            block = block.next()
        return None

    def go_to(self, cursor: QTextCursor) -> None:
        """Puts the caret at the start of what the cursor found and scrolls it into view."""
        cursor.setPosition(cursor.selectionStart())
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def loadResource(self, type: int, name: QUrl | str) -> Any:  # noqa: A002 - Qt's signature
        """No images or other resources, local or remote, ever come from content."""
        return _no_resource(type)


_PAGE_KEY_ACTIONS = {
    Qt.Key.Key_Up: QAbstractSlider.SliderAction.SliderSingleStepSub,
    Qt.Key.Key_Down: QAbstractSlider.SliderAction.SliderSingleStepAdd,
    Qt.Key.Key_PageUp: QAbstractSlider.SliderAction.SliderPageStepSub,
    Qt.Key.Key_PageDown: QAbstractSlider.SliderAction.SliderPageStepAdd,
    Qt.Key.Key_Home: QAbstractSlider.SliderAction.SliderToMinimum,
    Qt.Key.Key_End: QAbstractSlider.SliderAction.SliderToMaximum,
}


class MarkdownBlock(MarkdownView):
    """A MarkdownView as tall as its text, for stacking inside a scrolling page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # The page shows through, as if the viewport did not fill its background. A transparent Base
        # rather than viewport().setAutoFillBackground(False): the first viewport() call makes
        # PySide wrap a C++-made QWidget, which costs ~8 ms of type discovery at start-up.
        palette = self.palette()
        palette.setBrush(QPalette.ColorRole.Base, QColor(Qt.GlobalColor.transparent))
        self.setPalette(palette)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)

    def set_markdown(self, text: str) -> None:
        super().set_markdown(text)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The block is as tall as its text, so it has nothing to scroll: reading keys scroll the
        page it sits in instead, as they would in a browser."""
        action = _PAGE_KEY_ACTIONS.get(Qt.Key(event.key()))
        page = self._scrolling_page()
        modifiers = event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ControlModifier)
        if action is None or page is None or modifiers != Qt.KeyboardModifier.NoModifier:
            super().keyPressEvent(event)
            return
        page.verticalScrollBar().triggerAction(action)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._show_cursor_in_page()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's signature
        moved = super().focusNextPrevChild(next)  # Tab walks the block's links before it leaves
        self._show_cursor_in_page()
        return moved

    def _show_cursor_in_page(self) -> None:
        """The block has nothing to scroll, so the page it sits in scrolls to where the keyboard
        is in it (its start when Tab reaches it, then each link Tab moves to)."""
        page = self._scrolling_page()
        if not isinstance(page, QScrollArea) or not self.hasFocus() or (contents := page.widget()) is None:
            return
        where = self.cursorRect()
        centre = self.mapTo(contents, where.center())
        page.ensureVisible(centre.x(), centre.y(), 0, where.height() * 2)

    def _scrolling_page(self) -> QAbstractScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        return parent

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()  # a resize delivered while hidden was skipped

    def _fit_height(self, *_args: object) -> None:
        if not self.isVisible():
            return  # the width is not final yet: laying out now would be thrown away
        document = self.document()
        margins = self.viewportMargins()  # the viewport's width, without calling viewport() (see __init__)
        width = self.contentsRect().width() - margins.left() - margins.right()
        if document.textWidth() != width:  # setTextWidth lays the whole document out again, even at the same width
            document.setTextWidth(width)
        height = int(document.size().height()) + self.frameWidth() * 2 + 4
        if height != self.height():
            self.setFixedHeight(height)
