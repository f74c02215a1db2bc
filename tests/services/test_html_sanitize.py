"""The e-mail HTML sanitizer against hostile input, and the HTML-to-text rendering."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk_desktop.services.html_sanitize import (
    ALLOWED_TAGS,
    MAX_NESTING,
    capped_nesting,
    html_to_text,
    sanitize_html,
)


def test_script_and_style_content_is_dropped_entirely() -> None:
    html = ("<p>Hello</p><script>alert('x')</script><style>p{color:red}</style>"
            "<iframe src='https://evil.example'>frame text</iframe><b>bye</b>")
    assert sanitize_html(html) == "<p>Hello</p><b>bye</b>"


@pytest.mark.parametrize("tag", ["object", "form", "noscript", "textarea", "iframe"])
def test_dangerous_containers_lose_their_content(tag: str) -> None:
    assert sanitize_html(f"a<{tag}>hidden <b>x</b></{tag}>b") == "ab"


def test_svg_content_is_dropped() -> None:
    # In HTML5 an HTML tag such as <b> ends the foreign (SVG) content; the SVG text goes.
    cleaned = sanitize_html("a<svg><text>hidden</text><script>x()</script></svg>b")
    assert cleaned == "ab"


def test_link_and_meta_tags_vanish_without_eating_the_text_after_them() -> None:
    html = '<link rel="stylesheet" href="x.css"><meta http-equiv="refresh" content="0">kept'
    assert sanitize_html(html) == "kept"


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
])
def test_unsafe_link_targets_are_removed(href: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}">click</a>')
    assert "href" not in cleaned
    assert "click" in cleaned


@pytest.mark.parametrize("href", ["https://example.com/a?b=1&c=2", "http://example.com",
                                  "mailto:help@example.com"])
def test_safe_link_targets_are_kept(href: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}" onclick="steal()">link</a>')
    assert 'href="' in cleaned
    assert "onclick" not in cleaned
    assert sanitize_html(cleaned) == cleaned  # sanitizing is idempotent


def test_event_handlers_and_unknown_attributes_are_removed() -> None:
    cleaned = sanitize_html('<p onmouseover="x()" class="c" id="i" title="t">text</p>')
    assert cleaned == '<p title="t">text</p>'


def test_remote_images_become_their_alt_text() -> None:
    cleaned = sanitize_html('<p><img src="https://tracker.example/pixel.gif" alt="Logo">'
                            '<img src="http://x/y.png"><img src=x onerror="alert(1)"></p>')
    assert cleaned == "<p>Logo</p>"


def test_only_cid_images_are_kept_without_handlers() -> None:
    cleaned = sanitize_html('<img src="cid:logo@mail" alt="Logo" onerror="x()">'
                            '<img src="data:image/png;base64,iVBORw0KGgo=" alt="p">')
    assert cleaned == '<img src="cid:logo@mail" alt="Logo">p'


@pytest.mark.parametrize("style", [
    r"background: u\72 l(https://tracker.example/p.gif)",
    r"background-image: \75 rl(https://tracker.example/p.gif)",
    "background: url(https://tracker.example/p.gif)",
    "position: fixed; top: 0; left: 0",
    "position:absolute",
    "width: expression(alert(1))",
    "color: red /* */; behavior: url(x.htc)",
    "-moz-binding: url(x.xml#xss)",
    "list-style-image: url(https://tracker.example/p.gif)",
])
def test_css_escapes_urls_and_positioning_never_pass(style: str) -> None:
    cleaned = sanitize_html(f'<p style="{style}">text</p>')
    lowered = cleaned.lower()
    assert "url" not in lowered and "\\" not in cleaned and "position" not in lowered
    assert "expression" not in lowered and "binding" not in lowered and "behavior" not in lowered
    assert "text" in cleaned


def test_plain_typographic_style_is_kept() -> None:
    cleaned = sanitize_html('<p style="color: #333; font-weight: bold; position: fixed">t</p>')
    assert cleaned == '<p style="color: #333; font-weight: bold">t</p>'


def test_inline_svg_images_are_not_kept() -> None:
    cleaned = sanitize_html('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="chart">')
    assert cleaned == "chart"


def test_style_that_can_load_or_run_something_is_dropped() -> None:
    cleaned = sanitize_html('<span style="background:url(https://x/t.gif)">a</span>'
                            '<span style="width: expression(alert(1))">b</span>'
                            '<span style="color: red">c</span>')
    assert cleaned == '<span>a</span><span>b</span><span style="color: red">c</span>'


def test_malformed_and_nested_tags_come_out_balanced() -> None:
    # HTML5 tree building (the adoption agency): what a browser would show, well nested.
    assert sanitize_html("<div><b><i>unclosed</div> after</b>") == \
        "<div><b><i>unclosed</i></b></div><b><i> after</i></b>"
    assert sanitize_html("<ul><li>one<li>two</ul>") == "<ul><li>one</li><li>two</li></ul>"


def test_entities_stay_text_and_never_become_markup() -> None:
    cleaned = sanitize_html("&lt;script&gt;alert(1)&lt;/script&gt; &amp; caf&eacute; &#x3C;b&#x3E;")
    assert "<script" not in cleaned and "<b>" not in cleaned
    assert cleaned == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; café &lt;b&gt;"


def test_split_tag_tricks_do_not_produce_a_script() -> None:
    cleaned = sanitize_html("<scr<script>ipt>alert(1)</script>")
    assert "<script" not in cleaned.lower()


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdfijlnoprstvmge&;:#x")), max_size=120))
def test_the_output_only_ever_holds_allowlisted_markup(html: str) -> None:
    collector = _Collector()
    collector.feed(sanitize_html(html))
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert not name.startswith("on")
            if name == "href":
                assert (value or "").startswith(("http:", "https:", "mailto:"))
            if name == "src":
                assert (value or "").startswith(("cid:", "data:image/"))


def test_text_rendering_of_paragraphs_lists_links_and_quotes() -> None:
    html = ("<p>Hello Marie,</p><p>Please try:</p>"
            "<ol><li>Open <a href='https://help.example.com/a'>the article</a></li>"
            "<li>Restart</li></ol>"
            "<ul><li>first<ul><li>nested</li></ul></li><li>second</li></ul>"
            "<p>Write to <a href='mailto:help@example.com'>help@example.com</a></p>"
            "<blockquote><p>On Monday, John wrote:</p><p>It broke.</p></blockquote>"
            "<p>Bye<br>Ada</p>")
    expected = [
        "Hello Marie,", "", "Please try:", "",
        "1. Open the article <https://help.example.com/a>", "2. Restart", "",
        "- first", "  - nested", "- second", "",
        "Write to help@example.com", "",
        "> On Monday, John wrote:", ">", "> It broke.", "",
        "Bye", "Ada",
    ]
    assert html_to_text(html).split("\n") == expected


def test_text_rendering_skips_scripts_and_keeps_preformatted_text() -> None:
    text = html_to_text("<script>var x = 1;</script><pre>line 1\n  line 2</pre>")
    assert text == "line 1\n  line 2"


def test_nested_quotes_are_prefixed_twice() -> None:
    text = html_to_text("<blockquote>outer<blockquote>inner</blockquote></blockquote>")
    assert text == "> outer\n>\n> > inner"


def test_html_to_text_tokenizes_awkward_markup() -> None:
    html = ('<p>a &amp; b &lt;c&gt;</p><!-- <p>hidden</p> --><script>if (a<b) {"</p>"}</script>'
            '<style>p{}</style><p>x<br/>y</p><a href="http://e.com/?q=>">link</a>'
            '<p>1 < 2 and <b>bold</b></p><img alt="pic" src="cid:1"/>')
    assert html_to_text(html) == ("a & b <c>\n\nx\ny\n\nlink <http://e.com/?q=>>\n\n"
                                  "1 < 2 and bold\n\npic")


def test_html_to_text_is_linear_in_tags_on_one_line() -> None:
    """Many tags on one long line (what was quadratic): 20,000 links render, all of them."""
    text = html_to_text('<a href="http://x.y/">t</a> ' * 20_000)
    assert text.count("<http://x.y/>") == 20_000


def test_nesting_deeper_than_the_cap_is_flattened_and_the_text_kept() -> None:
    # 1 MB of nested <div> took the HTML5 tree builder 130 s: elements deeper than the cap lose
    # their tags (and end tags), never their text.
    deep = "<div>" * 5_000 + "deep text" + "</div>" * 5_000
    cleaned = sanitize_html(deep)
    assert "deep text" in cleaned
    assert cleaned.count("<div>") == cleaned.count("</div>") == MAX_NESTING
    lists = sanitize_html("<ul><li>" * 3_000 + "item")
    assert "item" in lists and lists.count("<ul>") <= MAX_NESTING


def test_siblings_and_ordinary_nesting_are_untouched_by_the_cap() -> None:
    siblings = "<div>x</div>" * 3_000
    assert capped_nesting(siblings) == siblings
    unclosed_items = "<ul>" + "<li>item" * 3_000 + "</ul>"
    assert capped_nesting(unclosed_items) == unclosed_items
    paragraphs = "<p>one" * 3_000 + "<br><img src='cid:x'><hr/>" * 300
    assert capped_nesting(paragraphs) == paragraphs
    nested = "<div>" * MAX_NESTING + "x" + "</div>" * MAX_NESTING + "<p>after</p>" * 300
    assert capped_nesting(nested) == nested


def test_the_cap_counts_neither_comments_nor_stray_end_tags() -> None:
    commented = "<!--" + "<div>" * 1_000 + "-->" + "<div>" * 10 + "x"
    assert capped_nesting(commented) == commented
    strays = "</span>" * 1_000 + "<b>x</b>"
    assert capped_nesting(strays) == strays
    # The dropped start tags' own end tags go too; the kept ones stay balanced.
    assert capped_nesting("<b>" * 4 + "x" + "</b>" * 4, limit=2) == "<b><b>x</b></b>"
