"""Build tools that write the package's data files (`assistant/data/`): the answer confidence
(`fit_confidence`) and the reference document frequencies (`build_reference_idf`). Run them from
the repository root as `python -m tools.NAME`; they read the evaluation data through
`benchmarks.common`."""
