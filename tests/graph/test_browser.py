"""The page in headless Chromium: offline, drawn, tooltips shown as text, no script injection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.render import write_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "about:")
XSS_LABEL = '<img src=x onerror="window.__pwned=1">'
SCREENSHOT = Path("/tmp/diplograph-browser.png")

# Installed before any page script: records CSP violations (a blocked request or eval).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

# Share of the network canvas that is not blank (drawn pixels have alpha > 0).
DRAWN_SHARE = """
() => {
  const canvas = document.querySelector('#mynetwork canvas');
  const ctx = canvas.getContext('2d');
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) drawn++; }
  return drawn / (px.length / 4);
}
"""

# Viewport coordinates of the vis node whose label is `label`.
NODE_POINT = """
(label) => {
  const id = nodes.getIds().find((i) => nodes.get(i).label === label);
  const dom = network.canvasToDOM(network.getPositions([id])[id]);
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  return {id: id, x: box.left + dom.x, y: box.top + dom.y};
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page load with every non-local request blocked and recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._on_request)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.goto(path.as_uri(), wait_until="load")

    def _on_request(self, request: Any) -> None:
        if not request.url.startswith(LOCAL_SCHEMES):
            self.outside.append(request.url)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    visits: list[Visit] = []

    def open_page(path: Path) -> Visit:
        visits.append(Visit(browser, path))
        return visits[-1]

    yield open_page
    for v in visits:
        v.close()


@pytest.fixture
def G() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("person:wang-yi", kind="person", label="Wang Yi", titles=["Foreign Minister"], country="CHN")
    g.add_node(
        "person:x",
        kind="person",
        label=XSS_LABEL,
        titles=['<a href="https://evil.example/">link</a>'],
        aliases=["<script>window.__pwned=2</script>"],
    )
    g.add_node("person:raisi", kind="person", label="Ebrahim Raisi", country="IRN")
    g.add_node("country:CHN", kind="country", label="China", iso3="CHN")
    g.add_node("country:IRN", kind="country", label="Iran", iso3="IRN")
    g.add_node("organization:sco", kind="organization", label="SCO")
    g.add_node("initiative:bri", kind="initiative", label="Belt and Road Initiative")
    g.add_node("location:beijing", kind="location", label="Beijing")
    g.add_node("topic:jcpoa", kind="topic", label="JCPOA")
    g.add_node(
        "event:1", kind="event", label="Raisi meets Xi", date="2023-02-14", event_type="meeting",
        location="location:beijing",
    )
    for person in ("person:wang-yi", "person:x", "person:raisi"):
        g.add_edge(person, "event:1", relation="participant", sources=["doc-a"])
    g.add_edge("person:wang-yi", "country:CHN", relation="role", title="Foreign Minister")
    g.add_edge("person:raisi", "country:IRN", relation="role", title="President")
    g.add_edge("country:CHN", "country:IRN", relation="supports", weight=2,
               evidence=[{"doc": "doc-a", "sentence": "China backs <b>Iran</b>.", "start": 0, "end": 5}])
    g.add_edge("country:IRN", "country:CHN", relation="opposes")
    g.add_edge("country:CHN", "country:IRN", relation="co_mentioned", weight=4)
    g.add_edge("country:CHN", "topic:jcpoa", relation="condemns")
    g.add_edge("country:CHN", "initiative:bri", relation="cooperates_on")
    g.add_edge("country:IRN", "organization:sco", relation="member_of")
    g.add_edge("event:1", "topic:jcpoa", relation="discussed")
    g.add_edge("event:1", "location:beijing", relation="located_in")
    return g


def test_page_is_offline_drawn_and_safe(G: nx.MultiDiGraph, tmp_path: Path, visit: Any) -> None:
    v = visit(write_html(G, tmp_path / "graph.html", title="China–Iran contacts"))
    page = v.page
    page.wait_for_function("() => typeof network !== 'undefined' && network.body.nodeIndices.length > 0")
    page.wait_for_timeout(1500)  # let the physics settle a little

    assert page.evaluate("document.querySelector('#mynetwork canvas') !== null")
    assert page.evaluate(DRAWN_SHARE) > 0.002
    assert page.is_visible("#dg-legend") and "event" in page.inner_text("#dg-legend")

    # Hover over the node whose label is markup: its tooltip is that markup as text.
    point = page.evaluate(NODE_POINT, XSS_LABEL)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tooltip = page.inner_text("div.vis-tooltip")
    assert tooltip.startswith(XSS_LABEL) and "https://evil.example/" in tooltip
    assert page.evaluate("document.querySelector('div.vis-tooltip img, div.vis-tooltip a, "
                         "div.vis-tooltip script')") is None
    page.screenshot(path=str(SCREENSHOT))

    # Click selects it.
    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("network.getSelectedNodes()") == [point["id"]]

    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert v.outside == []
    assert page.evaluate("window.__violations") == []
    assert v.errors == []


def test_big_graph_is_drawn_without_physics(tmp_path: Path, visit: Any) -> None:
    g = nx.MultiDiGraph(nx.gnm_random_graph(3000, 6000, seed=5, directed=True))
    nx.set_node_attributes(g, "country", "kind")
    v = visit(write_html(g, tmp_path / "big.html", max_nodes=2500))
    page = v.page
    page.wait_for_function("() => typeof network !== 'undefined'", timeout=20000)
    page.wait_for_timeout(1000)
    assert page.evaluate("network.physics.physicsEnabled") is False
    assert page.evaluate("nodes.length") == 2500
    assert page.evaluate(DRAWN_SHARE) > 0.01
    assert "500 nodes" in page.inner_text("#dg-note")
    assert v.outside == [] and v.errors == [] and page.evaluate("window.__violations") == []


def test_empty_graph_page_loads(tmp_path: Path, visit: Any) -> None:
    v = visit(write_html(nx.MultiDiGraph(), tmp_path / "empty.html"))
    v.page.wait_for_function("() => typeof network !== 'undefined'")
    assert "The graph is empty" in v.page.inner_text("#dg-note")
    assert v.outside == [] and v.errors == [] and v.page.evaluate("window.__violations") == []
