#!/usr/bin/env python3
"""Push articles to a Label Studio project as pre-annotated sentence tasks, through the Python API.

The Label Studio is the one `workbench push` would use (LABEL_STUDIO_URL and
LABEL_STUDIO_API_KEY, else the embedded one). Example: workbench push, as a script:
    python scripts/push_articles.py articles/ --project Claims --model claims.joblib
"""

import argparse

import workbench
from workbench.cli.app import connect, one_line_errors


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", nargs="+", help="Files, folders or globs.")
    parser.add_argument("--project", required=True, help="Project title (created when missing).")
    parser.add_argument("--model", help="Trained model file (default: the cold-start rules).")
    parser.add_argument("--skip-roles", default="", help="e.g. title,byline,heading")
    args = parser.parse_args(argv)
    with one_line_errors():
        errors: list = []
        result = workbench.push(connect(), args.articles, args.project, model=args.model,
                                skip_roles=[r for r in args.skip_roles.split(",") if r],
                                errors=errors)
        print(f"project {args.project!r} (id {result.project_id}): {result.report.created} tasks "
              f"created, {result.report.present} already present; predictions from "
              f"{result.model_version}")
        for error in errors:
            print(f"error: {error}")


if __name__ == "__main__":
    main()
