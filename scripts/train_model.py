#!/usr/bin/env python3
"""Train the claim classifier on labelled JSON Lines, through the Python API.

Example: workbench train, as a script:
    python scripts/train_model.py labels.jsonl -o claims.joblib
"""

import argparse

import workbench
from workbench.cli.app import one_line_errors


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="JSON Lines with text and label.")
    parser.add_argument("-o", "--output", required=True, help="Model file to write.")
    parser.add_argument("--folds", type=int, default=5, help="Cross-validation folds.")
    parser.add_argument("--embeddings", choices=["e5", "minilm"], help="Sentence embeddings.")
    args = parser.parse_args(argv)
    with one_line_errors():
        model = workbench.train(args.data, args.output, folds=args.folds,
                                embeddings=args.embeddings, warn=lambda m: print(f"warning: {m}"))
        cv = model.manifest.get("cv_metrics") or {}
        print(f"model {model.model_version} written to {args.output}"
              + (f"; cross-validated macro-F1 {cv['macro_f1']:.3f}" if cv else ""))


if __name__ == "__main__":
    main()
