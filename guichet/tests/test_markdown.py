"""Markdown from users is rendered without any way to run script or style a page."""

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.lib.markdown import render_markdown


def test_it_renders_markdown_and_strips_what_could_run():
    html = render_markdown(
        "**bold** <script>alert(1)</script> <img src=x onerror=alert(1)> "
        "[link](javascript:alert(1)) [ok](https://example.test) <style>*{}</style>"
    )
    assert "<strong>bold</strong>" in html
    for bad in ("<script", "onerror", "javascript:", "<img", "<style"):
        assert bad not in html
    assert 'href="https://example.test"' in html and "noopener" in html


def test_one_text_does_not_leak_into_the_next():
    render_markdown("[a]: https://example.test\n\n# Title")
    assert render_markdown("[x][a]") == "<p>[x][a]</p>"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_renders_without_script(text):
    html = render_markdown(text)
    assert "<script" not in html.lower() and 'href="javascript' not in html.lower()


def test_short_texts_are_rendered_once_long_ones_every_time():
    from guichet.lib import markdown

    text = "Cached **once** " + "x" * 10
    first = markdown.render_markdown(text)
    hits = markdown._cached.cache_info().hits
    assert markdown.render_markdown(text) == first
    assert markdown._cached.cache_info().hits == hits + 1
    long = "<script>x</script> " + "y" * markdown.CACHED_CHARS
    misses = markdown._cached.cache_info().misses
    assert "<script>" not in markdown.render_markdown(long)
    assert markdown._cached.cache_info().misses == misses  # not kept
