"""The explorer page in headless Chromium: offline, drawn, filters, search, views, text-only tooltips."""

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
XSS_ALIAS = "<script>window.__pwned=2</script>"
XSS_TITLE = "<img src=x onerror=window.__pwned=3>"
XSS_OUTLET = "<script>window.__pwned=4</script>"
XSS_SENTENCE = "They met. <img src=x onerror=window.__pwned=5><script>window.__pwned=6</script>"
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

# Viewport coordinates of the shown vis node whose label is `label`.
NODE_POINT = """
(label) => {
  const view = dg.views[dg.state.view];
  const id = view.nodeView.getIds().find((i) => view.nodes.get(i).label === label);
  const dom = dg.network.canvasToDOM(dg.network.getPositions([id])[id]);
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  return {id: id, x: box.left + dom.x, y: box.top + dom.y};
}
"""

# Viewport coordinates of a point on the shown edge whose relation is `relation`, off any node
# (vis-network's own edge geometry gives points along the drawn curve).
EDGE_POINT = """
(relation) => {
  const view = dg.views[dg.state.view];
  const edge = view.edgeView.get().find((e) => e.r === relation);
  const drawn = dg.network.body.edges[edge.id];
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const dom = dg.network.canvasToDOM(drawn.edgeType.getPoint(t));
    if (dg.network.getEdgeAt(dom) === edge.id && dg.network.getNodeAt(dom) === undefined) {
      return {id: edge.id, x: box.left + dom.x, y: box.top + dom.y};
    }
  }
  return null;
}
"""

# The labels of the nodes the current view shows.
SHOWN_LABELS = """
() => { const v = dg.views[dg.state.view]; return v.nodeView.get().map((n) => n.label); }
"""

READY = "() => document.body.dataset.ready === '1'"


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
    g.add_node("person:wang-yi", kind="person", label="Wang Yi", titles=["Foreign Minister"], country="CHN",
               aliases=["Wang Yi", "Wang"], sources=["doc-a"])
    g.add_node("person:x", kind="person", label=XSS_LABEL, titles=['<a href="https://evil.example/">link</a>'],
               aliases=[XSS_LABEL, XSS_ALIAS], sources=["doc-a"])
    g.add_node("person:raisi", kind="person", label="Ebrahim Raisi", country="IRN", aliases=["Raisi"])
    g.add_node("country:CHN", kind="country", label="China", iso3="CHN", aliases=["China", "PRC"])
    g.add_node("country:IRN", kind="country", label="Iran", iso3="IRN", aliases=["Iran", "Islamic Republic"])
    g.add_node("organization:sco", kind="organization", label="SCO")
    g.add_node("initiative:bri", kind="initiative", label="Belt and Road Initiative")
    g.add_node("location:beijing", kind="location", label="Beijing")
    g.add_node("topic:jcpoa", kind="topic", label="JCPOA")
    g.add_node(
        "event:1", kind="event", label="meeting: Wang Yi – Ebrahim Raisi", date="2023-02-14",
        event_type="meeting", location="location:beijing", sources=["doc-a"],
        evidence=[{"doc": "doc-a", "sentence": XSS_SENTENCE, "start": 0, "end": 9}],
    )
    g.add_node("event:2", kind="event", label="phone call: Wang Yi", date="2024-05", event_type="phone_call")
    for person in ("person:wang-yi", "person:x", "person:raisi"):
        g.add_edge(person, "event:1", relation="participant", sources=["doc-a"])
    g.add_edge("person:wang-yi", "event:2", relation="participant")
    g.add_edge("person:wang-yi", "country:CHN", relation="acts_for")
    g.add_edge("person:raisi", "country:IRN", relation="acts_for")
    g.add_edge("country:CHN", "country:IRN", relation="supports", weight=2, sources=["doc-a"], dates=["2023-02-14"],
               evidence=[{"doc": "doc-a", "sentence": XSS_SENTENCE, "start": 0, "end": 9}])
    g.add_edge("country:IRN", "country:CHN", relation="opposes", dates=["2024-05-02"])
    g.add_edge("country:CHN", "country:IRN", relation="co_mentioned", weight=4)
    g.add_edge("country:CHN", "topic:jcpoa", relation="condemns", sources=["doc-a"], dates=["2023-02-14"],
               evidence=[{"doc": "doc-a", "sentence": XSS_SENTENCE, "start": 0, "end": 9}])
    g.add_edge("country:CHN", "initiative:bri", relation="cooperates_on")
    g.add_edge("country:IRN", "organization:sco", relation="member_of")
    g.add_edge("event:1", "topic:jcpoa", relation="discussed")
    g.add_edge("event:1", "location:beijing", relation="held_in")
    return g


DOCUMENTS = {"doc-a": {"title": XSS_TITLE, "outlet": XSS_OUTLET, "published": "2023-02-15"}}


@pytest.fixture
def explorer(G: nx.MultiDiGraph, tmp_path: Path, visit: Any) -> Visit:
    v: Visit = visit(write_html(G, tmp_path / "graph.html", title="China–Iran contacts", documents=DOCUMENTS))
    v.page.wait_for_function(READY)
    v.page.evaluate("dg.network.stopSimulation()")  # hold the nodes still for hovering
    return v


def counts(page: Any) -> tuple[int, int, int]:
    data = page.evaluate("Object.assign({}, document.getElementById('dg-count').dataset)")
    return int(data["nodes"]), int(data["edges"]), int(data["matches"])


def hover_tooltip(page: Any, point: dict[str, Any], first_line: str) -> str:
    """Move onto `point` and return the tooltip's text once it shows the item `first_line` names."""
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function(
        """(first) => { const t = document.querySelector('div.vis-tooltip');
                       return t !== null && t.offsetParent !== null
                         && t.innerText.split('\\n')[0] === first; }""",
        arg=first_line,
        timeout=5000,
    )
    text: str = page.inner_text("div.vis-tooltip")
    return text


def assert_unharmed(v: Visit) -> None:
    page = v.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, vis-network, ours
    assert v.outside == []
    assert page.evaluate("window.__violations") == []
    assert v.errors == []


def test_page_is_offline_drawn_and_has_its_controls(explorer: Visit) -> None:
    page = explorer.page
    assert page.evaluate(DRAWN_SHARE) > 0.002
    legend = page.inner_text("#dg-legend")
    for name in ("person", "country", "event", "supports", "opposes", "condemns", "co_mentioned"):
        assert name in legend
    assert counts(page) == (11, 14, 0)
    assert "Showing 11 of 11 nodes and 14 of 14 edges." == page.inner_text("#dg-count")
    assert "meeting: Wang Yi – Ebrahim Raisi (2023-02-14)" in page.evaluate(SHOWN_LABELS)
    page.screenshot(path=str(SCREENSHOT))
    assert_unharmed(explorer)


def test_kind_filter_search_and_dates_change_the_visible_nodes(explorer: Visit) -> None:
    page = explorer.page
    page.uncheck("input[data-kind=person]")
    assert counts(page)[0] == 8
    assert not {"Wang Yi", "Ebrahim Raisi", XSS_LABEL} & set(page.evaluate(SHOWN_LABELS))

    page.fill("#dg-search", "islamic REPUBLIC")  # an alias, any case
    nodes, _, matches = counts(page)
    assert matches == 1 and page.evaluate("dg.network.getSelectedNodes().length") == 1
    shown = set(page.evaluate(SHOWN_LABELS))
    assert "Iran" in shown and "SCO" in shown and "China" in shown  # the match and its neighbours
    assert "JCPOA" not in shown and nodes == len(shown) == 3

    page.fill("#dg-search", "<script>")  # hostile text as a query matches the hostile alias, as text
    assert counts(page)[2] == 0  # its node is a person, and persons are filtered out
    page.check("input[data-kind=person]")
    assert counts(page)[2] == 1 and XSS_LABEL in page.evaluate(SHOWN_LABELS)
    page.fill("#dg-search", "no such name")
    assert counts(page)[:3:2] == (0, 0) and "nothing matches" in page.inner_text("#dg-count")

    page.fill("#dg-search", "")
    page.fill("#dg-from", "2024-01-01")
    page.dispatch_event("#dg-from", "change")
    shown = set(page.evaluate(SHOWN_LABELS))
    assert "phone call: Wang Yi (2024-05)" in shown
    assert "meeting: Wang Yi – Ebrahim Raisi (2023-02-14)" not in shown
    rels = page.evaluate("dg.views.entity.edgeView.get().map((e) => e.r)")
    assert "opposes" in rels and "supports" not in rels  # dated 2023: outside the range

    page.uncheck("input[data-relation=co_mentioned]")
    assert "co_mentioned" not in page.evaluate("dg.views.entity.edgeView.get().map((e) => e.r)")
    page.click("#dg-reset")
    assert counts(page) == (11, 14, 0) and page.input_value("#dg-from") == ""
    assert_unharmed(explorer)


def test_tooltips_show_hostile_text_as_text(explorer: Visit) -> None:
    page = explorer.page
    tooltip = hover_tooltip(page, page.evaluate(NODE_POINT, XSS_LABEL), XSS_LABEL)
    assert tooltip.startswith(XSS_LABEL) and XSS_ALIAS in tooltip and "https://evil.example/" in tooltip
    assert f"• doc-a: “{XSS_TITLE}” ({XSS_OUTLET}, 2023-02-15)" in tooltip
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0  # innerText: br only

    meeting = "meeting: Wang Yi – Ebrahim Raisi"
    event = hover_tooltip(page, page.evaluate(NODE_POINT, meeting + " (2023-02-14)"), meeting)
    assert f"“{XSS_SENTENCE}” (doc-a: {XSS_TITLE})" in event and "location: Beijing" in event

    point = page.evaluate(EDGE_POINT, "condemns")  # one edge between its two nodes: no overlap
    assert point is not None
    edge = hover_tooltip(page, point, "China → JCPOA")
    assert edge.startswith("China → JCPOA\nrelation: condemns") and XSS_SENTENCE in edge
    assert f"• doc-a: “{XSS_TITLE}” ({XSS_OUTLET}, 2023-02-15)" in edge
    assert "dates: 2023-02-14" in edge
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0  # innerText: br only

    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("dg.network.getSelectedEdges()") == [point["id"]]
    assert_unharmed(explorer)


def test_country_view_toggle(explorer: Visit) -> None:
    page = explorer.page
    assert page.is_visible("input[data-relation=participant]")
    assert not page.is_visible("input[data-relation=contact]")  # the legend lists this view's relations
    page.check("#dg-view-country")
    assert not page.is_visible("input[data-relation=participant]")
    assert page.is_visible("input[data-relation=contact]")
    shown = set(page.evaluate(SHOWN_LABELS))
    assert {"China", "Iran"} <= shown and not {"Wang Yi", "Ebrahim Raisi"} & shown
    assert page.evaluate("dg.state.view") == "country"
    assert counts(page)[0] == len(shown) and page.evaluate(DRAWN_SHARE) > 0.001
    page.fill("#dg-search", "prc")
    assert counts(page)[2] == 1
    page.check("#dg-view-entity")
    assert counts(page)[2] == 1 and "Wang Yi" in page.evaluate(SHOWN_LABELS)  # China's neighbour
    assert_unharmed(explorer)


def test_big_graph_is_drawn_without_physics_and_filters(tmp_path: Path, visit: Any) -> None:
    g = nx.MultiDiGraph(nx.gnm_random_graph(3000, 6000, seed=5, directed=True))
    kinds = ["country", "person"]
    nx.set_node_attributes(g, {n: kinds[n % 2] for n in g}, "kind")
    nx.set_node_attributes(g, {n: f"node {n}" for n in g}, "label")
    v = visit(write_html(g, tmp_path / "big.html", max_nodes=2500))
    page = v.page
    page.wait_for_function(READY, timeout=30000)
    assert page.evaluate("dg.network.physics.physicsEnabled") is False
    assert counts(page)[0] == 2500
    assert page.evaluate(DRAWN_SHARE) > 0.01
    assert "500 nodes" in page.inner_text("#dg-note") and "edges were left out" in page.inner_text("#dg-note")
    page.uncheck("input[data-kind=person]")
    assert 0 < counts(page)[0] < 2500
    page.fill("#dg-search", "node 12")  # over 2,000 nodes: applied after a pause in the typing
    page.wait_for_function("() => document.getElementById('dg-count').dataset.matches !== '0'")
    assert 1 <= counts(page)[2] <= counts(page)[0] < 2500
    assert v.outside == [] and v.errors == [] and page.evaluate("window.__violations") == []


def test_empty_graph_page_loads(tmp_path: Path, visit: Any) -> None:
    v = visit(write_html(nx.MultiDiGraph(), tmp_path / "empty.html"))
    v.page.wait_for_function(READY)
    assert "The graph is empty" in v.page.inner_text("#dg-note")
    assert counts(v.page) == (0, 0, 0)
    assert v.outside == [] and v.errors == [] and v.page.evaluate("window.__violations") == []
