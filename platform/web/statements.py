"""Markdown to safe HTML for what candidates read: statements, intros, question prompts.

Raw HTML in the source is escaped (markdown-it with html off), links are checked by markdown-it,
math is kept as TeX in `span.math.inline` / `div.math.block` for KaTeX in the browser, code
blocks are highlighted by Pygments (`pre.highlight > code > span.<token class>`), and the result
goes through an allow-list sanitizer (nh3) all the same: a statement is authored content, and
one mistake here is script on every candidate's page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

ALLOWED_TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote"),
    *("ul", "ol", "li", "strong", "em", "code", "pre", "span", "div", "a", "img"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "span": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "code": {"class"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
}


def _highlight(code: str, language: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        return ""  # markdown-it escapes it as a plain block
    # Starting with "<pre" tells markdown-it not to wrap it again.
    tokens = highlight(code, lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="highlight"><code>{tokens}</code></pre>\n'


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
        .enable("table")
        .use(dollarmath_plugin, double_inline=True)
    )


@lru_cache(maxsize=256)
def render_markdown(text: str) -> str:
    """Sanitized HTML for Markdown `text` (cached: statements are few and immutable)."""
    html = _markdown().render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
