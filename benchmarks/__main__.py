"""``python -m benchmarks`` from a checkout: see :mod:`benchmarks.run`."""

import sys

from .run import main

sys.exit(main())
