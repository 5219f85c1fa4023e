"""Claim annotation workbench for fact-checking teams, on top of Label Studio.

The public API is the verbs of `workbench.api` (each `workbench` command calls one):
`open_studio`, `segment`, `write_sentences`, `push`, `pull`, `train`, `evaluate`,
`preannotate`, `load_model`, `queue`, `connect`, `projects`, `delete_project`, `team_add`,
`team_list`, `agreement`, `adjudicate`.
"""

from workbench.api import (
    adjudicate,
    agreement,
    connect,
    delete_project,
    evaluate,
    load_model,
    open_studio,
    preannotate,
    projects,
    pull,
    push,
    queue,
    segment,
    team_add,
    team_list,
    train,
    write_sentences,
)
from workbench.core.version import VERSION as __version__

__all__ = ["__version__", "adjudicate", "agreement", "connect", "delete_project", "evaluate",
           "load_model", "open_studio", "preannotate", "projects", "pull", "push", "queue",
           "segment", "team_add", "team_list", "train", "write_sentences"]
