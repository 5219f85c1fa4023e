"""Where a push segments and predicts when the operator does not say (`default_engine`)."""

from workbench.claims.coldstart import cold_start_model
from workbench.claims.modelfile import Model
from workbench.pipeline.preannotate import default_engine


def test_a_fast_model_pushes_from_this_process():
    # the server's import is the bottleneck: extra processes would only take its CPU
    assert default_engine(None).jobs == 1
    assert default_engine(cold_start_model()).jobs == 1
    assert default_engine(Model(estimator=None, manifest={"options": {}})).jobs == 1


def test_an_embedding_model_uses_every_core():
    model = Model(estimator=None, manifest={"options": {"embeddings": "e5"}})
    engine = default_engine(model)
    assert engine.jobs == -1 and engine.backend == "local"
