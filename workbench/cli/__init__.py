"""The `workbench` command."""

from workbench.cli.app import RedactSecrets, cli, main  # noqa: F401
from workbench.cli.backend import register

register(cli)
