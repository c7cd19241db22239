"""A picture shown once, on its own (notebook 01's matrix): an image with alt text and a caption.

The image travels inside an HTML widget as a ``data:`` URI so it can carry an ``alt``
text (an ipywidgets Image has none); it renders the same in JupyterLab, Notebook 7 and
Voila, with no JavaScript.
"""

from __future__ import annotations

import ipywidgets as widgets

from srmquiz.widgets.html import esc, img_html
from srmquiz.widgets.style import stylesheet


def figure_html(png: bytes, alt: str, caption: str) -> str:
    """A ``<figure>`` of PNG bytes with alt text and a caption (both plain text, escaped)."""
    return (
        '<figure class="srmq-figure" style="margin:4px 0">'
        + img_html(png, alt, width="100%")
        + f'<figcaption class="srmq-caption"><small>{esc(caption)}</small></figcaption>'
        "</figure>"
    )


def figure_widget(png: bytes, alt: str, caption: str, *, cls: str) -> widgets.VBox:
    """An srmquiz widget (stylesheet first) showing one picture with alt text and a caption."""
    box = widgets.VBox(
        [stylesheet(), widgets.HTML(figure_html(png, alt, caption))],
        layout=widgets.Layout(width="100%"),
    )
    box.add_class(cls)
    return box
