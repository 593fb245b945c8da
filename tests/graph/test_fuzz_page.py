"""Fuzzing the HTML page: any text in the data is shown as text, never run or fetched.

Property-based (hypothesis): hostile node ids, labels, aliases, titles, evidence sentences,
article titles, outlets, relation names and page titles go through
:func:`graph.render.render_html`; the page is parsed with lxml and must hold no element or
attribute that came from the data (its tags, scripts and attributes are those of the same
graph with harmless text), and a Content-Security-Policy that forbids outside requests. Then
a few hypothesis examples are loaded in headless Chromium (``browser`` marker): nothing from
the data runs (``window.__pwned`` stays undefined, no CSP violation), no request leaves the
page. ``make fuzz`` runs more examples (tests/conftest.py's ``fuzz`` profile).
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from graph.render import render_html, write_html

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    '"><svg onload="window.__pwned=3">',
    "'><svg/onload=window.__pwned=4>",
    "javascript:window.__pwned=5",
    "${window.__pwned=6}",
    "{{constructor.constructor('window.__pwned=7')()}}",
    '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>',
    "</title><script>window.__pwned=9</script>",
    "</textarea></style></noscript><script>window.__pwned=10</script>",
    "<!--", "-->", "<![CDATA[", "]]>", "<\\/script>", "\u2028", "\u2029", "\x00", "\ud800", "\ufeff",
    '<a href="https://evil.example/">x</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<style>@import url(https://evil.example/x.css)</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "url(https://evil.example/x.png)",
    "__proto__", "constructor", "toString", "href", "&lt;script&gt;", "&#60;script&#62;",
]
KINDS = ["person", "country", "organization", "initiative", "location", "topic", "event"]

piece = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=8),
    st.characters(categories=["Cc", "Cs", "Cf", "Zl", "Zp"]).map(str),
)
hostile = st.lists(piece, min_size=1, max_size=6).map("".join)


def graph_from(strings: list[str]) -> nx.MultiDiGraph:
    """A small graph of every kind and several relations whose text is `strings`, cycled."""
    it = itertools.cycle(strings)

    def s() -> str:
        return next(it)

    G = nx.MultiDiGraph()
    ids = [f"{kind}:{s()}" for kind in KINDS]
    for n, kind in zip(ids, KINDS):
        G.add_node(n, kind=kind, label=s(), aliases=[s(), s()], sources=[s()], titles=[s()], country=s())
    event = ids[-1]
    G.nodes[event].update(
        event_type="meeting", date="2023-02-14", date_text=[s()], location=ids[4], initiator=ids[0],
        evidence=[{"doc": s(), "sentence": s(), "start": 0, "end": 5}], outlets=[s()],
        article_titles=[s()], cameo="040",
    )
    evidence = [{"doc": s(), "sentence": s(), "start": 0, "end": 3}]
    G.add_edge(ids[0], event, key="participant", relation="participant", sources=[s()], evidence=evidence)
    G.add_edge(ids[1], ids[2], key="supports", relation="supports", sources=[s()], evidence=evidence,
               dates=["2023-02-14"], title=s())
    G.add_edge(ids[0], ids[2], key="role", relation="role", title=s(), sources=[s()])
    G.add_edge(ids[2], ids[3], key=s(), relation=s(), sources=[s()], evidence=evidence)
    return G


def documents_for(G: nx.MultiDiGraph, strings: list[str]) -> dict[str, dict[str, Any]]:
    """Article metadata (title, outlet, url) for every source the graph names."""
    docs: dict[str, dict[str, Any]] = {}
    for i, doc in enumerate(sorted({str(d) for _, data in G.nodes(data=True) for d in data.get("sources", [])})):
        docs[doc] = {"title": strings[i % len(strings)], "outlet": strings[-1 - i % len(strings)],
                     "url": "https://example.org/" + strings[0], "published": "2023-02-14"}
    return docs


#: Whether the page takes article metadata (titles, outlets) to show beside the sources.
WITH_DOCUMENTS = "documents" in inspect.signature(render_html).parameters


def page_kwargs(G: nx.MultiDiGraph, strings: list[str], title: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"title": title}
    if WITH_DOCUMENTS:
        kwargs["documents"] = documents_for(G, strings)
    return kwargs


def page_for(strings: list[str], title: str) -> str:
    G = graph_from(strings)
    return render_html(G, **page_kwargs(G, strings, title))


def skeleton(page: str) -> tuple[Counter[str], set[tuple[str, str]], list[dict[str, str]]]:
    """Tags (counted), (tag, attribute name) pairs and the scripts' attributes of a page."""
    tree = lxml_html.document_fromstring(page)
    elements = [e for e in tree.iter() if isinstance(e.tag, str)]
    tags = Counter(e.tag for e in elements)
    attrs = {(e.tag, name) for e in elements for name in e.attrib}
    scripts = [dict(e.attrib) for e in elements if e.tag == "script"]
    return tags, attrs, scripts


def csp_of(page: str) -> str:
    tree = lxml_html.document_fromstring(page)
    metas = tree.xpath("//head/meta[translate(@http-equiv, 'CSP', 'csp')='content-security-policy']")
    assert len(metas) == 1, "exactly one CSP meta in <head>"
    return str(metas[0].get("content"))


def check_csp(page: str) -> None:
    csp = csp_of(page)
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] in (["'none'"], ["'self'"])
    for name, sources in directives.items():
        for source in sources:  # no host, scheme or wildcard source that reaches the network
            assert not re.match(r"(https?:|wss?:|\*|//)", source) and "." not in source.strip("'") \
                or source.startswith("'sha"), (name, source)
    assert "'unsafe-eval'" not in csp
    for name in ("connect-src", "frame-src", "object-src"):
        assert directives.get(name, directives["default-src"]) in (["'none'"], ["'self'"])
    script_src = directives.get("script-src", [])
    if any(s.startswith("'sha256-") for s in script_src):  # hashes: only our own scripts may run
        tree = lxml_html.document_fromstring(page)
        for script in tree.xpath("//script"):
            if script.get("type", "text/javascript") in ("text/javascript", "module", ""):
                digest = base64.b64encode(hashlib.sha256((script.text or "").encode("utf-8")).digest())
                assert f"'sha256-{digest.decode()}'" in script_src


@pytest.fixture(scope="module")
def harmless() -> tuple[Counter[str], set[tuple[str, str]], list[dict[str, str]]]:
    return skeleton(page_for(["x"], "diplograph"))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(strings=st.lists(hostile, min_size=1, max_size=12), title=hostile)
def test_page_holds_no_markup_from_the_data(
    harmless: tuple[Counter[str], set[tuple[str, str]], list[dict[str, str]]], strings: list[str], title: str
) -> None:
    page = page_for(strings, title)
    page.encode("utf-8")
    tags, attrs, scripts = skeleton(page)
    safe_tags, safe_attrs, safe_scripts = harmless
    assert set(tags) <= set(safe_tags), set(tags) - set(safe_tags)
    assert attrs <= safe_attrs, attrs - safe_attrs
    assert scripts == safe_scripts  # the same scripts, none added or cut short
    for tag in ("img", "iframe", "object", "embed", "base", "link", "a", "form", "frame", "meta"):
        assert tags[tag] == safe_tags[tag], tag
    assert not any(name.startswith("on") for _, name in attrs)
    tree = lxml_html.document_fromstring(page)
    assert not tree.xpath("//@*[contains(translate(., 'JAVSCRIPT', 'javscript'), 'javascript:')]")
    assert all(len(h) == 0 for h in tree.xpath("//h1"))  # the title is text, no element inside
    check_csp(page)


def test_page_csp_and_skeleton_of_an_empty_graph() -> None:
    page = render_html(nx.MultiDiGraph())
    check_csp(page)
    tags, attrs, _ = skeleton(page)
    assert tags["img"] == tags["iframe"] == 0 and not any(n.startswith("on") for _, n in attrs)


# --- in the browser ----------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "about:")
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
# Where to hover and click: every node where the page exposes vis's `network`, and a grid
# over the canvas either way (tooltips and detail panels show the data).
POKE_POINTS = """
() => {
  const canvas = document.querySelector('canvas');
  if (!canvas) return [];
  const box = canvas.getBoundingClientRect();
  const points = [];
  if (typeof network !== 'undefined' && network.body) {
    for (const id of network.body.nodeIndices) {
      const dom = network.canvasToDOM(network.getPositions([id])[id]);
      points.push({x: box.left + dom.x, y: box.top + dom.y});
    }
  }
  for (let i = 1; i < 6; i++) {
    for (let j = 1; j < 4; j++) {
      points.push({x: box.left + box.width * i / 6, y: box.top + box.height * j / 4});
    }
  }
  return points;
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.browser
@settings(
    max_examples=int(settings().max_examples ** 0.5) // 2,  # 5 by default, more under `make fuzz`
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking page loads takes too long
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(strings=st.lists(hostile, min_size=3, max_size=10), title=hostile)
def test_hostile_data_never_runs_in_the_browser(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, strings: list[str], title: str
) -> None:
    G = graph_from(strings)
    path = tmp_path_factory.mktemp("fuzz-page") / "graph.html"
    write_html(G, path, **page_kwargs(G, strings, title))
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    try:
        page = context.new_page()

        def route(r: Any) -> None:
            if r.request.url.startswith(LOCAL_SCHEMES):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES) else outside.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(1000)
        points = page.evaluate(POKE_POINTS)
        for point in points:
            page.mouse.move(point["x"], point["y"])
            page.wait_for_timeout(100)
            page.mouse.click(point["x"], point["y"])
        for box in page.query_selector_all("input[type=search], input[type=text]"):
            box.fill(strings[0][:50])
        page.wait_for_timeout(300)
        assert points, "the page has no canvas"
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("window.parent.__pwned === undefined")
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, base').length") == 0
        assert page.evaluate("window.__violations") == []
        assert outside == [] and errors == []
    finally:
        context.close()
