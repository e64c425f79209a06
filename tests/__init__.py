"""The test suite. Its folders mirror the package: `tests/<subpackage>/test_<module>.py` tests
`assistant/<subpackage>/<module>.py`, `tests/ui/` tests `ui/`, and `tests/test_<module>.py` the
top-level modules of `assistant/` (`test_structure.py` keeps the mirror true). Every folder is a
package, so two modules of the same name (`text/sentences.py`, `search/sentences.py`) can each have
their `test_sentences.py`."""
