"""The Label Studio ML backend over HTTP: live predictions, background retraining, versions.

Built by `create_app(...)` from explicit arguments: no module-level model, no settings read
from the environment. Speaks the protocol of Label Studio 1.23's `ml/api_connector.py`:
GET /health (and /), POST /setup, POST /predict, POST /webhook, GET /versions.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from workbench.backend import learning
from workbench.backend.service import Backend, BadRequest, project_id
from workbench.claims.classifier import load_model, load_training_data
from workbench.core.errors import WorkbenchError
from workbench.studio.labelconfig import FROM_NAME, TO_NAME

__all__ = ["create_app", "project_id", "serve", "start_in_thread", "RunningServer"]


# -- HTTP ---------------------------------------------------------------------------------------

def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"status": "error", "error": message}, status_code=status)


def _authorized(request: Request, basic_auth: tuple[str, str] | None) -> bool:
    if not basic_auth:
        return True
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return (secrets.compare_digest(user.encode(), basic_auth[0].encode())
            & secrets.compare_digest(password.encode(), basic_auth[1].encode()))


async def _json_body(request: Request, required: bool = True) -> dict:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise BadRequest("empty body; send a JSON object")
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"body is not valid JSON ({exc})") from None
    if not isinstance(body, dict):
        raise BadRequest(f"body must be a JSON object, not {type(body).__name__}")
    return body


def create_app(model_path: Path, *, project: int | None = None, studio=None,
               basic_auth: tuple[str, str] | None = None, retrain_every: int = 10,
               models_dir: Path | None = None, keep: int = 3, heldout_fraction: float = 0.2,
               min_heldout: int = 4, tolerance: float = 0.0, refresh: bool = True,
               from_name: str = FROM_NAME, to_name: str = TO_NAME,
               on_training: Callable[[int, dict], None] | None = None) -> Starlette:
    """The ML backend app for one base model (hash-checked on load).

    `project` binds training to one project id; `studio` (a `workbench.studio.client.Studio`) is needed
    to pull annotations and publish versions; `models_dir` keeps the last `keep` versions and
    every version's card; training starts after `retrain_every` annotation events or on
    START_TRAINING; `on_training(project_id, entry)` hears of every run's outcome.
    """
    base = load_model(Path(model_path))
    base_records = load_training_data(Path(model_path), base.manifest)
    store = learning.ModelStore(Path(models_dir), keep=keep) if models_dir else None
    if store:
        store.record_base(Path(model_path))
    backend = Backend(base, project=project, studio=studio, basic_auth=basic_auth,
                      retrain_every=retrain_every, store=store, heldout_fraction=heldout_fraction,
                      min_heldout=min_heldout, tolerance=tolerance, refresh=refresh,
                      from_name=from_name, to_name=to_name, on_training=on_training,
                      base_records=base_records)

    def endpoint(handler, needs_body: bool = True, body_required: bool = True):
        async def run(request: Request):
            if not _authorized(request, backend.basic_auth):
                return JSONResponse({"status": "error", "error": "authentication required"},
                                    status_code=401,
                                    headers={"WWW-Authenticate": 'Basic realm="workbench"'})
            try:
                body = await _json_body(request, body_required) if needs_body else {}
                return JSONResponse(await run_in_threadpool(handler, request, body))
            except BadRequest as exc:
                return _error(str(exc), exc.status)
            except WorkbenchError as exc:  # Label Studio or a model file failed: say which
                return _error(str(exc), 502)
        return run

    def health(request, body):
        return {"status": "UP", "model_class": "workbench claim classifier",
                "model_version": backend.base.version, "project": backend.project,
                "labels": backend.base.model.labels, "training": backend.studio is not None,
                "uptime_seconds": round(time.time() - backend.started, 1)}

    def versions(request, body):
        pid = project_id(request.query_params.get("project") or body.get("project"))
        return backend.versions(pid if pid is not None else backend.project)

    app = Starlette(routes=[
        Route("/", endpoint(health, needs_body=False), methods=["GET"]),
        Route("/health", endpoint(health, needs_body=False), methods=["GET"]),
        Route("/setup", endpoint(lambda r, b: backend.setup(b)), methods=["POST"]),
        Route("/predict", endpoint(lambda r, b: backend.predict(b)), methods=["POST"]),
        Route("/webhook", endpoint(lambda r, b: backend.webhook(b)), methods=["POST"]),
        Route("/versions", endpoint(versions, body_required=False), methods=["GET", "POST"]),
    ])
    app.state.backend = backend
    return app


# -- running it ---------------------------------------------------------------------------------

@dataclass
class RunningServer:
    """A backend served by uvicorn in a thread (tests, benchmarks); `stop()` ends it."""

    url: str
    server: object
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def start_in_thread(app, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0,
                    log_level: str = "warning") -> RunningServer:
    """Serve `app` with uvicorn in a daemon thread and wait until it accepts connections."""
    import socket

    import uvicorn

    if port == 0:
        with socket.socket() as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"backend-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the backend did not start on {host}:{port}")
        time.sleep(0.02)
    return RunningServer(f"http://{host}:{port}", server, thread)


def serve(app, host: str = "127.0.0.1", port: int = 9090, log_level: str = "info") -> None:
    """Serve until interrupted (the `workbench serve` command)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level=log_level, lifespan="off")
