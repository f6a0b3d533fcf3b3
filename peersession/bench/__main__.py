"""Run the benchmark: ``python -m peersession.bench [--size tiny|full] [--json FILE]``."""

from __future__ import annotations

import sys

from .run import main

sys.exit(main())
