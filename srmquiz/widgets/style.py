"""srmquiz's own stylesheet, delivered inside the widgets so it needs no JavaScript.

Every top-level srmquiz widget (quiz, walkthrough, classroom form, history, dashboard,
live view) carries :func:`stylesheet` as its first child: an HTML widget holding one
``<style>`` element. An HTML widget's value is set as markup by the widget view in
JupyterLab, Notebook 7 and Voila alike, so the rules apply wherever widgets render, with
no front-end extension and no script. Repeating the element under several widgets on one
page is harmless: the rules are identical.

Every rule is scoped under a class srmquiz puts on its own widgets (``.srmquiz`` and
``.srmq-*``), so nothing outside srmquiz's output changes. Colours come from JupyterLab's
theme variables (``--jp-*``) with fallbacks, so one sheet serves the light and dark themes
and Voila; ``body[data-jp-theme-light="false"]`` marks a dark theme.

The sheet is assembled from one part per area, so each area's rules sit together.
"""

from __future__ import annotations

import ipywidgets as widgets

BASE_CSS = """
/* The card: every top-level srmquiz widget. `.srmq-card` is the generic class; the
   others are the classes srmquiz's widgets already carry. Colours are our own variables,
   set from JupyterLab's theme (with fallbacks for pages without it) and swapped for a
   dark theme below, so every rule after this block reads var(--srmq-*). */
.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
.srmquiz-live {
  --srmq-bg: var(--jp-layout-color1, #ffffff);
  --srmq-bg2: var(--jp-layout-color2, #eeeeee);
  --srmq-fg: var(--jp-content-font-color1, rgba(0, 0, 0, 0.87));
  --srmq-fg2: var(--jp-content-font-color2, rgba(0, 0, 0, 0.7));
  --srmq-border: var(--jp-border-color1, #bdbdbd);
  --srmq-accent: #0b57d0;
  --srmq-on-accent: #ffffff;
  --srmq-focus: #0b57d0;
  --srmq-chosen: #0b57d0;
  --srmq-link: #0b57d0;
  /* ipywidgets size everything from these: larger type and controls inside our card */
  --jp-widgets-font-size: 15px;
  --jp-widgets-inline-height: 34px;
  --jp-widgets-disabled-opacity: 1;
  box-sizing: border-box;
  background: var(--srmq-bg);
  color: var(--srmq-fg);
  border: 1px solid var(--srmq-border);
  border-radius: 12px;
  padding: 14px 20px 16px;
  margin: 6px 0;
  font-size: 15px;
  line-height: 1.45;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.08);
  overflow: visible;
}
body[data-jp-theme-light="false"] :is(.srmq-card, .srmquiz, .srmquiz-walkthrough,
  .srmquiz-classroom, .srmquiz-dashboard, .srmquiz-live) {
  --srmq-accent: #8ab4f8;
  --srmq-on-accent: #0b1a33;
  --srmq-focus: #ffd54f;
  --srmq-chosen: #8ab4f8;
  --srmq-link: #8ab4f8;
  box-shadow: none;
}
/* a card inside a card (the classroom's quiz) is not a second frame */
:is(.srmq-card, .srmquiz-classroom, .srmquiz-dashboard) :is(.srmq-card, .srmquiz) {
  border: none;
  box-shadow: none;
  padding: 0;
  margin: 0;
}
/* text in HTML widgets wraps and reads as prose, not at the 34px control height */
:is(.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
  .srmquiz-live) .widget-html-content {
  line-height: 1.45;
  white-space: normal;
}
:is(.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
  .srmquiz-live) a {
  color: var(--srmq-link);
}
/* buttons: clear, rounded, readable when disabled (no 0.6 opacity, no dark on blue) */
:is(.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
  .srmquiz-live) .jupyter-button {
  border: 1px solid var(--srmq-border);
  border-radius: 8px;
  background: var(--srmq-bg2);
  color: var(--srmq-fg);
  padding: 0 14px;
  overflow: visible;
  text-overflow: clip;
  min-width: max-content;
}
:is(.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
  .srmquiz-live) .jupyter-button:is(.mod-primary, .mod-info, .mod-warning, .mod-success) {
  background: var(--srmq-accent);
  color: var(--srmq-on-accent);
  border-color: var(--srmq-accent);
  font-weight: 600;
}
:is(.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
  .srmquiz-live) .jupyter-button:disabled {
  background: var(--srmq-bg);
  color: var(--srmq-fg2);
  border: 1px dashed var(--srmq-border);
  box-shadow: none;
  cursor: default;
  font-weight: normal;
}
/* a visible focus ring: 3px, high contrast in light and dark */
:is(.srmq-card, .srmquiz, .srmquiz-walkthrough, .srmquiz-classroom, .srmquiz-dashboard,
  .srmquiz-live) :is(button, input, select, textarea, a, summary, [tabindex]):focus-visible {
  outline: 3px solid var(--srmq-focus);
  outline-offset: 2px;
  box-shadow: none;
}
"""
"""Card look, type, focus ring, buttons: shared by every srmquiz widget."""

QUIZ_CSS = """
"""
"""The quiz: choices, verdict and feedback, summary, exam review."""

WALKTHROUGH_CSS = """
"""
"""The walkthrough, and presenter mode for a projector."""

INSTRUCTOR_CSS = """
"""
"""Classroom form, history, answer key, dashboard and live view."""


def css() -> str:
    """The whole stylesheet as CSS text."""
    return "\n".join(part.strip() for part in (BASE_CSS, QUIZ_CSS, WALKTHROUGH_CSS, INSTRUCTOR_CSS))


def stylesheet() -> widgets.HTML:
    """An HTML widget carrying srmquiz's stylesheet (put it first among a widget's children)."""
    sheet = widgets.HTML(f"<style>{css()}</style>", layout=widgets.Layout(display="none"))
    sheet.add_class("srmq-stylesheet")
    return sheet
