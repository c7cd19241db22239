"""The pure core: the matrix, questions and their wording, quiz runs, walkthrough steps,
session codes, result documents and the review schedule.

Nothing here imports ipywidgets, matplotlib, a database driver or the file system; every
other layer builds on it (``make lint`` checks the rule).
"""
