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
"""
"""Card look, type, focus ring, buttons: shared by every srmquiz widget."""

QUIZ_CSS = """
"""
"""The quiz: choices, verdict and feedback, summary, exam review."""

WALKTHROUGH_CSS = """
.srmq-walk {
  --srmq-walk-font: var(--jp-content-font-size1, 14px);
  color: var(--jp-ui-font-color1, #1a1a1a);
}
.srmq-walk.srmq-presenter { --srmq-walk-font: clamp(18px, 2.6vh, 32px); }
.srmq-walk .srmq-walk-nav { align-items: center; flex-wrap: wrap; gap: 0.25em 0.5em; }
.srmq-walk .srmq-walk-nav .jupyter-button { width: auto; padding: 0 1em; }
.srmq-walk .srmq-walk-position {
  font-weight: 600;
  color: var(--jp-ui-font-color1, #1a1a1a);
}
.srmq-walk.srmq-presenter .srmq-walk-nav .jupyter-button,
.srmq-walk.srmq-presenter .srmq-walk-nav .widget-label,
.srmq-walk.srmq-presenter .srmq-walk-nav select {
  font-size: var(--srmq-walk-font);
  height: 2.2em;
  line-height: 2.2em;
}
.srmq-walk.srmq-presenter .srmq-walk-nav .widget-dropdown { height: auto; width: auto; }
.srmq-walk.srmq-presenter .srmq-walk-nav .widget-dropdown > .widget-label {
  width: auto;
  padding-right: 0.4em;
}
.srmq-walk.srmq-presenter .srmq-walk-nav select { line-height: normal; padding: 0 0.4em; }
.srmq-walk .srmq-walk-body {
  container-type: inline-size;
  flex-wrap: wrap;
  align-items: flex-start;
  gap: 0 1.2em;
  margin-top: 0.4em;
}
.srmq-walk .srmq-walk-picture { flex: 0 0 auto; width: min-content; margin: 0; }
.srmq-walk.srmq-presenter .srmq-walk-picture { max-height: calc(100vh - 215px); }
/* a long caption shrinks the picture (keeping its aspect) rather than run off the screen */
.srmq-walk .srmq-walk-picture img {
  display: block;
  flex: 0 1 auto;
  min-height: 0;
  object-fit: contain;
  object-position: left top;
}
.srmq-walk .srmq-walk-picture > .widget-html { flex: 0 0 auto; }
.srmq-walk .srmq-walk-side { flex: 1 1 16em; min-width: 0; }
.srmq-walk .srmq-walk-side .widget-html-content,
.srmq-walk .srmq-walk-picture .widget-html-content {
  font-size: var(--srmq-walk-font);
  line-height: 1.35;
  color: var(--jp-ui-font-color1, #1a1a1a);
}
.srmq-walk .srmq-walk-side .widget-html,
.srmq-walk .srmq-walk-picture .widget-html { margin: 0; }
.srmq-walk h2.srmq-walk-title {
  font-size: 1.4em;
  line-height: 1.2;
  margin: 0 0 0.3em;
  color: var(--jp-ui-font-color0, #000);
}
.srmq-walk .srmq-walk-text p { margin: 0 0 0.5em; }
.srmq-walk .srmq-walk-text ul { margin: 0 0 0.5em; padding-left: 1.2em; }
.srmq-walk .srmq-ask { font-size: 1.1em; margin: 0.3em 0; }
.srmq-walk .srmq-answer { margin: 0.3em 0; }
.srmq-walk .srmq-caption,
.srmq-walk .srmq-source {
  font-size: 0.9em;
  line-height: 1.3;
  margin: 0.3em 0 0;
  color: var(--jp-ui-font-color1, #1a1a1a);
}
.srmq-walk .srmq-caption small,
.srmq-walk .srmq-source small { font-size: inherit; }
"""
"""The walkthrough, and presenter mode for a projector."""

INSTRUCTOR_CSS = """
.srmquiz-classroom, .srmquiz-history, .srmquiz-dashboard, .srmquiz-live, .srmq-answer-key {
  box-sizing: border-box;
  background: var(--jp-layout-color1, #ffffff);
  color: var(--jp-ui-font-color1, #1a1a1a);
  border: 1px solid var(--jp-border-color1, #bdbdbd);
  border-left: 6px solid var(--jp-brand-color1, #1565c0);
  border-radius: 8px;
  padding: 12px 16px;
  margin: 6px 0;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12);
  font-size: var(--jp-content-font-size1, 14px);
  line-height: 1.45;
}
.srmquiz-classroom p, .srmquiz-history p, .srmquiz-dashboard p, .srmquiz-live p,
.srmq-answer-key p { margin: 4px 0; }
.srmquiz-history h3, .srmquiz-dashboard h3, .srmquiz-dashboard h4, .srmquiz-live h4,
.srmq-answer-key h3 { margin: 8px 0 4px; color: var(--jp-ui-font-color0, #000000); }
.srmq-answer-key table.srmq-key { border-collapse: collapse; width: 100%; }
.srmq-answer-key table.srmq-key th, .srmq-answer-key table.srmq-key td {
  border: 1px solid var(--jp-border-color1, #9e9e9e);
  padding: 6px 8px;
  vertical-align: top;
  font-size: inherit;
  line-height: 1.45;
}
.srmq-answer-key table.srmq-key thead th { background: var(--jp-layout-color2, #eeeeee); }
.srmq-answer-key .srmq-key-layers { margin: 0; padding-left: 1.2em; }
.srmquiz-dashboard table, .srmquiz-live table { border-collapse: collapse; }
.srmquiz-dashboard th, .srmquiz-dashboard td, .srmquiz-live th, .srmquiz-live td {
  border-bottom: 1px solid var(--jp-border-color2, #e0e0e0);
  padding: 4px 10px;
  vertical-align: top;
  line-height: 1.4;
}
.srmquiz-dashboard .srmq-simulated {
  border: 2px solid #8a4b00;
  background: #fff3e0;
  color: #3b2300;
  border-radius: 6px;
  padding: 8px 12px;
  font-size: 1.1em;
}
body[data-jp-theme-light="false"] .srmquiz-dashboard .srmq-simulated {
  border-color: #ffb74d;
  background: #3b2300;
  color: #ffe0b2;
}
.srmquiz-history .srmq-caption, .srmquiz-dashboard .srmq-caption {
  font-size: 0.95em;
  color: var(--jp-ui-font-color1, #1a1a1a);
}
.srmquiz-live .srmq-right { font-weight: 600; }
.srmquiz-live .srmq-sr {
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;
}
.srmquiz-dashboard .srmq-save { min-width: max-content; }
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
