"""Members of a Label Studio organisation: list, create, check the key is an admin's, passwords.

Label Studio Community's /api/users/ creates an account without a password, and its API has
no call to set one; on the embedded server (whose database is ours) a new member's password
is set by a short Python run inside Label Studio's own virtualenv, the password passed on
standard input (never on the command line, where `ps` shows it). On another server the
organisation's invite link lets people sign up with a password of their own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from typing import TYPE_CHECKING

from workbench.core.errors import ConfigError, EmbeddedStudioError, StudioAuthError, StudioError

if TYPE_CHECKING:
    from workbench.studio.client import Studio
    from workbench.studio.local import StudioHome

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Run by the embedded server's Python: sets each {"email", "password"} read from stdin.
_SET_PASSWORDS = r"""
import json, os, sys
import label_studio
sys.path.insert(0, os.path.dirname(label_studio.__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "label_studio.core.settings.label_studio")
import django
django.setup()
from users.models import User
done = []
for line in sys.stdin:
    item = json.loads(line)
    user = User.objects.filter(email=item["email"]).first()
    if user is not None:
        user.set_password(item["password"])
        user.save(update_fields=["password"])
        done.append(item["email"])
print("\n" + json.dumps(done))
"""


def check_email(email: str) -> str:
    """The email, stripped; a ConfigError naming it when it is not an address."""
    email = email.strip()
    if not EMAIL.match(email):
        raise ConfigError(f"{email!r} is not an email address; give each person's address, "
                          f"e.g. ana@example.org")
    return email


def members(studio: Studio) -> list[dict]:
    """The organisation's members: [{"id", "email"}], by id."""
    users = studio.call("list the organisation's members", studio.sdk.users.list)
    return sorted(({"id": u.id, "email": u.email or ""} for u in users), key=lambda u: u["id"])


def member_names(studio: Studio) -> dict[str, str]:
    """User id (as exports write it, a string) -> email."""
    return {str(m["id"]): m["email"] for m in members(studio) if m["email"]}


def member_id(studio: Studio, email: str) -> int:
    """The id of the member with this email; a clear error when nobody has it."""
    found = {m["email"].lower(): m["id"] for m in members(studio)}
    if email.strip().lower() not in found:
        raise ConfigError(f"no member {email!r} on Label Studio at {studio.url} (members: "
                          f"{', '.join(sorted(found)) or 'none'}); check the address or add "
                          f"them with `workbench team add {email}`")
    return found[email.strip().lower()]


def check_admin(studio: Studio) -> dict:
    """The key's user, when it may manage members; a StudioAuthError otherwise.

    Community Edition has no roles (its API lets every member create accounts), so the
    workbench leaves members to the organisation's owner, as Label Studio leaves removing
    them; other editions say in the user's permissions whether they may change the organisation.
    """
    me = studio.call("check the API key", studio.sdk.users.whoami).dict()
    version = studio.call("read the server version", studio.sdk.versions.get).dict()
    owner = (me.get("active_organization_meta") or {}).get("email")
    if str(version.get("edition") or "Community") == "Community":
        allowed = bool(owner) and owner == me.get("email")
    else:
        allowed = "organizations.change" in (me.get("permissions") or [])
    if not allowed:
        raise StudioAuthError(
            f"the API key belongs to {me.get('email')!r}, not an admin of the organisation on "
            f"{studio.url}" + (f" (its owner is {owner})" if owner else "") + "; set "
            f"LABEL_STUDIO_API_KEY to the owner's key (Account & Settings) to manage the team")
    return me


def create_member(studio: Studio, email: str) -> dict:
    """Create an account (no password: see the module) in the key's organisation."""
    try:
        user = studio.call(f"create the account {email}", studio.sdk.users.create,
                           email=email, username=email)
    except StudioAuthError:
        raise StudioAuthError(f"Label Studio at {studio.url} refused to create {email}: the "
                              f"API key is not an admin's; set LABEL_STUDIO_API_KEY to the "
                              f"organisation owner's key") from None
    return {"id": user.id, "email": user.email}


def invite_link(studio: Studio) -> str:
    """The organisation's sign-up link (whoever has it can join the organisation)."""
    invite = studio.call("read the organisation's invite link",
                         studio.sdk.organizations.invites.get_invite_link)
    return studio.url + invite.invite_url


def set_passwords(home: StudioHome, passwords: Mapping[str, str]) -> list[str]:
    """Set passwords on the embedded server ({email: password}); returns the emails set.

    The passwords go through standard input of one Python run in Label Studio's virtualenv,
    on the server's database (SQLite in its data folder, or the home's PostgreSQL): never on a
    command line.
    """
    from workbench.studio import postgres

    if not passwords:
        return []
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["LABEL_STUDIO_BASE_DATA_DIR"] = str(home.data)
    if postgres.chosen_database(home.root) == "postgresql":  # the server's own database
        env.update(postgres.studio_env(postgres.read_settings(home.root)))
    stdin = "".join(json.dumps({"email": e, "password": p}) + "\n" for e, p in passwords.items())
    try:
        done = subprocess.run([str(home.venv / "bin" / "python"), "-c", _SET_PASSWORDS],
                              input=stdin, capture_output=True, text=True, env=env,
                              cwd=str(home.root), timeout=300, start_new_session=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EmbeddedStudioError(f"could not run Label Studio's Python in {home.venv} to set "
                                  f"passwords ({type(exc).__name__}); run `workbench studio "
                                  f"install`, then `workbench team add --new-password ...`") from None
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if done.returncode == 0 and lines else None
    except ValueError:
        result = None
    if not isinstance(result, list):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        raise StudioError(f"setting passwords on the embedded Label Studio in {home.root} "
                          f"failed ({tail}); re-run `workbench team add --new-password ...`")
    return result
