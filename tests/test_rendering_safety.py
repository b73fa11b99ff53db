"""Content is Markdown without HTML: tags show as text, images never load, only safe links open."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

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
    secret.write_bytes(b"not really a png")
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    urls = [secret.as_uri(), "http://127.0.0.1:9/x.png", str(secret)]
    view.set_markdown(" ".join(f"![image {n}]({url})" for n, url in enumerate(urls)))
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # lay out and paint, which is when images would be fetched
    for url in urls:
        assert view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url)) is None


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
