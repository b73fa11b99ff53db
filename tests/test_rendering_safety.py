"""Content is Markdown without HTML: tags show as text, images never load, only safe links open."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QUrl, QUrlQuery
from PySide6.QtGui import QColor, QImage, QTextDocument

from cma_desktop.views.markdown_view import MarkdownView, is_safe_link, markdown_to_plain


def test_html_in_markdown_is_shown_as_text(qtbot: Any) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown("Hello <b>bold</b> and <script>alert(1)</script> **strong**")
    text = view.toPlainText()
    assert "<b>bold</b>" in text
    assert "<script>" in text
    assert "strong" in text and "**" not in text


def test_images_are_never_loaded(qtbot: Any, tmp_path: Any) -> None:
    secret = tmp_path / "secret.png"
    red = QImage(60, 60, QImage.Format.Format_RGB32)
    red.fill(QColor("red"))
    assert red.save(str(secret))  # a real image, which Qt's own image loader would read
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    urls = [secret.as_uri(), "http://127.0.0.1:9/x.png", str(secret)]
    view.set_markdown(" ".join(f"![image {n}]({url})" for n, url in enumerate(urls)))
    view.show()
    qtbot.waitExposed(view)
    shot = view.grab().toImage()  # lay out and paint, which is when images would be fetched
    assert not any(shot.pixelColor(x, y) == QColor("red") for x in range(0, 400, 3) for y in range(0, 300, 3))
    for url in urls:  # never read: what the document holds for it is the blank it was given
        held = view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        assert held is None or held.size().width() <= 1
    assert view.toPlainText() == "[image 0] [image 1] [image 2]"  # what the image was, in words
    assert markdown_to_plain(f"See ![the chart]({secret.as_uri()}).") == "See [the chart]."


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.bls.gov/ooh/", True),
        ("mailto:careers@example.org", True),
        ("http://example.org/", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("smb://host/share/x.exe", False),
        ("ms-settings:", False),
    ],
)
def test_only_https_and_mailto_links_are_safe(url: str, safe: bool) -> None:
    assert is_safe_link(QUrl(url)) is safe


def test_markdown_to_plain_drops_markup(qapp: Any) -> None:
    assert markdown_to_plain("An *average* is not a **median**") == "An average is not a median"


def test_long_addresses_and_tables_fit_the_width_without_sideways_scrolling(qtbot: Any) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    address = "https://example.org/" + "a" * 300
    view.set_markdown(f"Source: {address}\n\n| Figure | Value | Data year | Source |\n|---|---|---|---|\n"
                      "| Share of jobs | 58% | 2021 | U.S. Bureau of Labor Statistics |\n")
    view.resize(320, 400)
    view.show()
    qtbot.waitExposed(view)
    assert not view.horizontalScrollBar().isVisible()
    first = view.document().begin()
    assert first.layout().lineCount() > 1  # the address breaks onto further lines instead of running off
    assert view.document().size().width() <= view.viewport().width() + 1


def test_a_link_the_app_would_not_open_shows_as_plain_text(qtbot: Any) -> None:
    """An http: or file: link would be blue and do nothing when clicked: it reads as text instead."""
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown("See [our page](http://x.example) and **[the list](file:///etc/passwd)** or [the catalog](https://y.example).")
    anchors = {}
    iterator = view.document().begin().begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        anchors[fragment.text()] = (fragment.charFormat().anchorHref(), fragment.charFormat().fontWeight())
        iterator += 1
    assert anchors["the catalog"][0] == "https://y.example"
    assert anchors["See our page and "][0] == "" and anchors["the list"] == ("", 700)  # still bold, no longer a link


def test_a_mailto_link_opens_with_its_subject_and_body_only(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some mail programs attach the file a link's attach= names: a pack's link must not do that."""
    from PySide6.QtGui import QDesktopServices

    from cma_desktop.views.markdown_view import open_safe_link

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert open_safe_link(QUrl("mailto:center@example.org?attach=/etc/passwd&Subject=Visit%20%26%20tour&body=Hello"))
    sent = opened[-1].toString()
    assert "attach" not in sent and "passwd" not in sent
    assert opened[-1].path() == "center@example.org"
    assert QUrlQuery(opened[-1]).queryItems(QUrl.ComponentFormattingOption.FullyDecoded) == [
        ("Subject", "Visit & tour"), ("body", "Hello")]  # an & inside the subject stays part of it
    assert open_safe_link(QUrl("https://example.org/a?b=c"))
    assert opened[-1].toString() == "https://example.org/a?b=c"  # web addresses are left as they are


def test_a_title_cannot_turn_a_related_link_into_a_link_elsewhere(bundled_content: Any) -> None:
    """A pack's title with "](...)" in it ended the app's own link early and started one to anywhere."""
    import dataclasses

    from cma_desktop.content.render import item_markdown

    duties = list(bundled_content.duties)
    target = duties[1]
    duties[1] = dataclasses.replace(target, title="Wound care](https://phish.example/login) [more")
    duties[0] = dataclasses.replace(duties[0], related=(f"duties/{target.id}",))
    content = dataclasses.replace(bundled_content, duties=tuple(duties))
    document = QTextDocument()
    document.setMarkdown(item_markdown(duties[0], content))
    anchors, block = [], document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isAnchor():
                anchors.append((fragment.text(), fragment.charFormat().anchorHref()))
            fragments += 1
        block = block.next()
    assert not any("phish" in href for _text, href in anchors)
    assert ("Wound care](https://phish.example/login) [more", f"cma:duties/{target.id}") in anchors


def test_a_link_no_program_can_open_is_said_and_its_address_offered_to_copy(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked-down lab computer may have no browser: Enter on a source link did nothing at all."""
    from PySide6.QtGui import QDesktopServices, QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    press_copy = [False]

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        if press_copy[0]:
            next(b for b in box.buttons() if b.text() == "Copy address").click()
        return 0

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    monkeypatch.setattr(QMessageBox, "exec", answer)
    QGuiApplication.clipboard().setText("the student's own text")
    view = MarkdownView()
    qtbot.addWidget(view)
    view.anchorClicked.emit(QUrl("https://www.bls.gov/ooh/"))
    assert len(shown) == 1 and "web address" in shown[0] and shown[0].endswith("https://www.bls.gov/ooh/")
    assert QGuiApplication.clipboard().text() == "the student's own text"  # closed: the clipboard is left alone
    press_copy[0] = True
    view.anchorClicked.emit(QUrl("https://www.bls.gov/ooh/"))
    assert QGuiApplication.clipboard().text() == "https://www.bls.gov/ooh/"
    view.anchorClicked.emit(QUrl("mailto:center@example.org?subject=Visit"))
    assert "e-mail address" in shown[-1] and QGuiApplication.clipboard().text() == "center@example.org"
    view.anchorClicked.emit(QUrl("file:///etc/passwd"))  # refused, as ever: nothing to say about it
    assert len(shown) == 3
