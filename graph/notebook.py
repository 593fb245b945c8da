"""Show the interactive graph page inline in a notebook (JupyterLab and VS Code alike)."""

from __future__ import annotations

import html
import re
import warnings
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from IPython.display import HTML

__all__ = ["show"]

_CSS_LENGTH = re.compile(r"\d+(\.\d+)?(px|em|rem|vh|%)")


def show(G: nx.Graph, *, height: str = "650px") -> HTML:
    """Return the interactive page of `G` as a notebook display object.

    The page of :func:`graph.render.render_html` is html-escaped into the ``srcdoc`` of an
    ``<iframe>``: its scripts then run in a document of their own, which both JupyterLab and
    VS Code display, and nothing is written to disk or fetched.

    Parameters
    ----------
    G : networkx.Graph
        The graph, as :func:`graph.build` makes it; it is not modified.
    height : str, optional
        CSS height of the frame: a number with a unit among ``px``, ``em``, ``rem``, ``vh``
        and ``%``.

    Returns
    -------
    IPython.display.HTML
        Displays itself when it is the last expression of a cell.

    Raises
    ------
    ValueError
        If `height` is not such a length.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("country:IRN", kind="country", label="Iran", aliases=["Iran"], sources=["a"])
    >>> view = show(G, height="400px")
    >>> view.data.startswith("<iframe")
    True
    >>> show(G, height="400px; onload=x")
    Traceback (most recent call last):
    ...
    ValueError: height must be a CSS length such as '650px' or '80vh', got '400px; onload=x'
    """
    if not isinstance(height, str) or not _CSS_LENGTH.fullmatch(height):
        raise ValueError(f"height must be a CSS length such as '650px' or '80vh', got {height!r}")
    from IPython.display import HTML

    from graph.render import render_html

    page = render_html(G)
    frame = (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {height}; border: none;"></iframe>'
    )
    with warnings.catch_warnings():
        # IPython suggests its IFrame, which takes a URL: there is none here, only srcdoc.
        warnings.filterwarnings("ignore", "Consider using IPython.display.IFrame", UserWarning)
        return HTML(frame)
