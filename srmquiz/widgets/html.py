"""The building blocks of srmquiz's HTML (escaping, callouts, alerts, errors, tables,
sources, pictures) and the small widgets that carry them.

Content is data, never markup: everything that comes from content, a learner or a file
passes through :func:`esc` before it reaches HTML. Callouts say what they are in words
(✓ Correct, ✗ Not quite, ⚠ Note) and use colour only as a third cue.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Collection, Iterable, Mapping, Sequence

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle

from srmquiz.core.matrix import Matrix
from srmquiz.core.palette import BLUE, ORANGE, VERMILLION
from srmquiz.core.pictures import StackPicture
from srmquiz.core.spectrum import spectrum

RIGHT_COLOUR = BLUE
WRONG_COLOUR = VERMILLION
RIGHT_MARK = "✓"
WRONG_MARK = "✗"


def esc(text: object) -> str:
    """Escape content for HTML: content is data, never markup."""
    return html.escape(str(text), quote=True)


def callout(
    body: str,
    *,
    colour: str,
    cls: str,
    dashed: bool = False,
    role: str | None = None,
    font_size: str | None = None,
) -> str:
    """A block with a coloured bar on its left; `body` is HTML the caller escaped."""
    style = (
        f"border-left:6px {'dashed' if dashed else 'solid'} {colour};padding:2px 10px;margin:4px 0"
    )
    if font_size:
        style += f";font-size:{font_size}"
    aria = f' role="{role}"' if role else ""
    return f'<div class="{cls}"{aria} style="{style}">{body}</div>'


def verdict_html(correct: bool, detail: str = "", *, announce: bool = False) -> str:
    """Right/wrong said in words and a symbol, with colour only as a third cue.

    ``announce`` makes the verdict a live region that screen readers read out when it
    appears. Without JavaScript the role cannot sit on an element that waits, empty, for
    the verdict: the verdict arrives as new markup (a Stack pane shown by the jslink, or
    an HTML widget's new value) that already holds its text. ``role="alert"`` is the one
    live role that screen readers announce when it is inserted together with its text
    (NVDA, JAWS and VoiceOver do; ``role="status"`` would be missed by some), so a
    practice verdict uses it. An exam review shows every verdict at once and announces
    none.
    """
    words = f"{RIGHT_MARK} Correct." if correct else f"{WRONG_MARK} Not quite."
    return callout(
        f"<strong>{words}</strong> {detail}",
        colour=RIGHT_COLOUR if correct else WRONG_COLOUR,
        cls=f"srmq-verdict srmq-verdict-{'right' if correct else 'wrong'}",
        role="alert" if announce else None,
    )


def notice_html(detail: str) -> str:
    """A warning that is neither right nor wrong; `detail` is HTML."""
    return callout(
        f"<strong>⚠ Note:</strong> {detail}",
        colour=ORANGE,
        cls="srmq-notice",
        dashed=True,
        role="alert",
    )


def alert_html(text: str) -> str:
    """One plain-text line that something went wrong (escaped here)."""
    return f"<p role='alert'>⚠ {esc(text)}</p>"


def error_html(lines: Iterable[str]) -> str:
    """Why a widget could not be shown: one escaped line per problem."""
    items = "".join(f"<div>{esc(line)}</div>" for line in lines)
    return callout(
        f"<strong>srmquiz could not start:</strong>{items}",
        colour=WRONG_COLOUR,
        cls="srmq-error",
        role="alert",
    )


def error_widget(lines: Iterable[str]) -> widgets.HTML:
    """A visible, escaped message (one line per problem) in place of a widget."""
    return widgets.HTML(error_html(lines))


def sources_html(
    matrix: Matrix | None, sources: Iterable[tuple[str, str]], notes: Iterable[str] = ()
) -> str:
    """'Source: title (where; where); ...', each source named once, with a link where it
    has a web address, then 'Note: ...' when there are notes.

    Notes are remarks about the sources (how the course simplifies, what AWS documentation
    adds); they go on the source line, not into the explanation. When there is more to
    cite than a line holds (more than three places, or more than one note), the titles
    stay on the line and the places and notes fold into "Where, and notes", which the
    browser opens on a click or Enter without any script.
    """
    wheres: dict[str, list[str]] = {}
    for sid, where in sources:
        places = wheres.setdefault(sid, [])
        if where and where not in places:
            places.append(where)
    if not wheres:
        return ""

    def title(sid: str) -> str:
        source = matrix.sources.get(sid) if matrix is not None else None
        text = esc(source.title) if source else esc(sid)
        if source and source.url.startswith("https://"):
            text = f'<a href="{esc(source.url)}" target="_blank" rel="noopener">{text}</a>'
        return text

    said = [esc(n) for n in notes]
    cited = sum(len(p) for p in wheres.values())
    if cited <= 3 and len(said) <= 1:
        parts = [
            title(sid) + (f" ({esc('; '.join(where))})" if where else "")
            for sid, where in wheres.items()
        ]
        remarks = f". Note: {said[0]}" if said else ""
        return '<p class="srmq-source">Source: ' + "; ".join(parts) + remarks + "</p>"
    label = "Sources" if len(wheres) > 1 else "Source"
    items = [
        f"<li>{title(sid)}: {esc('; '.join(where))}</li>" for sid, where in wheres.items() if where
    ]
    items += [f"<li>Note: {n}</li>" for n in said]
    return (
        '<div class="srmq-source">'
        f"<p>{label}: {', '.join(title(sid) for sid in wheres)}.</p>"
        "<details><summary>Where, and notes</summary>"
        f"<ul>{''.join(items)}</ul></details></div>"
    )


def paragraphs_html(text: str, items: Iterable[str] = ()) -> str:
    """Plain text with blank-line paragraphs, and bullet points, as escaped HTML."""
    paras = "".join(f"<p>{esc(p)}</p>" for p in text.split("\n\n") if p.strip())
    bullets = "".join(f"<li>{esc(i)}</li>" for i in items)
    return paras + (f"<ul>{bullets}</ul>" if bullets else "")


def picture_caption(matrix: Matrix, picture: StackPicture, *, brief: bool = False) -> str:
    """What a stack picture shows, in words (HTML, escaped).

    brief: a comparison of every service (more than five) says "all N services" instead of
    naming each one (their names are in the picture; the walkthrough's narrow column).
    """
    names = [esc(matrix.service(s).name) for s in picture.services]
    if picture.spectrum:
        ordered = [esc(matrix.service(s.service).name) for s in spectrum(matrix, picture.services)]
        return (
            "The services from the customer's largest share of the stack to the smallest: "
            + ", ".join(ordered)
            + "."
        )
    every = set(picture.services) == set(matrix.service_ids)
    if brief and picture.comparison and len(names) > 5 and every:
        text = f"Stacks side by side: all {len(names)} services"  # their names are in the picture
    elif picture.comparison:
        text = "Stacks side by side: " + ", ".join(names)
    else:
        text = f"The {names[0]} stack, bottom to top"
    if picture.highlight:
        outlined = ", ".join(esc(matrix.layer(x).name) for x in picture.highlight)
        text += f", with <em>{outlined}</em> outlined"
    if picture.reveal is not None and not picture.comparison:
        shown = set(picture.reveal)  # unstated layers are never hidden: they hide no answer
        hidden = sum(c.layer not in shown for c in matrix.stack(picture.services[0]))
        if hidden:
            layers = "layer" if hidden == 1 else "layers"
            text += f"; {hidden} {layers} still hidden as “?”"
    return text + "."


def table_html(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    numeric: Collection[int] = (),
) -> str:
    """A table: plain-text headers (escaped here), cells of HTML the caller escaped.

    Columns listed in `numeric` (0-based) are right-aligned, the others left-aligned.
    """

    def align(i: int) -> str:
        return "right" if i in numeric else "left"

    head = "".join(
        f"<th style='text-align:{align(i)}'>{esc(h)}</th>" for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td style='text-align:{align(i)}'>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    attr = f" class='{cls}'" if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def no_picture_html(problem: object) -> str:
    """Why a picture is missing, in small print: the question or step goes on without it."""
    return f"<p><small>(No picture: {esc(problem)})</small></p>"


def png_size(png: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None if it is not a PNG."""
    if len(png) < 24 or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def png_image(png: bytes, width: str, alt: str) -> widgets.HTML:
    """A chart's PNG shown at a width (shrinking to fit a narrow page) as an ``<img>``
    whose `alt` (plain text, escaped here) says what it shows in words."""
    shown = widgets.HTML(img_html(png, alt, width=width))
    shown.add_class("srmq-chart")
    return shown


def heatmap_alt(matrix: Matrix, values: Mapping[tuple[str, str], float], whose: str) -> str:
    """A mistakes heatmap in words (plain text): where the most mistakes are."""
    if not values:
        return f"Heatmap of {whose} mistakes per service and layer: nothing answered yet."
    worst = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    cells = "; ".join(
        f"{matrix.service(s).name}, {matrix.layer(x).name}: {round(100 * v)}% wrong"
        for (s, x), v in worst
    )
    return (
        f"Heatmap of {whose} mistakes per service and layer, {len(values)} cells answered. "
        f"Most mistakes: {cells}."
    )


def img_html(png: bytes, alt: str, *, width: str = "", max_height: str = "") -> str:
    """A PNG as an ``<img>`` with a text alternative (plain text, escaped here).

    The PNG's own width and height are given as attributes, so the browser reserves the
    picture's height before it is decoded and nothing below it jumps (a button that
    moves under the pointer takes a click meant for something else).
    """
    size = png_size(png)
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    style = "max-width:100%;height:auto"
    if width:
        style += f";width:{esc(width)}"
    if max_height:
        style += f";max-height:{esc(max_height)};width:auto"
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img class="srmq-picture-img" alt="{esc(alt)}"{dims} style="{style}" '
        f'src="data:image/png;base64,{data}">'
    )


def plain(html_text: str) -> str:
    """The text of HTML we built (tags dropped, entities read): e.g. a caption as alt text."""
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


class Picture(widgets.VBox):
    """A rendered figure with a caption in words; hidden until it has something to show.

    The PNG is an ``<img>`` inside an HTML widget rather than an ipywidgets ``Image``,
    which has no text alternative: the caption's words are the image's ``alt``.
    """

    def __init__(
        self,
        width: str = "380px",
        *,
        text_layout: widgets.Layout | None = None,
        text_style: HTMLStyle | None = None,
    ) -> None:
        self.width = width
        """Width used when :meth:`show` is given none."""
        self.png = b""
        """The PNG on screen (b"" before the first :meth:`show`)."""
        # the image and caption share a layout and style (a quiz passes its own): fewer
        # models to send
        layout, style = text_layout or widgets.Layout(), text_style or HTMLStyle()
        self.image = widgets.HTML("", layout=layout, style=style)
        """The ``<img>`` element, with its alt text."""
        self.image.add_class("srmq-picture-frame")
        self.caption = widgets.HTML("", layout=layout, style=style)
        super().__init__(
            [self.image, self.caption], layout=widgets.Layout(display="none", margin="4px 0")
        )
        self.add_class("srmq-picture")

    def show(
        self, png: bytes, caption: str, *, width: str | None = None, max_height: str = ""
    ) -> None:
        """Show a PNG with a caption (HTML the caller escaped), at most `max_height` tall."""
        self.png = bytes(png)
        self.image.value = img_html(
            self.png, plain(caption), width=width or self.width, max_height=max_height
        )
        self.caption.value = f'<p class="srmq-caption">{caption}</p>'
        shown = width or self.width
        # as wide as the picture, so the caption wraps under it (beside text, not below)
        self.layout.width = shown if shown.endswith("px") and not max_height else None
        self.layout.max_width = "100%"
        self.layout.display = None

    def hide(self) -> None:
        """Take the picture off screen."""
        self.layout.display = "none"

    @property
    def shown(self) -> bool:
        """A picture is on screen."""
        return self.layout.display != "none" and bool(self.png)
