"""Shell-sourceable KEY='value' files: the embedded server's settings, mode 0600 (they hold keys)."""

from __future__ import annotations

from pathlib import Path

from workbench.core.files import write_text

__all__ = ["read_env_file", "write_env_file"]


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=value lines (the studio.env format); a missing file reads as empty."""
    values: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def write_env_file(path: Path, values: dict[str, str], *,
                   header: str = "Label Studio used by the workbench") -> None:
    """Write shell-sourceable KEY='value' lines, mode 0600 (it holds the key), atomically."""
    lines = [f"# {header} (written by `workbench studio up`)\n"]
    lines += [f"{key}='{value}'\n" for key, value in values.items()]
    write_text(path, "".join(lines), private=True)
