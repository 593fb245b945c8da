from __future__ import annotations

import datetime as dt

import pytest

from sources.errors import ArticleReadError
from sources.html import read_html

BODY = (
    "<p>Foreign Minister Anna Berg of Ruritania met her Freedonian counterpart Piet Vos in Lisbon "
    "on Tuesday, and the two agreed to widen cooperation in farming and energy.</p>"
    "<p>Berg said Ruritania wanted a steady relationship with Freedonia and would back talks on "
    "the border question that has long divided the two countries.</p>"
)

PAGE = f"""<!DOCTYPE html>
<html><head>
<title>Ruritania and Freedonia Agree to Expand Trade | Example Wire</title>
<meta property="og:title" content="Ruritania and Freedonia Agree to Expand Trade">
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2022-05-03T09:00:00Z">
<link rel="canonical" href="https://example.org/news/ruritania-freedonia">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Ruritania and Freedonia Agree to Expand Trade</h1>{BODY}</article>
<footer><p>Copyright Example Wire. All rights reserved.</p></footer>
</body></html>"""


def test_main_text_and_metadata() -> None:
    article = read_html(PAGE, doc_id="trade", path="pages/trade.html")
    assert "Anna Berg of Ruritania met" in article.text
    assert "border question" in article.text
    assert "Copyright" not in article.text
    assert "Home" not in article.text
    assert (article.id, article.path) == ("trade", "pages/trade.html")
    assert article.title == "Ruritania and Freedonia Agree to Expand Trade"
    assert (article.published, article.date_source) == (dt.date(2022, 5, 3), "html")
    assert article.outlet == "Example Wire"
    assert article.url == "https://example.org/news/ruritania-freedonia"


def test_date_from_text_when_metadata_has_none() -> None:
    page = (
        "<html><body><article><p>LISBON, May 3 (Example Wire) -- Foreign Minister Anna Berg met "
        "Piet Vos on Tuesday, their first meeting since talks stalled on March 1, 2022."
        f"</p>{BODY}</article></body></html>"
    )
    article = read_html(page, doc_id="trade")
    assert (article.published, article.date_source) == (dt.date(2022, 5, 3), "dateline")
    assert article.dateline == "LISBON"
    assert "Example Wire" not in article.content()
    assert "Anna Berg" in article.content()


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><body></body></html>",
        "<html><body><script>var x = 1;</script></body></html>",
    ],
)
def test_no_main_text(page: str) -> None:
    with pytest.raises(ArticleReadError) as caught:
        read_html(page, doc_id="menu", path="pages/menu.html")
    assert str(caught.value) == "pages/menu.html: no main text"


SCRIPT = "var story = 'Foreign Minister Anna Berg met Piet Vos in Lisbon for long talks.';"
STYLE = "body { font-family: 'Foreign Minister Anna Berg met Piet Vos in Lisbon'; }"


@pytest.mark.parametrize(
    "page",
    [
        f"<html><head><script>{SCRIPT}</script><style>{STYLE}</style></head>"
        f"<body><script>{SCRIPT * 5}</script><iframe src='https://example.org/embed'>"
        "Your browser does not support iframes.</iframe><noscript>Enable JavaScript.</noscript>"
        "</body></html>",
        f"<html><body><style>{STYLE * 5}</style><iframe srcdoc='<p>{SCRIPT}</p>'></iframe>"
        "</body></html>",
    ],
)
def test_scripts_styles_and_iframes_are_no_main_text(page: str) -> None:
    with pytest.raises(ArticleReadError) as caught:
        read_html(page, doc_id="shell", path="pages/shell.html")
    assert str(caught.value) == "pages/shell.html: no main text"


def test_script_content_never_becomes_text() -> None:
    body = (
        "<p>The two envoys met in Geneva on Tuesday for talks about water sharing, grazing "
        "rights and border trade along the river.</p>"
    )
    page = (
        f"<html><head><style>{STYLE}</style></head><body><article><script>{SCRIPT}</script>"
        f"{body}<iframe src='https://example.org/x'>frame fallback</iframe></article></body></html>"
    )
    article = read_html(page, doc_id="mixed")
    assert "border trade" in article.text
    for leaked in ("var story", "Anna Berg", "font-family", "frame fallback"):
        assert leaked not in article.text


def test_markup_that_breaks_the_metadata_parser_is_still_read() -> None:
    page = (
        "<svg><html><body><article><p>The two envoys met in Geneva on Tuesday for talks about "
        "water sharing and border trade.</p></article></body></html>"
    )
    try:
        article = read_html(page, doc_id="svg", path="svg.html")
    except ArticleReadError as error:  # refused with a reason, never an AssertionError
        assert error.reason in {"no main text"} or error.reason.startswith("unparsable HTML")
    else:
        assert "border trade" in article.text
