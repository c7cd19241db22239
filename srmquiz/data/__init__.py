"""Files and databases: the content folder (TOML), the progress store, result files.

Imports the core only; never ipywidgets or matplotlib.
"""
