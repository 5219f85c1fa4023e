"""Settings: the only place the environment is read (the library takes everything as arguments)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import ConfigError
from workbench.core.files import write_text

HOME_DIR = ".workbench"
ENV_FILE = "studio.env"
POINTER_FILE = "home"  # in the per-user folder: the path of the home `studio up` used last


@dataclass(frozen=True)
class Home:
    """The folder holding the embedded Label Studio, and why it was chosen."""

    path: Path
    why: str


def user_dir(environ=os.environ) -> Path:
    """The per-user folder (XDG data directory): ~/.local/share/workbench by default."""
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or Path.home())
                                               / ".local" / "share")
    return Path(base) / "workbench"


def _is_home(path: Path) -> bool:
    return (path / ENV_FILE).is_file() or (path / "studio-venv").is_dir()


def find_home(environ=os.environ, cwd: Path | None = None) -> Home:
    """Where the embedded Label Studio lives, found the way people expect.

    1. WORKBENCH_HOME: the `.workbench` folder itself, or the folder that holds it;
    2. a `.workbench` folder in the current folder or any folder above it;
    3. the per-user folder (~/.local/share/workbench), or the home it points to (each
       `workbench studio up` records the home it used there);
    4. else `./.workbench` (where `workbench studio up` installs).
    """
    cwd = Path(cwd or Path.cwd()).resolve()
    value = environ.get("WORKBENCH_HOME")
    if value:
        given = Path(value).expanduser().resolve()
        if given.name != HOME_DIR and (given / HOME_DIR).is_dir() and not _is_home(given):
            return Home(given / HOME_DIR, f"WORKBENCH_HOME={value} holds {HOME_DIR}/")
        return Home(given, f"WORKBENCH_HOME={value}")
    for folder in (cwd, *cwd.parents):
        if _is_home(folder / HOME_DIR):
            return Home(folder / HOME_DIR, f"found in {folder}" if folder != cwd
                        else "in the current folder")
    per_user = user_dir(environ)
    if _is_home(per_user):
        return Home(per_user, "the per-user folder")
    try:
        pointed = Path((per_user / POINTER_FILE).read_text(encoding="utf-8").strip())
    except OSError:
        pointed = None
    if pointed and _is_home(pointed):
        return Home(pointed, f"recorded by the last `workbench studio up` ({per_user / POINTER_FILE})")
    return Home(cwd / HOME_DIR, "default: none found above the current folder or per user")


def remember_home(home: Path, environ=os.environ) -> None:
    """Record `home` in the per-user folder, so commands run from any folder find it."""
    per_user = user_dir(environ)
    if Path(home).resolve() == per_user.resolve():
        return
    try:
        write_text(per_user / POINTER_FILE, str(Path(home).resolve()) + "\n")
    except OSError:
        pass  # a read-only home directory: the walk up from the current folder still works


@dataclass(frozen=True)
class StudioSettings:
    """Which Label Studio to use: its URL and key, and where they came from."""

    url: str
    api_key: str
    where: str
    home: Path | None = None  # the embedded server's folder, when it is the one used

    def __repr__(self) -> str:  # never show the key
        return f"StudioSettings(url={self.url!r}, where={self.where!r})"


def external_url(environ=os.environ) -> str | None:
    """LABEL_STUDIO_URL when the user points the workbench at a server of theirs."""
    return environ.get("LABEL_STUDIO_URL")


def studio_settings(environ=os.environ, cwd: Path | None = None) -> StudioSettings:
    """URL and key from the environment, else from the embedded server's env file."""
    from workbench.studio.local import StudioHome, read_env_file

    url, key = environ.get("LABEL_STUDIO_URL"), environ.get("LABEL_STUDIO_API_KEY")
    if url or key:
        if not (url and key):
            missing = "LABEL_STUDIO_API_KEY" if url else "LABEL_STUDIO_URL"
            raise ConfigError(f"{missing} is not set while its partner is; set both to use your "
                              f"own Label Studio, or unset both to use the embedded one")
        if "://" not in url:
            raise ConfigError(f"LABEL_STUDIO_URL={url!r} has no scheme; write it with http:// "
                              f"or https://, e.g. http://{url}")
        return StudioSettings(url, key, "environment")
    home = find_home(environ, cwd)
    values = read_env_file(StudioHome(home.path).env_file)
    if not values.get("LABEL_STUDIO_URL") or not values.get("LABEL_STUDIO_API_KEY"):
        raise ConfigError(
            f"no Label Studio configured: none found in {home.path} ({home.why}); run "
            f"`workbench studio up` (embedded), set WORKBENCH_HOME to the folder holding "
            f".workbench, or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY")
    return StudioSettings(values["LABEL_STUDIO_URL"], values["LABEL_STUDIO_API_KEY"],
                          str(StudioHome(home.path).env_file), home.path)


def retry_seconds(environ=os.environ) -> float:
    """How long to retry a Label Studio that does not answer (WORKBENCH_RETRY_SECONDS)."""
    raw = environ.get("WORKBENCH_RETRY_SECONDS", "60")
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"WORKBENCH_RETRY_SECONDS={raw!r} is not a number of seconds; "
                          f"set it to e.g. 60") from None
    if value < 0:
        raise ConfigError(f"WORKBENCH_RETRY_SECONDS={raw!r} must be 0 or more")
    return value


def known_secrets(environ=os.environ) -> list[str]:
    """The keys to redact from every log line: the environment's and the stored one."""
    from workbench.studio.local import StudioHome, read_env_file

    stored = read_env_file(StudioHome(find_home(environ).path).env_file)
    return [environ.get("LABEL_STUDIO_API_KEY", ""), stored.get("LABEL_STUDIO_API_KEY", ""),
            stored.get("LABEL_STUDIO_PASSWORD", ""),
            environ.get("WORKBENCH_BACKEND_PASSWORD", "")]
