"""Choosing the store (`stores/factory.py`): the local store by default; the Milvus store when the
settings say so, which can still read a local index (the next update moves it)."""

from assistant.config import Settings
from assistant.stores.factory import open_index_directory
from assistant.stores.local import LocalStore
from assistant.stores.milvus import MilvusStore


def test_the_settings_choose_the_store_and_the_stores_that_can_read(tmp_path):
    local = open_index_directory(tmp_path / "index", Settings())
    assert isinstance(local.store, LocalStore) and set(local.readers) == {"local"}
    assert local.directory == tmp_path / "index"
    milvus = open_index_directory(tmp_path / "index", Settings(store="milvus"))
    assert isinstance(milvus.store, MilvusStore) and set(milvus.readers) == {"milvus", "local"}
    assert milvus.store.uri == str(tmp_path / "index" / "milvus.db")  # Milvus Lite in the index directory
    remote = Settings(store="milvus", milvus_uri="http://milvus.example:19530")
    assert open_index_directory(tmp_path / "index", remote).store.uri == "http://milvus.example:19530"
