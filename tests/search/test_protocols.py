"""The search protocols (`search/protocols.py`): the local indexes (FAISS, bm25s) and their Milvus
counterparts each implement every member of `DenseSearch` and `LexicalSearch`, the methods with the
protocol's parameter names."""

import inspect

import numpy as np
import pytest

from assistant.config import LexicalSettings
from assistant.search.dense import DenseIndex
from assistant.search.lexical import LexicalIndex
from assistant.search.protocols import DenseSearch, LexicalSearch
from assistant.stores.milvus import MilvusDense, MilvusLexical, _Rows


def protocol_methods(protocol) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(protocol).items()
            if inspect.isfunction(member) and not name.startswith("_")}


# One instance of each implementation; the Milvus ones over rows of no collection (never searched here).
IMPLEMENTATIONS = {
    DenseSearch: [lambda: DenseIndex.build(np.eye(2, 4, dtype=np.float32)),
                  lambda: MilvusDense(_Rows(None, ["a", "b"]), 4)],
    LexicalSearch: [lambda: LexicalIndex.build(["Phường Tân Mỹ.", "Giá xăng."], LexicalSettings()),
                    lambda: MilvusLexical(_Rows(None, ["a", "b"]), LexicalSettings(), None)],
}
CASES = [(protocol, make) for protocol, makers in IMPLEMENTATIONS.items() for make in makers]


def test_the_protocols_name_their_members():
    assert (set(protocol_methods(DenseSearch)), set(DenseSearch.__annotations__)) == \
        ({"search", "similarities", "vectors"}, {"size", "dimension"})
    assert (set(protocol_methods(LexicalSearch)), set(LexicalSearch.__annotations__)) == \
        ({"search", "idf"}, {"settings", "size"})


@pytest.mark.parametrize("protocol, make", CASES, ids=["DenseIndex", "MilvusDense", "LexicalIndex", "MilvusLexical"])
def test_each_index_implements_every_member_of_its_protocol(protocol, make):
    index = make()
    for name, signature in protocol_methods(protocol).items():
        method = vars(type(index)).get(name)
        assert method is not None, f"{type(index).__name__} does not define {name}"
        assert list(inspect.signature(method).parameters) == list(signature.parameters), name
    for name in protocol.__annotations__:
        assert hasattr(index, name), f"{type(index).__name__} has no {name}"
    assert index.size == 2
