"""`python -m srmquiz` runs the command line."""

import sys

from srmquiz.cli import main

sys.exit(main())
