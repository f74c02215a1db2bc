"""Making e-mail HTML safe to store and show, and turning it into plain text.

Sanitizing is done by ``nh3`` (the Rust ``ammonia`` HTML5 sanitizer): an allowlist of tags and
attributes, the content of dangerous elements (scripts, styles, frames, forms...) dropped
entirely. On top of it, this module decides what the help desk allows:

- links only to ``http``, ``https`` and ``mailto`` addresses;
- images only from ``cid:`` (an inline part of the same message, served from the stored
  attachment): a remote image or tracking pixel becomes its alt text and is never fetched;
- inline style only as a short list of typographic properties whose values are plain words,
  numbers, colours and lengths: no ``url(...)`` (however escaped, e.g. ``u\\72 l(...)``), no
  ``position``, no ``expression``.

Rendering HTML as text (:func:`html_to_text`) uses a small linear-time tokenizer (its output is
plain text, never HTML).
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote",
    "pre", "code", "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "td", "th", "hr", "img", "font", "small", "sub", "sup", "s", "strike", "center",
})
# Elements whose whole content is dropped, not just the tags.
DROP_CONTENT_TAGS = frozenset({
    "script", "style", "iframe", "object", "embed", "form", "link", "meta", "head", "title",
    "noscript", "template", "svg", "math", "textarea", "select", "button", "applet", "frame",
    "frameset", "noembed", "noframes",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "dir", "lang", "style", "align"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "bgcolor", "valign"},
    "th": {"colspan", "rowspan", "bgcolor", "valign"},
    "table": {"width", "cellpadding", "cellspacing", "border", "bgcolor"},
    "ol": {"start"},
    "font": {"color", "size", "face"},
}
LINK_SCHEMES = ("http:", "https:", "mailto:")
IMAGE_SCHEMES = ("cid:",)
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "font-weight", "font-style", "font-size", "font-family",
    "text-decoration", "text-align", "vertical-align", "white-space", "line-height",
    "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
    "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
    "border", "border-top", "border-bottom", "border-left", "border-right", "border-color",
    "border-style", "border-width", "border-collapse", "width", "height",
})
# A declaration's value: words, numbers, units, #colours, commas, quotes and rgb()/rgba().
# No backslash (CSS escapes), no other function, no comment.
_SAFE_STYLE_VALUE = re.compile(
    r"^(?:[#%\w\s.,'\"+-]|rgba?\(\s*[\d.%\s,]+\))*$", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_NUMERIC = re.compile(r"^\d{1,4}%?$")
_NUMERIC_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "start",
                                 "cellpadding", "cellspacing", "border", "size"})
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)([^>]*)>", re.IGNORECASE)
_ALT = re.compile(r'\salt="([^"]*)"')
_SPACES = re.compile(r"\s+")


def _scheme_of(url: str) -> str:
    """The lower-cased start of a URL with whitespace and control characters removed, the way
    browsers read it (so that ``java\\tscript:`` is recognized)."""
    return _CONTROL.sub("", url).lower()


def safe_style(value: str) -> str | None:
    """The declarations of a ``style`` attribute that are allowed, or None when none is."""
    kept: list[str] = []
    for declaration in value.split(";"):
        name, colon, declared = declaration.partition(":")
        name = name.strip().lower()
        declared = declared.strip()
        if not colon or name not in STYLE_PROPERTIES or not declared:
            continue
        if "/*" in declared or not _SAFE_STYLE_VALUE.match(declared):
            continue
        kept.append(f"{name}: {declared}")
    return "; ".join(kept) or None


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "style":
        return safe_style(value)
    if name == "href":
        return value if tag == "a" and _scheme_of(value).startswith(LINK_SCHEMES) else None
    if name == "src":
        return value if tag == "img" and _scheme_of(value).startswith(IMAGE_SCHEMES) else None
    if name in _NUMERIC_ATTRIBUTES and not _NUMERIC.match(value.strip()):
        return None
    return value


def _image_to_alt(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(1))
    return alt.group(1) if alt else ""  # already escaped by nh3


def sanitize_html(html: str) -> str:
    """``html`` with only allowlisted tags, attributes, link targets, ``cid:`` images and
    typographic styles left: safe to store and to display."""
    cleaned = nh3.clean(
        capped_nesting(html or ""),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An image that may not be loaded shows what it stood for.
    return _IMG_WITHOUT_SRC.sub(_image_to_alt, cleaned)


MAX_NESTING = 200
# Elements that never hold content, and those whose end tag may be left out (a new one of the
# same kind closes the open one): neither deepens the tree when written the usual way.
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                        "meta", "param", "source", "track", "wbr"})
_SELF_CLOSING_KINDS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
# Tags only (text is skipped by the search): comments and raw-text elements are matched first
# so that a "<div>" inside them is not counted.
_STRUCTURE = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL)


def capped_nesting(html: str, limit: int = MAX_NESTING) -> str:
    """``html`` with the start tags that would open elements deeper than ``limit`` (and their
    end tags) left out; the text stays.

    An HTML5 tree builder checks "is there a <p> / <li> in scope" by walking the stack of open
    elements, so 200,000 nested ``<div>`` or ``<li>`` cost it minutes (measured: 1 MB of
    ``<div>`` took nh3 130 s). No real message nests that deep. The count here is an upper
    bound of the parser's depth: implied end tags it does not know only make it larger.
    """
    if html.count("<") <= limit:
        return html
    pieces: list[str] = []
    stack: list[str] = []
    dropped: Counter[str] = Counter()  # start tags left out, by name, awaiting their end tag
    kept_until = 0
    for match in _STRUCTURE.finditer(html):
        name = match.group(2)
        if name is None:
            continue  # a comment: its "tags" are not tags
        tag = name.lower()
        if match.group(1):  # an end tag: the innermost element of its name closes
            if dropped[tag] == 0:
                if tag in stack:
                    while stack.pop() != tag:
                        pass
                continue
            dropped[tag] -= 1
        else:
            if tag in _VOID_TAGS or match.group(3).rstrip().endswith("/"):
                continue
            if tag in _SELF_CLOSING_KINDS and stack and stack[-1] == tag:
                continue  # closes the open one and opens its sibling: same depth
            if len(stack) < limit:
                stack.append(tag)
                continue
            dropped[tag] += 1
        pieces.append(html[kept_until:match.start()])
        kept_until = match.end()
    if not pieces:
        return html
    pieces.append(html[kept_until:])
    return "".join(pieces)


_BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "blockquote", "pre", "table", "h1", "h2", "h3",
                         "h4", "h5", "h6", "hr", "tr"})


class _TextRenderer(HTMLParser):
    """Renders (sanitized or not) HTML as plain text, block by block.

    Linear in the input: the line being built is a list of pieces (never a string grown by
    ``+=`` and re-scanned), and what the rules need to know about it — does it hold any text,
    how does it end — is kept as it grows.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []  # finished lines ("" = blank separator)
        self.blank: list[bool] = []  # per finished line: holds nothing but quote marks
        self.parts: list[str] = []  # the current line, in pieces
        self.has_text = False  # the current line holds a non-space character
        self.tail = ""  # the current line's last two characters
        self.quote_depth = 0
        self.lists: list[list[int | None]] = []  # per open list: [counter] or [None] (bullets)
        self.pre = 0
        self.dropping = 0
        self.link: tuple[str, int] | None = None  # href, index of its first piece

    # -- line handling -------------------------------------------------------------------

    def _prefix(self) -> str:
        return "> " * self.quote_depth

    def _add(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        if not self.has_text and not text.isspace():
            self.has_text = True
        self.tail = (self.tail + text)[-2:]

    def _start(self, text: str) -> None:
        """Start the current line afresh with ``text`` (a list marker)."""
        self.parts, self.has_text, self.tail = [], False, ""
        self._add(text)

    def _append_line(self, line: str) -> None:
        self.lines.append(line)
        self.blank.append(not line.replace(">", "").strip())

    def _end_line(self) -> None:
        if self.has_text or self.pre:
            text = "".join(self.parts)
            self._append_line(self._prefix() + (text if self.pre else text.rstrip()))
        self.parts, self.has_text, self.tail = [], False, ""
        self.link = None if self.link is None else (self.link[0], 0)

    def _blank(self) -> None:
        self._end_line()
        if self.lines and not self.blank[-1]:
            self._append_line(self._prefix().rstrip())

    # -- parser events ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in DROP_CONTENT_TAGS:
            if tag not in ("link", "meta"):
                self.dropping += 1
            return
        if self.dropping:
            return
        if tag == "br":
            self._end_line()
        elif tag == "blockquote":
            self._blank()
            self.quote_depth += 1
        elif tag in ("ul", "ol"):
            if self.lists:  # a nested list continues its parent item
                self._end_line()
            else:
                self._blank()
            start = dict(attrs).get("start")
            first = int(start) if tag == "ol" and start and start.isdigit() else 1
            self.lists.append([first if tag == "ol" else None])
        elif tag == "li":
            self._end_line()
            indent = "  " * (len(self.lists) - 1)
            if self.lists and self.lists[-1][0] is not None:
                number = self.lists[-1][0]
                self._start(f"{indent}{number}. ")
                self.lists[-1][0] = number + 1
            else:
                self._start(f"{indent}- ")
        elif tag in ("td", "th"):
            if self.has_text:
                self._add(" | ")
        elif tag == "pre":
            self._blank()
            self.pre += 1
        elif tag in _BLOCK_TAGS:
            self._blank()
            if tag == "hr":
                self._start("---")
                self._blank()
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.parts))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._add(alt)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in DROP_CONTENT_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag == "blockquote":
            self._end_line()
            while self.lines and self.blank[-1]:
                self.lines.pop()  # no empty quoted line at the end of a quote
                self.blank.pop()
            self.quote_depth = max(0, self.quote_depth - 1)
            self._blank()
        elif tag in ("ul", "ol"):
            self._end_line()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._blank()
        elif tag == "li":
            self._end_line()
        elif tag == "pre":
            self._end_line()
            self.pre = max(0, self.pre - 1)
            self._blank()
        elif tag == "tr":
            self._end_line()
        elif tag in _BLOCK_TAGS:
            self._blank()
        elif tag == "a" and self.link is not None:
            href, start = self.link
            self.link = None
            shown = "".join(self.parts[start:]).strip()  # the link's own text, read once
            target = href[7:] if href.lower().startswith("mailto:") else href
            if href and target != shown:
                self._add(f" <{target}>" if shown else f"<{target}>")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.pre:
            parts = data.split("\n")
            for index, part in enumerate(parts):
                if index:
                    self._end_line()
                self._add(part)
            return
        text = _SPACES.sub(" ", data)
        if not self.has_text or self.tail.endswith(" ") or self.tail in ("- ", ". "):
            text = text.lstrip()
        self._add(text)

    def result(self) -> str:
        self.close()
        self._end_line()
        end = len(self.lines)
        while end and not self.lines[end - 1].strip(" >"):
            end -= 1
        start = 0
        while start < end and not self.lines[start].strip(" >"):
            start += 1
        return "\n".join(line.rstrip() for line in self.lines[start:end])


# A small tokenizer for html_to_text: one regular-expression match per token, straight to the
# renderer's handlers (html.parser costs several Python calls per tag). Its output is plain
# text, never HTML, so a tokenizing difference on malformed input cannot make anything unsafe.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment
    r"|<[!?][^>]*>?"  # declaration, processing instruction
    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"  # tag
    r"|[^<]+"  # text
    r"|<",  # a lone "<" is text
    re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_RAW_TEXT_TAGS = ("script", "style")  # their content is not markup


def _attributes(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text):
        name, *values = match.groups()
        value = next((v for v in values if v is not None), None)
        found.append((name.lower(), unescape(value) if value is not None else None))
    return found


def _render_text(renderer: _TextRenderer, html: str) -> None:
    position, end = 0, len(html)
    while position < end:
        match = _TOKEN.match(html, position)
        assert match is not None  # the last alternative matches any "<"
        position = match.end()
        name = match.group(2)
        if name is None:
            token = match.group(0)
            if not token.startswith(("<!", "<?")):
                renderer.handle_data(unescape(token))
            continue
        tag = name.lower()
        if match.group(1):
            renderer.handle_endtag(tag)
            continue
        inside = match.group(3)
        wanted = tag in ("a", "img", "ol")  # the only attributes the text uses
        renderer.handle_starttag(tag, _attributes(inside) if wanted else [])
        if inside.rstrip().endswith("/"):
            renderer.handle_endtag(tag)
        elif tag in _RAW_TEXT_TAGS:
            close = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(html, position)
            position = close.end() if close else end
            renderer.handle_endtag(tag)


def html_to_text(html: str) -> str:
    """Plain text for ``html``: blank lines between paragraphs, ``- `` / ``1. `` list items,
    links as ``text <url>``, quoted history prefixed with ``> ``."""
    renderer = _TextRenderer()
    _render_text(renderer, html or "")
    return renderer.result()
