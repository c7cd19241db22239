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
