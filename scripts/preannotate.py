#!/usr/bin/env python3
"""Pre-annotate articles to a Label Studio import file, through the Python API (no server).

Example: workbench preannotate, as a script:
    python scripts/preannotate.py new/ --model claims.joblib -o tasks.json
"""

import argparse

import workbench
from workbench.cli.app import one_line_errors


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", nargs="+", help="Files, folders or globs.")
    parser.add_argument("-o", "--output", required=True, help="Import file to write.")
    parser.add_argument("--model", help="Trained model file (default: the cold-start rules).")
    parser.add_argument("--chunk-size", type=int, help="Tasks per file (tasks-00001.json, ...).")
    args = parser.parse_args(argv)
    with one_line_errors():
        errors: list = []
        written = workbench.preannotate(args.articles, args.output, model=args.model,
                                        chunk_size=args.chunk_size, errors=errors)
        print(f"{written.tasks} pre-annotated tasks written (model {written.model_version})")
        for error in errors:
            print(f"error: {error}")


if __name__ == "__main__":
    main()
