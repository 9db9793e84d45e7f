"""python -m verichaos.checker cert.json [--network net.json]"""

import sys

from .command import main

if __name__ == "__main__":  # not when a test collector imports this file
    sys.exit(main())
