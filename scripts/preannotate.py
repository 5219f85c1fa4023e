#!/usr/bin/env python3
"""Pre-annotate articles to a project or to an import file (same options as `workbench preannotate`).

Example: python scripts/preannotate.py --help
"""

import sys

from workbench.cli import main

if __name__ == "__main__":
    main(["preannotate", *sys.argv[1:]])
