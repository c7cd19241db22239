"""srmquiz's hostile-input fuzz harness (issue #12): content folders, result files, databases.

Every case is a folder or file built in a temporary directory plus an oracle (``expect``):
``invalid`` must be refused with one-line errors, ``valid`` must be accepted and work
(load, generate, draw), ``suspect`` may be kept only when a skip line or note names it,
``any`` may go either way as long as it goes cleanly. A worker subprocess (reused across
cases) runs the product's own entry points on each case under a time limit and an
address-space cap, and reports tracebacks, hangs, memory blow-ups, messages that are not
one short line, and invalid input that was silently accepted.

- :mod:`tests.fuzz.cases`: the case type and the builders of every family;
- :mod:`tests.fuzz.strategies`: hypothesis strategies that draw cases of every family;
- :mod:`tests.fuzz.corpus`: the fixed cases of the reliability review, word for word;
- :mod:`tests.fuzz.worker`: what runs inside the worker (the checks);
- :mod:`tests.fuzz.runner`: the worker pool, the profiles and the summary table.

``make test`` runs the fast profile (``tests/test_fuzz.py``); ``make fuzz`` the long one::

    python -m tests.fuzz [--content N] [--results N] [--seed S] [--jobs J]
"""
