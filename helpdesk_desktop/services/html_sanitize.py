"""Making e-mail HTML safe to store and show, and turning it into plain text.

Only the standard library's :mod:`html.parser` is used. The sanitizer keeps an allowlist of
tags and attributes and drops everything else; the content of dangerous elements (scripts,
styles, frames, forms...) is dropped entirely, not shown as text. Images are never fetched
from the network: a remote image is replaced by its alt text, and only inline ``data:`` or
``cid:`` images survive.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset({
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote",
    "pre", "code", "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "td", "th", "hr", "img",
})
VOID_TAGS = frozenset({"br", "hr", "img"})
# Elements whose whole content is dropped, not just the tags.
DROP_CONTENT_TAGS = frozenset({
    "script", "style", "iframe", "object", "embed", "form", "link", "meta", "head", "title",
    "noscript", "template", "svg", "math", "textarea", "select", "button", "applet", "frame",
    "frameset", "noembed", "noframes",
})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align"}),
    "ol": frozenset({"start"}),
}
GLOBAL_ATTRIBUTES = frozenset({"title", "dir", "lang", "style"})
LINK_SCHEMES = ("http:", "https:", "mailto:")
IMAGE_SCHEMES = ("data:image/", "cid:")
# Style is kept only when it cannot load anything or run anything.
_UNSAFE_STYLE = re.compile(
    r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers ignore these inside URLs
_NUMERIC_ATTRIBUTE = re.compile(r"^\d{1,4}%?$")
_SPACES = re.compile(r"\s+")


def _scheme_of(url: str) -> str:
    """The lower-cased start of a URL with whitespace and control characters removed, the way
    browsers read it (so that ``java\\tscript:`` is recognized)."""
    return _CONTROL.sub("", url).lower()


def _clean_attributes(tag: str,
                      attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]] | None:
    """The attributes kept for ``tag``; ``None`` for an ``img`` that must not be kept."""
    allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | GLOBAL_ATTRIBUTES
    kept: list[tuple[str, str]] = []
    for name, value in attrs:
        name = name.lower()
        value = value or ""
        if name not in allowed or name.startswith("on"):
            continue
        if name == "style" and _UNSAFE_STYLE.search(_CONTROL.sub("", value)):
            continue
        if name == "href":
            if not _scheme_of(value).startswith(LINK_SCHEMES):
                continue
            value = _URL_NOISE.sub("", value).strip()
        if name == "src":
            scheme = _scheme_of(value)
            # SVG is a document that can carry scripts: not an inline image we keep.
            if not scheme.startswith(IMAGE_SCHEMES) or scheme.startswith("data:image/svg"):
                return None
            value = _URL_NOISE.sub("", value).strip()
        if name in ("width", "height", "colspan", "rowspan", "start") and not \
                _NUMERIC_ATTRIBUTE.match(value.strip()):
            continue
        kept.append((name, value))
    if tag == "img" and not any(name == "src" for name, _ in kept):
        return None
    return kept


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []  # allowed tags currently open, for balanced output
        self.dropping: list[str] = []  # stack of drop-content tags we are inside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self.dropping:
            if tag in DROP_CONTENT_TAGS and tag not in VOID_TAGS and tag not in ("link", "meta"):
                self.dropping.append(tag)
            return
        if tag in DROP_CONTENT_TAGS:
            if tag not in ("link", "meta"):  # void: they have no content to skip
                self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        kept = _clean_attributes(tag, attrs)
        if kept is None:  # an image we will not load: show what it stood for
            alt = dict((k.lower(), v or "") for k, v in attrs).get("alt", "")
            if alt:
                self.out.append(escape(alt, quote=False))
            return
        rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in kept)
        if tag == "a":
            rendered += ' rel="noopener noreferrer"'
        self.out.append(f"<{tag}{rendered}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            elif tag in self.dropping:
                while self.dropping and self.dropping.pop() != tag:
                    pass
            return
        if tag not in self.open:
            return  # a stray closing tag
        # Close whatever was left open inside it, so the output stays well nested.
        while self.open:
            current = self.open.pop()
            self.out.append(f"</{current}>")
            if current == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def sanitize_html(html: str) -> str:
    """``html`` with only allowlisted tags and attributes left, safe to store and display."""
    parser = _Sanitizer()
    parser.feed(html or "")
    return parser.result()


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
    re.S)
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
            close = re.compile(rf"</{tag}\s*>", re.I).search(html, position)
            position = close.end() if close else end
            renderer.handle_endtag(tag)


def html_to_text(html: str) -> str:
    """Plain text for ``html``: blank lines between paragraphs, ``- `` / ``1. `` list items,
    links as ``text <url>``, quoted history prefixed with ``> ``."""
    renderer = _TextRenderer()
    _render_text(renderer, html or "")
    return renderer.result()
