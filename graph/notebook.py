"""Show the explorer page inline in a notebook (JupyterLab and VS Code alike)."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from IPython.display import HTML

__all__ = ["iframe_html", "show"]

_CSS_LENGTH = re.compile(r"\d+(\.\d+)?(px|em|rem|vh|%)")


def iframe_html(page: str, *, height: str = "650px") -> str:
    """An ``<iframe>`` whose ``srcdoc`` is `page`, sandboxed to run scripts only.

    Why ``srcdoc``: VS Code shows notebook outputs in a webview that cannot load a file next to
    the notebook (an ``<iframe src="graph.html">``, as pyvis's notebook mode makes, stays blank
    there), and JupyterLab shows a file only when it lies under the server's root. ``srcdoc`` carries the whole page in the output itself: nothing is
    written, served or fetched, and both frontends display it.

    Why ``sandbox="allow-scripts"``: the page needs its scripts, and nothing else. Without
    ``allow-same-origin`` the frame has an opaque origin, so even a script that did run in it
    could not reach the notebook, its kernel connection or its storage. A ``srcdoc`` document
    also inherits the notebook page's Content-Security-Policy on top of its own; both allow the
    page's scripts (its own by hash, JupyterLab and VS Code allow inline output scripts).

    Parameters
    ----------
    page : str
        A complete HTML document, e.g. :func:`graph.render.render_html`.
    height : str, optional
        CSS height of the frame: a number with a unit among ``px``, ``em``, ``rem``, ``vh``
        and ``%``.

    Returns
    -------
    str
        The frame's markup; `page` is attribute-escaped inside it.

    Raises
    ------
    ValueError
        If `height` is not such a length.

    Examples
    --------
    >>> iframe_html("<p title='a'>x & y</p>", height="300px")
    '<iframe sandbox="allow-scripts" srcdoc="&lt;p title=&#x27;a&#x27;&gt;x &amp; y&lt;/p&gt;" \
style="width: 100%; height: 300px; border: none;"></iframe>'
    >>> iframe_html("<p></p>", height="400px; onload=x")
    Traceback (most recent call last):
    ...
    ValueError: height must be a CSS length such as '650px' or '80vh', got '400px; onload=x'
    """
    if not isinstance(height, str) or not _CSS_LENGTH.fullmatch(height):
        raise ValueError(f"height must be a CSS length such as '650px' or '80vh', got {height!r}")
    return (
        f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {height}; border: none;"></iframe>'
    )


def show(
    G: nx.Graph,
    *,
    height: str = "650px",
    max_nodes: int = 2000,
    title: str = "diplograph",
    documents: Mapping[str, Mapping[str, Any]] | None = None,
) -> HTML:
    """Return the explorer page of `G` as a notebook display object.

    The page of :func:`graph.render.render_html` goes into the ``srcdoc`` of a sandboxed
    ``<iframe>`` (see :func:`iframe_html` for why this works in both JupyterLab and VS Code);
    nothing is written to disk or fetched. The page weighs about 0.5 MB plus the graph, and it
    is stored in the notebook with the cell's output.

    Parameters
    ----------
    G : networkx.Graph
        The graph, as :func:`graph.build` makes it; it is not modified.
    height : str, optional
        CSS height of the frame (see :func:`iframe_html`).
    max_nodes, title, documents
        As in :func:`graph.render.render_html`.

    Returns
    -------
    IPython.display.HTML
        Displays itself when it is the last expression of a cell.

    Raises
    ------
    ValueError
        If `height` or `max_nodes` is invalid.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("country:IRN", kind="country", label="Iran", aliases=["Iran"], sources=["a"])
    >>> view = show(G, height="400px")
    >>> view.data.startswith('<iframe sandbox="allow-scripts" srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    from IPython.display import HTML

    from graph.render import render_html

    if not isinstance(height, str) or not _CSS_LENGTH.fullmatch(height):
        raise ValueError(f"height must be a CSS length such as '650px' or '80vh', got {height!r}")
    page = render_html(G, max_nodes=max_nodes, title=title, documents=documents)
    with warnings.catch_warnings():
        # IPython suggests its IFrame, which takes a URL: there is none here, only srcdoc.
        warnings.filterwarnings("ignore", "Consider using IPython.display.IFrame", UserWarning)
        return HTML(iframe_html(page, height=height))
