"""Statements rendered safe, and invitation tokens kept out of every log (web.security,
web.statements, config.gunicorn_logging)."""

from __future__ import annotations

import logging
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from config.gunicorn_logging import RedactingLogger
from web.security import RedactTokensFilter, redact_tokens
from web.statements import render_markdown


class Tags(HTMLParser):
    """Every element and attribute of an HTML text (what a browser would build)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes += attrs


TOKEN = "Zt1l0Q8bX2m9K4-pVwq_7yNcD3eRfGhJ5sUaLiOo6Tk"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        "<iframe src=//evil></iframe>",
    ],
)
def test_a_statement_cannot_carry_script(source):
    tags = Tags()
    tags.feed(render_markdown(f"# Title\n\n{source}\n"))
    assert tags.names <= {"h1", "p", "a"}
    for name, value in tags.attributes:
        assert not name.startswith("on"), (name, value)
        assert not (value or "").strip().lower().startswith("javascript:"), (name, value)


def test_math_stays_tex_for_katex_and_code_is_highlighted():
    html = render_markdown(
        "Inline $x_i^2$ and\n\n$$\n\\sum_i x_i\n$$\n\n```python\ndef f(): pass\n```\n"
    )
    assert '<span class="math inline">x_i^2</span>' in html
    assert '<div class="math block">' in html and "\\sum_i x_i" in html
    assert '<pre class="highlight"><code><span class="k">def</span>' in html


def test_log_records_lose_the_token_of_an_invitation_link():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/a/{TOKEN}",), None
    )
    assert RedactTokensFilter().filter(record) is True
    assert record.getMessage() == "Not Found: /a/[redacted]"
    assert redact_tokens(f'GET /a/{TOKEN}?x=1 HTTP/1.1 "http://h/a/{TOKEN}"').count(TOKEN) == 0


def test_the_access_log_loses_the_token_too():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/a/{TOKEN}",
        "PATH_INFO": f"/a/{TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"http://localhost/a/{TOKEN}",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.01))
    assert TOKEN not in str(atoms)
    assert atoms["U"] == "/a/[redacted]"


def test_the_signed_report_links_token_is_redacted_from_the_access_log():
    logger = RedactingLogger(Config())
    secret = "eyJpIjoiMSJ9:1vB2x3:Zk9signature"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/r/0b3f8a6e-5d1c-4f6e-9a7b-2c8d9e0f1a2b?t={secret}",
        "PATH_INFO": "/r/0b3f8a6e-5d1c-4f6e-9a7b-2c8d9e0f1a2b",
        "QUERY_STRING": f"t={secret}",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", sent=0, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0.01))
    assert secret not in str(atoms)
    assert atoms["q"] == "t=[redacted]"
