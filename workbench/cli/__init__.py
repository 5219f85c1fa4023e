"""The `workbench` command: parse, call one verb of `workbench.api`, print, exit code.

The group lives in `app`; importing the command modules here registers their commands.
"""

from workbench.cli import backend, checked, commands, projects, quotes, studio, team  # noqa: F401  (registers the commands)
from workbench.cli.app import RedactSecrets, cli, run


def main(argv=None) -> None:
    """Entry point of the `workbench` executable."""
    run(argv)


__all__ = ["RedactSecrets", "cli", "main"]
