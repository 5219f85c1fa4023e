"""`workbench studio up --database postgresql` without a server: its choice, its errors.

The real PostgreSQL is started by tests/test_soak.py (through the command itself).
"""

from __future__ import annotations

import pwd
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from conftest import run_main
from workbench.core.errors import EmbeddedStudioError
from workbench.studio import postgres


def test_missing_programs_say_how_to_install_them(tmp_path):
    with pytest.raises(EmbeddedStudioError) as info:
        postgres.bin_dir(str(tmp_path / "postgresql" / "*" / "bin"))
    message = str(info.value)
    assert "apt-get install postgresql" in message and "\n" not in message


def test_the_newest_version_is_used(tmp_path):
    for version in ("9.6", "15", "13"):
        folder = tmp_path / version / "bin"
        folder.mkdir(parents=True)
        for exe in ("initdb", "pg_ctl", "createdb"):
            (folder / exe).touch()
    (tmp_path / "16" / "bin").mkdir(parents=True)  # incomplete: no programs
    assert postgres.bin_dir(str(tmp_path / "*" / "bin")) == tmp_path / "15" / "bin"


def test_the_command_answers_one_line_when_postgresql_is_missing(workdir, monkeypatch, capsys):
    monkeypatch.setattr(postgres, "BIN_GLOB", str(workdir / "none" / "*" / "bin"))
    code, out, err = run_main(["studio", "up", "--database", "postgresql"], capsys)
    assert code == 7, (out, err)
    assert err.count("\n") == 1 and "apt-get install postgresql" in err
    assert "Traceback" not in err
    assert not (workdir / ".workbench" / "studio-venv").exists()  # nothing installed first


def test_the_choice_is_remembered_privately_with_the_cluster_settings(tmp_path):
    assert postgres.chosen_database(tmp_path) == "sqlite"
    postgres.remember_database(tmp_path, "postgresql")
    assert postgres.chosen_database(tmp_path) == "postgresql"
    settings = tmp_path / postgres.SETTINGS_FILE
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    settings.write_text(settings.read_text() + "POSTGRE_PORT='5999'\nPOSTGRE_PASSWORD='s3'\n")
    postgres.remember_database(tmp_path, "sqlite")
    assert postgres.read_settings(tmp_path) == {"DATABASE": "sqlite", "POSTGRE_PORT": "5999",
                                                 "POSTGRE_PASSWORD": "s3"}
    assert postgres.describe(tmp_path).startswith("SQLite")
    with pytest.raises(EmbeddedStudioError, match="unknown database 'mysql'"):
        postgres.remember_database(tmp_path, "mysql")


def test_a_home_the_system_user_cannot_enter_is_named():
    base = Path(tempfile.mkdtemp(prefix="workbench-reach-"))  # /tmp: others may enter
    closed = base / "closed"
    (closed / "home" / "postgres").mkdir(parents=True)
    base.chmod(0o755)
    closed.chmod(0o700)
    nobody = pwd.struct_passwd(("nobody", "x", 65534, 65534, "", "/", "/bin/false"))
    try:
        with pytest.raises(EmbeddedStudioError) as info:
            postgres._check_reachable(closed / "home" / "postgres", nobody)
        closed.chmod(0o755)
        postgres._check_reachable(closed / "home" / "postgres", nobody)  # open: no error
    finally:
        shutil.rmtree(base)
    assert f"cannot enter {closed.resolve()} (mode 700)" in str(info.value)
