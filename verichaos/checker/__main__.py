"""python -m verichaos.checker cert.json [--network net.json]"""

from .command import main

if __name__ == "__main__":  # not when a test collector imports this file
    raise SystemExit(main())
