"""e5 vectors kept on disk (one .npy per text, keyed by its sha256): each text is embedded once
across benchmark runs. Used by bench_cascade.py and bench_adapt.py."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from workbench.claims.embeddings import EmbeddingCache

CACHE_DIR = Path(os.environ.get("WORKBENCH_BENCH_CACHE", "/tmp/cascade")) / "e5"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


class DiskCache(EmbeddingCache):
    """An `EmbeddingCache` whose e5 vectors are read from and written to `CACHE_DIR`."""

    def __init__(self, folder: Path = CACHE_DIR):
        super().__init__()
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.encoded = 0  # texts this process ran through the encoder

    def vectors(self, texts: list[str]) -> np.ndarray:
        """The e5 vectors of `texts`, from disk when there, encoded (and stored) otherwise."""
        return self.embed("e5", texts)

    def embed(self, name: str, texts: list[str]) -> np.ndarray:
        if name != "e5":
            return super().embed(name, texts)
        missing = []
        for t in dict.fromkeys(texts):
            if ("e5", t) in self._vectors:
                continue
            path = self.folder / (_key(t) + ".npy")
            if path.exists():
                self._vectors["e5", t] = np.load(path)
            else:
                missing.append(t)
        if missing:
            vectors = self.encoder("e5")(missing)
            self.encoded += len(missing)
            for t, v in zip(missing, vectors):
                self._vectors["e5", t] = v
                tmp = self.folder / (_key(t) + ".tmp.npy")
                np.save(tmp, v)
                tmp.replace(self.folder / (_key(t) + ".npy"))
        return np.stack([self._vectors["e5", t] for t in texts])
