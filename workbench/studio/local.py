"""The embedded default: a local Label Studio in its own virtualenv, managed by the workbench."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from workbench.core.errors import EmbeddedStudioError
from workbench.studio import postgres
from workbench.studio.envfile import read_env_file, write_env_file

LABEL_STUDIO_SPEC = "label-studio>=1.23,<1.24"
DEFAULT_PORT = 8080
ADMIN_EMAIL = "admin@workbench.local"
ENV_FILE = "studio.env"


@dataclass(frozen=True)
class StudioHome:
    """Where the embedded Label Studio lives: its virtualenv, data, log, pid and env file."""

    root: Path
    venv_dir: Path | None = None  # share one install between several homes (tests)

    @property
    def venv(self) -> Path:
        return self.venv_dir or self.root / "studio-venv"

    @property
    def data(self) -> Path:
        return self.root / "studio-data"

    @property
    def log(self) -> Path:
        return self.root / "studio.log"

    @property
    def pid_file(self) -> Path:
        return self.root / "studio.pid"

    @property
    def env_file(self) -> Path:
        return self.root / ENV_FILE

    @property
    def executable(self) -> Path:
        return self.venv / "bin" / "label-studio"


# -- install --------------------------------------------------------------------------------

def _uv() -> str | None:
    here = Path(sys.executable).parent / "uv"
    return str(here) if here.exists() else shutil.which("uv")


def _pip_steps(home: StudioHome, *specs: str) -> list[list[str]]:
    uv, python = _uv(), str(home.venv / "bin" / "python")
    if uv:
        return [[uv, "pip", "install", "-q", "-p", python, *specs]]
    return [[python, "-m", "pip", "install", "-q", *specs]]


def _run_steps(home: StudioHome, steps: list[list[str]], what: str, *, undo: bool) -> None:
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            if undo:
                shutil.rmtree(home.venv, ignore_errors=True)
            raise EmbeddedStudioError(
                f"installing {what} into {home.venv} failed: {tail[0]}; check network "
                f"access to PyPI and disk space, then run `workbench studio up` again")


def install(home: StudioHome, *, echo=print) -> Path:
    """Install Label Studio into its own virtualenv under the home (once)."""
    if home.executable.exists():
        return home.executable
    home.root.mkdir(parents=True, exist_ok=True)
    echo(f"Installing {LABEL_STUDIO_SPEC} into {home.venv} (once; about 1 GB)...")
    python = shutil.which("python3.11") or sys.executable
    uv = _uv()
    create = ([uv, "venv", "-q", "-p", python, str(home.venv)] if uv
              else [python, "-m", "venv", str(home.venv)])
    _run_steps(home, [create, *_pip_steps(home, LABEL_STUDIO_SPEC)], "Label Studio", undo=True)
    return home.executable


def install_postgres_driver(home: StudioHome, *, echo=print) -> None:
    """Give Label Studio's virtualenv a PostgreSQL driver (psycopg 3 or psycopg2) when it lacks one."""
    probe = ("import importlib.util, sys; sys.exit(not any(importlib.util.find_spec(m) "
             "for m in ('psycopg', 'psycopg2')))")
    if subprocess.run([str(home.venv / "bin" / "python"), "-c", probe]).returncode == 0:
        return
    echo(f"Installing psycopg2-binary into {home.venv} (Label Studio's PostgreSQL driver)...")
    _run_steps(home, _pip_steps(home, "psycopg2-binary"), "psycopg2-binary", undo=False)


# -- process --------------------------------------------------------------------------------

def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port (Label Studio silently moves off a busy port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int = DEFAULT_PORT) -> int:
    """The preferred port when free, else one the OS hands out."""
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pid(home: StudioHome) -> int | None:
    try:
        pid = int(home.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def server_gone(home: StudioHome) -> str | None:
    """Why the embedded server certainly does not run (no process, port closed), else None.

    Cheap and certain: a pid file naming a live process, or anything listening on the
    port, means "maybe running", and the caller's request will tell.
    """
    url = read_env_file(home.env_file).get("LABEL_STUDIO_URL", "")
    if _pid(home) is not None:
        return None
    port = _port_of(url)
    if port and not port_is_free(port):
        return None  # something listens there (a server started by hand?): let the request tell
    return "its process is gone" if home.pid_file.exists() else "it was stopped"


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when Label Studio answers its health check at url."""
    try:
        return requests.get(f"{url}/health/", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


@dataclass(frozen=True)
class StudioStatus:
    """Whether the embedded server runs, and where."""

    running: bool
    url: str
    pid: int | None
    installed: bool
    database: str = "sqlite"  # `sqlite` or `postgresql`: the one it was started on


def status(home: StudioHome) -> StudioStatus:
    """The embedded server's state, read from its pid and env files."""
    env = read_env_file(home.env_file)
    url = env.get("LABEL_STUDIO_URL", "")
    pid = _pid(home)
    return StudioStatus(running=bool(pid and url and healthy(url)), url=url, pid=pid,
                        installed=home.executable.exists(),
                        database=postgres.chosen_database(home.root))


def database_env(home: StudioHome) -> dict[str, str]:
    """The environment naming the home's database: for any program run on the server's data."""
    if postgres.chosen_database(home.root) == "postgresql":
        return postgres.studio_env(postgres.read_settings(home.root))
    return {"DJANGO_DB": "sqlite"}


def _server_env(env_values: dict[str, str], database: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(database)
    env.update({
        "LATEST_VERSION_CHECK": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LABEL_STUDIO_USERNAME": env_values["LABEL_STUDIO_USERNAME"],
        "LABEL_STUDIO_PASSWORD": env_values["LABEL_STUDIO_PASSWORD"],
        "LABEL_STUDIO_USER_TOKEN": env_values["LABEL_STUDIO_API_KEY"],
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        # Let a workbench ML backend on loopback be connected (workbench connect).
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
    })
    # The server's own virtualenv, not ours: drop anything pointing at the package's venv.
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    return env


def _port_of(url: str) -> int:
    try:
        return int(url.rsplit(":", 1)[-1]) if url else 0
    except ValueError:
        return 0


def up(home: StudioHome, *, port: int | None = None, database: str | None = None,
       wait: float = 300.0, echo=print) -> dict[str, str]:
    """Install if needed, start the local server on 127.0.0.1 and wait for health; returns the env.

    `port` is honoured: a server running on another port is restarted on it, and a busy
    `port` is an error naming it. Without `port`, the port used last (else 8080) is
    preferred; when another program holds it, a free one is used and `echo` says why.
    `database` (`sqlite` or `postgresql`) is remembered by the home: without it, the one
    used last (else SQLite); with PostgreSQL, the home's own cluster is started first.
    """
    current = status(home)
    env_values = read_env_file(home.env_file)
    old_port = _port_of(env_values.get("LABEL_STUDIO_URL", ""))
    database = database or current.database
    if current.running:
        if (port is None or port == old_port) and database == current.database:
            return env_values
        echo(f"Label Studio runs on port {old_port} with {current.database}: restarting it on "
             f"port {port or old_port} with {database}")
        down(home)
    if port is not None and not port_is_free(port):
        raise EmbeddedStudioError(
            f"port {port} on 127.0.0.1 is in use by another program; free it or choose "
            f"another --port")
    if database == "postgresql":
        postgres.bin_dir()  # missing programs: say how to install them before anything else
    install(home, echo=echo)
    postgres.remember_database(home.root, database)
    if database == "postgresql":
        install_postgres_driver(home, echo=echo)
        postgres.start(home.root, free_port, echo=echo)
    db_env = database_env(home)
    if not env_values.get("LABEL_STUDIO_API_KEY"):
        env_values = {
            "LABEL_STUDIO_URL": "",
            "LABEL_STUDIO_API_KEY": secrets.token_hex(20),
            "LABEL_STUDIO_USERNAME": ADMIN_EMAIL,
            "LABEL_STUDIO_PASSWORD": secrets.token_urlsafe(12),
        }
    preferred = port or old_port or DEFAULT_PORT
    chosen = free_port(preferred)
    if chosen != preferred:
        echo(f"port {preferred} is in use by another program: using port {chosen} instead "
             f"(`workbench studio up --port N` chooses one)")
    url = f"http://127.0.0.1:{chosen}"
    env_values["LABEL_STUDIO_URL"] = url
    home.data.mkdir(parents=True, exist_ok=True)
    first = database == "sqlite" and not (home.data / "label_studio.sqlite3").exists()
    echo(f"Starting Label Studio on {url} with {database}"
         + (" (a first start migrates its database, ~30 s)" if first else ""))
    with open(home.log, "ab") as log_out:
        proc = subprocess.Popen(
            [str(home.executable), "start", "--data-dir", str(home.data),
             "--internal-host", "127.0.0.1", "--port", str(chosen), "--no-browser"],
            env=_server_env(env_values, db_env), stdout=log_out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, cwd=str(home.root))
    home.pid_file.write_text(str(proc.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise EmbeddedStudioError(
                f"Label Studio exited with code {proc.returncode} while starting; "
                f"last log line: {_last_log_line(home)} (full log: {home.log})")
        if healthy(url):
            write_env_file(home.env_file, env_values)
            return env_values
        time.sleep(0.5)
    _stop_pid(proc.pid)
    raise EmbeddedStudioError(f"Label Studio did not become healthy at {url} within {wait:.0f} s; "
                              f"see {home.log}")


def _last_log_line(home: StudioHome) -> str:
    try:
        lines = [line for line in home.log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "none"
    return lines[-1][:200] if lines else "none"


def _stop_pid(pid: int, grace: float = 15.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # reap our own child if it is one
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def down(home: StudioHome) -> bool:
    """Stop the local server, then its PostgreSQL if it has one; returns whether one was running."""
    pid = _pid(home)
    if pid is not None:
        _stop_pid(pid)
    home.pid_file.unlink(missing_ok=True)
    if postgres.chosen_database(home.root) == "postgresql":
        postgres.stop(home.root)
    return pid is not None
