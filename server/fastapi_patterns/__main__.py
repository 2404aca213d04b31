"""`python -m fastapi_patterns`: the same command as the `fastapi-patterns` script (see `cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
