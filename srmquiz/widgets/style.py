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
/* pieces every area shows: verdicts and notices, sources, captions, pictures */
.srmq-verdict {
  font-size: 1.05em;
  border-radius: 4px;
  background: var(--srmq-bg2);
}
.srmq-source, .srmq-caption {
  font-size: 0.9em;
  line-height: 1.4;
  color: var(--srmq-fg2);
  margin: 4px 0;
}
.srmq-source p { margin: 2px 0; }
.srmq-source details summary { cursor: pointer; }
.srmq-source details ul { margin: 2px 0; padding-left: 1.2em; }
/* The pictures are drawn on white. On a dark page they sit on a rounded light plate
   with a little padding, dimmed a little so they do not glare; their dark text keeps
   its contrast on the plate. */
.srmq-picture-img {
  display: block;
  background: #ffffff;
  border-radius: 8px;
  padding: 6px;
  box-sizing: border-box;
}
body[data-jp-theme-light="false"] .srmq-picture-img {
  filter: brightness(0.88);
  border: 1px solid var(--srmq-border);
}
"""
"""Card look, type, focus ring, buttons, and the verdicts, sources and pictures every area
shows: shared by every srmquiz widget."""

QUIZ_CSS = """
.srmquiz .srmq-title { margin: 0 0 4px; font-size: 1.25em; }
.srmquiz .srmq-status .widget-label { font-weight: 600; color: var(--srmq-fg2); }
.srmquiz .srmq-prompt { font-size: 1.1em; line-height: 1.45; margin: 6px 0; }
.srmquiz .srmq-number { margin: 14px 0 2px; font-size: 1.05em; }
.srmquiz .srmq-view + .srmq-view { border-top: 1px solid var(--srmq-border); margin-top: 8px; }
/* choices as clear buttons, side by side, wrapping on a narrow page */
.srmquiz .srmq-choices > div {
  display: flex;
  flex-wrap: wrap;
  gap: 6px;
}
.srmquiz .srmq-choices .jupyter-button {
  flex: 0 1 auto;
  margin: 2px 0;
  min-height: var(--jp-widgets-inline-height);
  white-space: normal;
  line-height: 1.3;
  padding: 4px 14px;
}
/* The chosen answer: a thick accent border and bold text, and after the buttons lock the
   words "your answer", so it is told by more than colour. Before the lock, bold and
   border only. */
.srmquiz .srmq-choices .jupyter-button.mod-active {
  border: 3px solid var(--srmq-chosen);
  font-weight: 700;
  background: var(--srmq-bg);
  color: var(--srmq-fg);
  box-shadow: none;
}
.srmquiz .srmq-choices .jupyter-button.mod-active:disabled {
  border-style: solid;
  color: var(--srmq-fg);
}
.srmquiz .srmq-choices .jupyter-button.mod-active:disabled::after {
  content: " ← your answer";
  font-weight: 600;
}
.srmquiz .srmq-checkboxes .widget-checkbox { width: auto; }
.srmquiz .srmq-checkboxes .widget-checkbox:has(input:checked) { font-weight: 700; }
.srmquiz .srmq-checkboxes input[type="checkbox"] { width: 18px; height: 18px; }
/* build-the-stack: one grid, a compact row per layer: name, owner buttons, mark */
.srmquiz .srmq-stack-rows {
  display: grid;
  grid-template-columns: minmax(9em, 15em) max-content minmax(7em, 1fr);
  align-items: center;
  column-gap: 8px;
  overflow-x: auto;
}
.srmquiz .srmq-stack-rows > * { margin: 0; padding: 3px 0; width: auto; }
.srmquiz .srmq-stack-rows > :nth-child(n + 4) { border-top: 1px solid var(--srmq-bg2); }
.srmquiz .srmq-layer-label .widget-html-content { line-height: 1.25; }
.srmquiz .srmq-stack-rows .srmq-choices .jupyter-button { padding: 2px 8px; min-height: 30px; }
/* in a layer's row the mark beside it says what was chosen: no "your answer" per row */
.srmquiz .srmq-stack-rows .srmq-choices .jupyter-button.mod-active:disabled::after {
  content: none;
}
.srmquiz .srmq-mark .widget-html-content { line-height: 1.25; font-size: 0.95em; }
/* the feedback: text and picture side by side where there is room */
.srmquiz .srmq-feedback-row { flex-wrap: wrap; align-items: flex-start; gap: 4px 20px; }
.srmquiz .srmq-feedback-row > .srmq-detail { flex: 1 1 22em; min-width: 16em; }
.srmquiz .srmq-feedback-row > .srmq-picture { flex: 0 1 auto; }
.srmquiz .srmq-detail p { margin: 4px 0; }
.srmquiz :is(.srmq-choice-notes, .srmq-layer-notes) { margin: 4px 0; padding-left: 1.2em; }
.srmquiz :is(.srmq-choice-notes, .srmq-layer-notes) li { margin: 2px 0; line-height: 1.4; }
.srmquiz .srmq-layer-notes { font-size: 0.95em; }
.srmquiz .srmq-why { color: var(--srmq-fg2); }
.srmquiz .srmq-nav { flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.srmquiz .srmq-nav .jupyter-button { flex: 0 0 auto; width: auto; }
/* Focus moves to Next after an answer, and the browser scrolls it into view: these
   margins make that scroll keep the verdict above Next and the start of the explanation
   below it on screen too. */
.srmquiz .srmq-nav .jupyter-button { scroll-margin: 6em 0 9em; }
/* the summary: two tables, each its own height and fixed column widths */
.srmquiz .srmq-score { margin: 6px 0; font-size: 1.2em; }
.srmquiz .srmq-breakdowns {
  display: flex;
  flex-wrap: wrap;
  gap: 8px 32px;
  align-items: flex-start;
}
.srmquiz .srmq-breakdown {
  table-layout: fixed;
  border-collapse: collapse;
  width: 26em;
  max-width: 100%;
}
.srmquiz .srmq-breakdown th, .srmquiz .srmq-breakdown td {
  padding: 3px 8px;
  line-height: 1.35;
  border-bottom: 1px solid var(--srmq-bg2);
  vertical-align: top;
}
.srmquiz .srmq-breakdown th:last-child, .srmquiz .srmq-breakdown td:last-child { width: 6em; }
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
/* the width is set on the img element; a max-width in % would make its min-content width zero
   and let the caption's longest word set the picture's size */
.srmq-walk .srmq-walk-picture .srmq-picture-img { max-width: none !important; }
/* the picture's frame may shrink in height (its image keeps its aspect by object-fit) so
   that a long caption still fits under it */
.srmq-walk .srmq-walk-picture > .srmq-picture-frame {
  flex: 0 1 auto;
  min-height: 0;
  display: flex;
  flex-direction: column;
}
.srmq-walk .srmq-walk-picture > .srmq-picture-frame > .widget-html-content {
  display: flex;
  flex-direction: column;
  flex: 0 1 auto;
  min-height: 0;
}
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


_sheet: list[widgets.HTML] = []
"""The one stylesheet widget of this kernel (while it is open)."""


def stylesheet() -> widgets.HTML:
    """An HTML widget carrying srmquiz's stylesheet (put it first among a widget's children).

    One widget serves every srmquiz widget of the kernel: the ~10 KB of CSS reaches the
    browser once, however many quizzes a notebook shows (a closed one is made anew).
    """
    if not _sheet or _sheet[0].comm is None:
        sheet = widgets.HTML(f"<style>{css()}</style>", layout=widgets.Layout(display="none"))
        sheet.add_class("srmq-stylesheet")
        _sheet[:] = [sheet]
    return _sheet[0]
