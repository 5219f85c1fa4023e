"""Where the classes of models pickled by earlier layouts of the package live now.

A saved model is a pickle, which names each class by module and name. Classes moved:
from the flat package (`workbench.features`, `workbench.rules`) into `workbench.claims`,
then out of `workbench.claims.features` when it was split by job. `install_legacy_modules`
puts a stand-in module under each old name that is no longer a module into `sys.modules`,
holding the classes under their old names, so `joblib.load` finds them.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

_FEATURES = {
    "ClaimClassifier": "workbench.claims.estimator",
    "ViewEnsemble": "workbench.claims.estimator",
    "CueFeatures": "workbench.claims.textfeatures",
    "TextField": "workbench.claims.textfeatures",
    "WordCharNgrams": "workbench.claims.textfeatures",
    "SentenceEmbeddings": "workbench.claims.embeddings",
}

# Old module -> {class name: the module that holds the class now}.
LEGACY_CLASSES: dict[str, dict[str, str]] = {
    "workbench.features": _FEATURES,
    "workbench.claims.features": _FEATURES,
    "workbench.rules": {"RuleClassifier": "workbench.claims.rules"},
    "workbench.compiled": {"CompiledClassifier": "workbench.claims.compiled"},
}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def install_legacy_modules() -> None:
    """Make the old module names of `LEGACY_CLASSES` resolve to the classes' new homes.

    Idempotent and safe from several threads; a name that is a real module again is left alone.
    """
    for old, classes in LEGACY_CLASSES.items():
        if old in sys.modules or _is_module(old):
            continue
        stand_in = types.ModuleType(old, f"Stand-in for the former module {old} (see {__name__}).")
        for name, home in classes.items():
            setattr(stand_in, name, getattr(importlib.import_module(home), name))
        sys.modules.setdefault(old, stand_in)
