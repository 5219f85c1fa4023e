#!/usr/bin/env python3
"""Pull labelled sentences from a Label Studio project (same options as `workbench pull`).

Example: python scripts/pull_labels.py --help
"""

import sys

from workbench.cli import main

if __name__ == "__main__":
    main(["pull", *sys.argv[1:]])
