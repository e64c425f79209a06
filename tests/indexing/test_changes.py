"""What invalidates an index (`indexing/changes.py`): another model re-embeds every passage."""

from assistant import Assistant
from assistant.testing import HashingEmbedder

PASSAGES_IN_SEED = 11


def test_changed_model_rebuilds_everything(tmp_path, corpus_dir):
    Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())

    class OtherModel(HashingEmbedder):
        model_id = "another-model"

    embedder = OtherModel()
    reopened = Assistant.open(tmp_path / "index", embedder=embedder)
    assert len(embedder.embedded_texts) == PASSAGES_IN_SEED
    assert reopened.snapshot.manifest["model"]["id"] == "another-model"
