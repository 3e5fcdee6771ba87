"""Run :func:`kg.ingest.normalise.command_line.main`: ``python -m kg.ingest.normalise --help``."""

import sys

from kg.ingest.normalise.command_line import main

sys.exit(main())
