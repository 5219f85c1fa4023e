#!/usr/bin/env python3
"""Pull a project's labelled sentences to JSON Lines, through the Python API.

The Label Studio is the one `workbench pull` would use. Example: workbench pull, as a script:
    python scripts/pull_labels.py --project Claims -o labels.jsonl
"""

import argparse

import workbench
from workbench.cli.app import connect, one_line_errors


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", required=True, help="Project title.")
    parser.add_argument("-o", "--output", required=True, help="JSON Lines file to write.")
    parser.add_argument("--include-ties", action="store_true", help="Also write tied sentences.")
    args = parser.parse_args(argv)
    with one_line_errors():
        result = workbench.pull(connect(), args.project, args.output,
                                include_ties=args.include_ties)
        print(f"{result.written} labelled sentences written to {args.output} ({result.ties} ties)")


if __name__ == "__main__":
    main()
