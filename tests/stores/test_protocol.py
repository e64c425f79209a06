"""The store protocol (`stores/protocol.py`): the local and the Milvus store each implement every
member of `IndexStore` on their own (composition, no base class lending methods), with the
protocol's parameter names; and `IndexBuild` hands a store each passage's vector in order."""

import inspect
from types import SimpleNamespace

import numpy as np
import pytest

from assistant.config import LexicalSettings
from assistant.search.dense import DenseIndex
from assistant.stores.local import LocalStore
from assistant.stores.milvus import MilvusStore
from assistant.stores.protocol import IndexBuild, IndexStore

STORES = [LocalStore, MilvusStore]


def protocol_methods(protocol) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(protocol).items()
            if inspect.isfunction(member) and not name.startswith("_")}


def test_the_protocol_names_what_a_store_must_do():
    assert set(protocol_methods(IndexStore)) == {"manifest_problem", "open", "build", "save", "published", "verify"}
    assert set(IndexStore.__annotations__) == {"kind"}


@pytest.mark.parametrize("store", STORES, ids=lambda store: store.__name__)
def test_each_store_defines_every_protocol_method_with_the_protocols_parameter_names(store):
    for name, signature in protocol_methods(IndexStore).items():
        assert name in vars(store), f"{store.__name__} does not define {name}"
        assert list(inspect.signature(vars(store)[name]).parameters) == list(signature.parameters), \
            f"{store.__name__}.{name}{inspect.signature(vars(store)[name])} is not {name}{signature}"
    assert store.__mro__ == (store, object)  # composition: nothing inherited
    assert isinstance(vars(store)["kind"], str)


def test_the_stores_have_distinct_kinds():
    assert (LocalStore.kind, MilvusStore.kind) == ("local", "milvus")


def test_a_build_takes_kept_vectors_from_the_previous_generation_and_new_ones_in_order():
    old = np.eye(3, 4, dtype=np.float32)
    new = np.full((2, 4), 0.5, dtype=np.float32)
    build = IndexBuild(live=None, previous=SimpleNamespace(dense=DenseIndex.build(old)), keys=["a", "b", "c", "d"],
                       search_texts=["A", "B", "C", "D"], rows=[2, None, 0, None], new_vectors=new,
                       removed_texts=["E"], added_texts=["B", "D"], lexical=LexicalSettings(), exact_search_limit=100)
    assert build.new_passages() == [1, 3] and build.dimension == 4
    np.testing.assert_array_equal(build.all_vectors(), np.stack([old[2], new[0], old[0], new[1]]))
