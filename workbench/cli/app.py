"""The `workbench` group, its logging and its error handling: every error becomes one line."""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from contextlib import contextmanager

import click

from workbench.core.version import VERSION as __version__
from workbench.cli import settings
from workbench.core.errors import InputError, StudioUnreachable, WorkbenchError

DEFAULT_PROJECT = "Claims"


def echo_err(message: str) -> None:
    """One line on standard error."""
    click.echo(message, err=True)


def connect():
    """A checked connection to the configured Label Studio (environment or embedded server)."""
    from workbench.api import open_studio

    found = settings.studio_settings()
    log.info("using Label Studio at %s (from %s)", found.url, found.where)
    if found.home is not None:
        from workbench.studio.local import StudioHome, server_gone

        gone = server_gone(StudioHome(found.home))
        if gone:  # say so at once instead of retrying a refused connection for a minute
            raise StudioUnreachable(f"the embedded Label Studio at {found.url} is not running "
                                    f"({gone}); start it with `workbench studio up`")
    return open_studio(found.url, found.api_key, retry_seconds=settings.retry_seconds())


def report_input_errors(errors: list) -> None:
    """Print every input problem (one line each) and fail when there was any."""
    for err in errors:
        echo_err(f"error: {err}")
    if errors:
        raise click.exceptions.Exit(InputError.exit_code)


def progress_bar(label: str, unit: str = " tasks"):
    """A progress bar on standard error (silent when it is not a terminal)."""
    from tqdm import tqdm

    return tqdm(desc=label, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(),
                leave=False)


def project_link(studio, pid: int) -> str:
    """The project's data page."""
    return f"{studio.url}/projects/{pid}/data"


# -- logging --------------------------------------------------------------------------------------

log = logging.getLogger("workbench.cli")


class RedactSecrets(logging.Filter):
    """Replace API keys, Authorization values and cookies in every log record."""

    _AUTH = re.compile(r"((?:Token|Bearer|Basic)\s+)[A-Za-z0-9._\-+/=]+")
    # header values as logged by us ("Cookie: a=b") and by httpcore ("(b'Set-Cookie', b'a=b')")
    _COOKIE = re.compile(r"((?:set-)?cookie['\"]?\s*[:,=]\s*b?['\"]?)[^\n'\"]+", re.I)
    _HEADER = re.compile(r"((?:authorization|x-api-key)['\"]?\s*[:,=]\s*b?['\"]?)[^\n'\"]+",
                         re.I)

    def __init__(self, secrets):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        message = self._AUTH.sub(r"\1***", message)
        message = self._COOKIE.sub(r"\1***", message)
        record.msg, record.args = self._HEADER.sub(r"\1***", message), None
        return True


def setup_logging(verbose: int) -> None:
    """-v: one line per step; -vv: our HTTP requests too; -vvv: third-party debug as well.

    Keys, authorization headers and cookies are redacted at every level.
    """
    if not verbose:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactSecrets(settings.known_secrets()))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose > 2 else logging.WARNING)
    ours = logging.getLogger("workbench")
    ours.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    logging.getLogger("workbench.http").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    for name in ("httpx", "httpcore", "urllib3", "label_studio_sdk"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 2 else logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.option("-v", "--verbose", count=True,
              help="-v: one line per step; -vv: every HTTP request (method, path, status, time); "
                   "-vvv: libraries' debug too. Keys and cookies are never logged.")
def cli(verbose):
    """Claim annotation workbench: articles to Label Studio tasks, labels to a classifier.

    Example: workbench push articles/ --project Claims
    """
    setup_logging(verbose)


@contextmanager
def one_line_errors():
    """Turn every expected error into one line on standard error and its exit code.

    Used by the `workbench` command and by the operator scripts in scripts/.
    """
    try:
        with warnings.catch_warnings():
            # Library warnings (e.g. scikit-learn's about tiny classes) are not the user's to
            # fix; our own warnings are printed as `warning: ...` lines by the commands.
            warnings.simplefilter("ignore", category=UserWarning)
            yield
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


def run(argv=None) -> None:
    """Run the group: every expected error becomes one line on standard error and an exit code."""
    with one_line_errors():
        code = cli.main(args=argv, prog_name="workbench", standalone_mode=False)
    sys.exit(code if isinstance(code, int) else 0)
