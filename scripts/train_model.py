#!/usr/bin/env python3
"""Train the claim classifier on labelled JSON Lines (same options as `workbench train`).

Example: python scripts/train_model.py --help
"""

import sys

from workbench.cli import main

if __name__ == "__main__":
    main(["train", *sys.argv[1:]])
