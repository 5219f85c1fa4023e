"""The quote commands: quotes (extract attributions), train-quotes, evaluate-quotes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.cli.app import cli, echo_err, report_input_errors


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write JSON Lines here instead of standard output.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Trained quote model (workbench train-quotes); default: the cold-start rules.")
@click.option("--strict", is_flag=True, help="Stop at the first bad article.")
def quotes(articles, output, model_path, strict):
    """Find who said what: one JSON line per attribution (source, cue, content spans).

    Example: workbench quotes article.txt -o quotes.jsonl
    """
    from workbench.quotes.extract import iter_attributions
    from workbench.quotes.files import write_attributions
    from workbench.text.articles import iter_articles

    model = None
    if model_path:
        from workbench.quotes.model import load_quote_model

        model = load_quote_model(model_path)
    errors: list = []
    found = iter_attributions(iter_articles(articles, errors=errors, strict=strict), model)
    if output:
        n = write_attributions(found, output)
        echo_err(f"{n} attributions written to {output}")
    else:
        for article, attributions in found:
            for attribution in attributions:
                click.echo(json.dumps(attribution.to_dict(article.text), ensure_ascii=False))
    report_input_errors(errors)


@cli.command("train-quotes")
@click.argument("data", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Model file to write (e.g. quotes.joblib).")
@click.option("--articles", "article_paths", multiple=True,
              help="The articles of a JSON Lines DATA file (files, folders or globs).")
@click.option("--iterations", type=click.IntRange(1),
              help="Training iterations of the CRF (default: the cross-validated 200).")
def train_quotes(data, output, article_paths, iterations):
    """Train the quote span model on a PolNeAR split folder or JSON Lines attributions.

    A JSON Lines file (from `workbench pull --task quotes`) needs its articles: give them
    with --articles.

    Example: workbench train-quotes ../data/polnear/train -o quotes.joblib
    """
    from workbench.quotes.model import ITERATIONS, train_quote_model

    model = train_quote_model(data, output, articles=list(article_paths),
                              iterations=iterations or ITERATIONS)
    click.echo(f"quote model {model.model_version} written to {output} "
               f"({model.manifest['training']['articles']} articles, "
               f"{model.manifest['training']['attributions']} attributions)")


@cli.command("evaluate-quotes")
@click.argument("gold", type=click.Path(path_type=Path))
@click.argument("predicted", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on one line.")
def evaluate_quotes(gold, predicted, as_json):
    """Score predicted attributions against gold: per role exact and token F1, speakers.

    GOLD is a JSON Lines attributions file or a PolNeAR split folder.

    Example: workbench evaluate-quotes gold.jsonl quotes.jsonl
    """
    from workbench.quotes.files import format_scores, score_files

    scores = score_files(gold, predicted)
    click.echo(json.dumps(scores) if as_json else format_scores(scores))


def push_quotes_command(articles, project, model_path, strict, no_predictions) -> None:
    """`workbench push --task quotes`: one task per article, regions and relations pre-drawn."""
    from workbench.cli.app import connect, progress_bar, project_link
    from workbench.pipeline.quotes import push_quotes
    from workbench.text.articles import check_paths

    if not articles:
        raise click.UsageError("give articles to push")
    check_paths(articles)  # before connecting: a typo is said at once, and nothing is created
    model = None
    if model_path and not no_predictions:
        from workbench.quotes.model import load_quote_model

        model = load_quote_model(model_path)
    studio = connect()
    errors: list = []
    bar = progress_bar("push", " articles")
    try:
        result = push_quotes(studio, articles, project, model=model, strict=strict,
                             errors=errors, progress=bar.update, predictions=not no_predictions)
    finally:
        bar.close()
    if result.created:
        echo_err(f"created project {project!r} (id {result.project_id})")
    click.echo(f"project {project!r}: {result.report.created} article tasks created, "
               f"{result.report.present} already present"
               + (f", attributions from {result.model_version}" if result.model_version else ""))
    click.echo(f"  {project_link(studio, result.project_id)}")
    report_input_errors(errors)


def pull_quotes_command(project, output) -> None:
    """`workbench pull --task quotes`: the corrected attributions as training JSON Lines."""
    from workbench.cli.app import connect
    from workbench.pipeline.quotes import pull_quotes

    studio = connect()
    written, articles = pull_quotes(studio, project, output)
    click.echo(f"{written} attributions from {articles} annotated articles written to {output} "
               f"(train on them: workbench train-quotes {output} --articles ARTICLES "
               f"-o quotes.joblib)")
