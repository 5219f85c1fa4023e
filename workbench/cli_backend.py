"""The ML backend commands of `workbench` (serve, connect, queue, models)."""


def register(cli) -> None:
    """Attach the backend commands to the `workbench` group."""
