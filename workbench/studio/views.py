"""Data Manager tabs ("views") of a Label Studio project, found and refreshed by title."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.studio.client import Studio


def list_views(studio: Studio, pid: int) -> list[dict]:
    """The Data Manager tabs of a project (their `data` holds title, filters, ordering)."""
    return [view.dict() for view in studio.call(f"list tabs of project {pid}",
                                                studio.sdk.views.list, project=pid)]


def ensure_view(studio: Studio, pid: int, title: str, data: dict, initial: dict | None = None) -> int:
    """Create or refresh a Data Manager tab by title; returns its id.

    A tab that already holds `data` is left alone (no request). `initial` settings (such as
    hidden columns) are given to a new tab only: a tab's own, as its users left them, stay.
    """
    body = {**data, "title": title}
    for view in list_views(studio, pid):
        current = view.get("data") or {}
        if current.get("title") == title:
            if all(current.get(key) == value for key, value in body.items()):
                return view["id"]
            kept = {key: current[key] for key in (initial or {}) if key in current}
            # the whole of `data` is sent, so the PATCH is safe to retry
            studio.call(f"update tab {title!r}", studio.sdk.views.update, id=str(view["id"]),
                        project=pid, data={**(initial or {}), **kept, **body})
            return view["id"]
    view = studio.call(f"create tab {title!r}", studio.sdk.views.create, project=pid,
                       data={**(initial or {}), **body})
    return view.id
