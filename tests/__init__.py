"""The test suite. Its folders mirror the package: `tests/<subpackage>/test_<module>.py` tests
`assistant/<subpackage>/<module>.py`, `tests/ui/` tests `ui/`, and `tests/test_<module>.py` the
top-level modules of `assistant/` (`test_structure.py` keeps the mirror true). Every folder is a
package, so test files of the same name in two folders never collide."""
