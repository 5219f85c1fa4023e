#!/usr/bin/env python3
"""Push articles to a Label Studio project as pre-annotated sentence tasks (same options as `workbench push`).

Example: python scripts/push_articles.py --help
"""

import sys

from workbench.cli import main

if __name__ == "__main__":
    main(["push", *sys.argv[1:]])
