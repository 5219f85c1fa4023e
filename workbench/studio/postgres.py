"""PostgreSQL for the embedded Label Studio: Debian's server, run under the studio home.

The cluster lives in `<home>/postgres/` (its data in `data/`, its log in `server.log`), listens
on one loopback port and no Unix socket, and holds one database for Label Studio. PostgreSQL
refuses to run as root: as root, its programs run as the `postgres` system user that Debian's
package creates, and that folder belongs to it. The choice of database, the port used last and
the generated password are kept in `<home>/database.env` (mode 0600).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import EmbeddedStudioError
from workbench.core.files import write_text
from workbench.studio.envfile import read_env_file, write_env_file

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SETTINGS_FILE = "database.env"
SYSTEM_USER = "postgres"  # who runs PostgreSQL when we are root (created by Debian's package)
DB_USER = "workbench"
DB_NAME = "labelstudio"
DATABASES = ("sqlite", "postgresql")
INSTALL_HINT = "install it with `apt-get install postgresql` (Debian, Ubuntu)"


@dataclass(frozen=True)
class Cluster:
    """Where the home's PostgreSQL cluster lives."""

    home: Path

    @property
    def folder(self) -> Path:
        return self.home / "postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def settings_file(self) -> Path:
        return self.home / SETTINGS_FILE


# -- the remembered choice ------------------------------------------------------------------

def read_settings(home: Path) -> dict[str, str]:
    """The home's database settings (KEY='value' lines); empty when never chosen."""
    return read_env_file(Cluster(home).settings_file)


def _write_settings(home: Path, values: dict[str, str]) -> None:
    write_env_file(Cluster(home).settings_file, values,
                   header="The embedded Label Studio's database")


def chosen_database(home: Path) -> str:
    """The database the home used last: `sqlite` (the default) or `postgresql`."""
    return read_settings(home).get("DATABASE", "sqlite")


def remember_database(home: Path, database: str) -> None:
    """Record the home's database, keeping the cluster's port and password."""
    if database not in DATABASES:
        raise EmbeddedStudioError(f"unknown database {database!r}; choose one of "
                                  f"{', '.join(DATABASES)}")
    values = read_settings(home)
    if values.get("DATABASE", "sqlite") != database or not values:
        _write_settings(home, {**values, "DATABASE": database})


# -- programs -------------------------------------------------------------------------------

def bin_dir(pattern: str | None = None) -> Path:
    """The newest Debian PostgreSQL's programs folder; one line saying how to install it else."""
    pattern = pattern or BIN_GLOB
    found = [Path(p) for p in glob.glob(pattern)
             if all((Path(p) / exe).exists() for exe in ("initdb", "pg_ctl", "createdb"))]
    if not found:
        raise EmbeddedStudioError(
            f"PostgreSQL is not installed (no initdb, pg_ctl and createdb under {pattern}): "
            f"{INSTALL_HINT}, or start Label Studio on SQLite with "
            f"`workbench studio up --database sqlite`")
    return max(found, key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()])


def _run_as() -> pwd.struct_passwd | None:
    """The system user to run PostgreSQL as when we are root (it refuses root), else None."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise EmbeddedStudioError(
            f"PostgreSQL refuses to run as root and the `{SYSTEM_USER}` system user is missing; "
            f"{INSTALL_HINT} (its package creates the user), or run as a normal user") from None


def _check_reachable(folder: Path, user: pwd.struct_passwd) -> None:
    """The system user must be able to enter every folder above the cluster's."""
    for parent in reversed(folder.resolve().parents):
        mode = parent.stat()
        if mode.st_uid != user.pw_uid and not mode.st_mode & stat.S_IXOTH:
            raise EmbeddedStudioError(
                f"PostgreSQL runs as the `{user.pw_name}` system user (it refuses root), who "
                f"cannot enter {parent} (mode {stat.S_IMODE(mode.st_mode):o}); keep the home "
                f"({folder.parent}) under folders others may enter (chmod o+x), or set "
                f"WORKBENCH_HOME elsewhere")


def _run(args: list[str], what: str, cluster: Cluster, user, *, env_extra=None,
         check: bool = True) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
           **(env_extra or {})}
    ids = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=str(cluster.folder),
                          stdin=subprocess.DEVNULL, **ids)
    if check and done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise EmbeddedStudioError(f"PostgreSQL: {what} failed: {tail[0]} (log: {cluster.log})")
    return done


def _prepare(cluster: Cluster, user) -> None:
    cluster.folder.mkdir(parents=True, exist_ok=True)
    cluster.folder.chmod(0o700)
    if user is not None:  # what is inside is made by the user's own programs
        _check_reachable(cluster.folder, user)
        if cluster.folder.stat().st_uid != user.pw_uid:
            os.chown(cluster.folder, user.pw_uid, user.pw_gid)


def _initdb(cluster: Cluster, programs: Path, user, password: str) -> None:
    """A new cluster whose only role, DB_USER, logs in with `password` (never on a command line)."""
    pwfile = cluster.folder / "initdb.pw"
    write_text(pwfile, password + "\n", private=True)
    if user is not None:
        os.chown(pwfile, user.pw_uid, user.pw_gid)
    try:
        _run([str(programs / "initdb"), "-D", str(cluster.data), "-U", DB_USER,
              f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
             "initdb (creating the cluster)", cluster, user)
    finally:
        pwfile.unlink(missing_ok=True)


# -- start, stop, status --------------------------------------------------------------------

def running(home: Path) -> bool:
    """True when the home's cluster runs (pg_ctl status)."""
    cluster = Cluster(home)
    if not (cluster.data / "postmaster.pid").exists():
        return False
    done = _run([str(bin_dir() / "pg_ctl"), "status", "-D", str(cluster.data)], "status",
                cluster, _run_as(), check=False)
    return done.returncode == 0


def start(home: Path, free_port: Callable[[int], int], *, echo=print) -> None:
    """Start (creating once) the home's cluster and its database, and record their settings.

    `free_port(preferred)` picks the port: the one used last when it is still free.
    """
    cluster, programs, user = Cluster(home), bin_dir(), _run_as()
    values = read_settings(home)
    password = values.get("POSTGRE_PASSWORD") or secrets.token_urlsafe(18)
    _prepare(cluster, user)
    if not (cluster.data / "PG_VERSION").exists():
        echo(f"Creating a PostgreSQL cluster in {cluster.data}"
             + (f" (run as the `{user.pw_name}` system user: PostgreSQL refuses root)" if user else ""))
        shutil.rmtree(cluster.data, ignore_errors=True)
        _initdb(cluster, programs, user, password)
        values.pop("DATABASE_CREATED", None)
        _write_settings(home, {**values, "POSTGRE_PASSWORD": password})  # the cluster's, kept
    port = int(values.get("POSTGRE_PORT") or 0)
    if running(home):
        if not port:
            raise EmbeddedStudioError(f"PostgreSQL runs in {cluster.data} but its port is not "
                                      f"recorded in {cluster.settings_file}; stop it with "
                                      f"`workbench studio down`")
    else:
        port = free_port(port)
        _run([str(programs / "pg_ctl"), "start", "-w", "-t", "120", "-D", str(cluster.data),
              "-l", str(cluster.log), "-o", f"-h 127.0.0.1 -p {port} -k ''"],
             f"starting the server on 127.0.0.1:{port}", cluster, user)
    values.update({"DATABASE": "postgresql", "POSTGRE_HOST": "127.0.0.1",
                   "POSTGRE_PORT": str(port), "POSTGRE_USER": DB_USER,
                   "POSTGRE_PASSWORD": password, "POSTGRE_NAME": DB_NAME})
    if not values.get("DATABASE_CREATED"):
        done = _run([str(programs / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                     DB_USER, DB_NAME], f"creating the database {DB_NAME}", cluster, user,
                    env_extra={"PGPASSWORD": password}, check=False)
        if done.returncode != 0 and "already exists" not in done.stderr:
            tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
            raise EmbeddedStudioError(f"PostgreSQL: creating the database {DB_NAME} on "
                                      f"127.0.0.1:{port} failed: {tail[0]} (log: {cluster.log})")
        values["DATABASE_CREATED"] = "yes"
    _write_settings(home, values)


def studio_env(values: dict[str, str]) -> dict[str, str]:
    """Label Studio's environment for the cluster described by `values`."""
    return {"DJANGO_DB": "default", **{key: values[key] for key in (
        "POSTGRE_HOST", "POSTGRE_PORT", "POSTGRE_USER", "POSTGRE_PASSWORD", "POSTGRE_NAME")}}


def stop(home: Path) -> bool:
    """Stop the home's cluster (fast shutdown, data kept); returns whether it was running."""
    cluster = Cluster(home)
    if not (cluster.data / "postmaster.pid").exists():
        return False
    user = _run_as()
    done = _run([str(bin_dir() / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(cluster.data)],
                "stopping the server", cluster, user, check=False)
    return done.returncode == 0


def describe(home: Path) -> str:
    """One phrase naming the home's database, e.g. for `workbench studio status`."""
    values = read_settings(home)
    if values.get("DATABASE", "sqlite") != "postgresql":
        return "SQLite (studio-data/label_studio.sqlite3)"
    where = f"127.0.0.1:{values.get('POSTGRE_PORT', '?')}"
    state = "running" if running(home) else "stopped"
    return f"PostgreSQL ({DB_NAME} on {where}, {state}; data in {Cluster(home).data})"
