"""The colours drawings and widgets share: the Okabe-Ito palette, safe for colour-blind readers.

Colour is never the only cue: drawings add hatching and labels, widgets add words and ✓/✗.
"""

from __future__ import annotations

ORANGE = "#E69F00"
"""AWS in the stacks; the answer callout in the walkthrough; notices."""
SKY_BLUE = "#56B4E9"
"""The customer in the stacks; difficulty bars."""
BLUE = "#0072B2"
"""Right answers; the question callout; bars."""
VERMILLION = "#D55E00"
"""Wrong answers and errors."""
EDGE = "#333333"
"""Outlines of boxes and bars (dark grey, not a colour cue)."""
WHITE = "#FFFFFF"
"""The page behind every drawing, and the box behind labels."""
INK = "#000000"
"""Text and outlines of highlighted layers."""
FAINT = "#BBBBBB"
"""Edges of empty (not asked) heatmap cells."""
