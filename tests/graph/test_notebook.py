"""graph.notebook: the page inline in a notebook, as a sandboxed srcdoc frame."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.notebook import iframe_html, show
from graph.render import render_html

HOSTILE = "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>"


@pytest.fixture
def G() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("country:CHN", kind="country", label="China", aliases=["China", "PRC"])
    g.add_node("country:IRN", kind="country", label="Iran", aliases=["Iran"])
    g.add_node("person:x", kind="person", label=HOSTILE, aliases=[HOSTILE], country="CHN")
    g.add_edge("country:CHN", "country:IRN", relation="supports")
    g.add_edge("person:x", "country:CHN", relation="acts_for")
    return g


def test_show_puts_the_whole_page_in_a_sandboxed_srcdoc(G: nx.MultiDiGraph) -> None:
    data = show(G, height="80vh", title="T <1>").data
    m = re.fullmatch(
        r'<iframe sandbox="allow-scripts" srcdoc="([^"]*)" style="width: 100%; height: 80vh; border: none;"></iframe>',
        data,
    )
    assert m, data[:200]
    assert html.unescape(m.group(1)) == render_html(G, title="T <1>")
    assert "<script" not in data and "<img" not in data  # all of it is attribute text


@pytest.mark.parametrize("height", ["650", "10px;x", "", "1px onload=alert(1)"])
def test_bad_heights_are_refused(G: nx.MultiDiGraph, height: str) -> None:
    with pytest.raises(ValueError, match="CSS length"):
        show(G, height=height)
    with pytest.raises(ValueError, match="CSS length"):
        iframe_html("<p></p>", height=height)


def test_show_does_not_modify_the_graph(G: nx.MultiDiGraph) -> None:
    before = nx.to_dict_of_dicts(G), dict(G.nodes(data=True))
    show(G)
    assert (nx.to_dict_of_dicts(G), dict(G.nodes(data=True))) == before


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.graph.test_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.browser
def test_the_frame_works_inside_a_notebook_like_page(G: nx.MultiDiGraph, tmp_path: Path, browser: Any) -> None:
    # A stand-in for a notebook output area: the display data inserted into a host page
    # whose own policy, like the notebook frontends', lets output scripts run.
    host = tmp_path / "notebook.html"
    host.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"
        '</head><body><div class="output">' + show(G, height="500px").data + "</div></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1100, "height": 700})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "about:"))
               else (outside.append(route.request.url), route.abort()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(host.as_uri(), wait_until="load")
    frame = page.frames[1]
    frame.wait_for_function("() => document.body.dataset.ready === '1'", timeout=15000)
    assert frame.evaluate("document.getElementById('dg-count').dataset.nodes") == "3"
    frame.fill("#dg-search", "prc")
    assert frame.evaluate("document.getElementById('dg-count').dataset.matches") == "1"
    frame.check("#dg-view-country")
    assert frame.evaluate("dg.state.view") == "country"
    assert frame.evaluate("window.origin") == "null"  # sandboxed: an opaque origin
    assert frame.evaluate("(() => { try { return parent.document.title; } catch (e) { return 'blocked'; } })()") == "blocked"
    for f in (page, frame):
        assert f.evaluate("typeof window.__pwned") == "undefined"
    assert frame.evaluate("document.querySelectorAll('img').length") == 0
    assert outside == [] and errors == []
    context.close()
