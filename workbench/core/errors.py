"""The workbench's exception tree: every error a user can cause is one of these."""


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose; its message is one line for the user."""

    exit_code = 1


class InputError(WorkbenchError):
    """An input file or record cannot be read (names the file and line, and the fix)."""

    exit_code = 2


class ConfigError(WorkbenchError):
    """A label config, setting or option is wrong or inconsistent."""

    exit_code = 2


class ModelError(WorkbenchError):
    """A model file is missing, corrupted, tampered with or incompatible."""

    exit_code = 3


class StudioError(WorkbenchError):
    """Label Studio answered with an error or could not be reached."""

    exit_code = 4
    retryable = False  # set when the failure may pass on a retry (timeouts, 429, 5xx)


class StudioUnreachable(StudioError):
    """No Label Studio answers at the configured URL."""


class StudioAuthError(StudioError):
    """Label Studio refused the API key."""

    exit_code = 5


class StudioNotFound(StudioError):
    """A project (or task) named by the user does not exist on the server."""

    exit_code = 6


class EmbeddedStudioError(WorkbenchError):
    """The local Label Studio that the workbench manages could not be installed or started."""

    exit_code = 7
