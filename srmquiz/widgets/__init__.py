"""ipywidgets and all HTML: the quiz, the walkthrough, the classroom form, history, dashboards.

Widgets render core records and call back into whoever made them; they never open a file
or a database (the entry points in :mod:`srmquiz.notebook` wire storage in).
"""
