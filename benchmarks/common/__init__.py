"""Helpers every benchmark shares: the evaluation data and the indexes built from it (`datasets`,
`archives`), timing, percentiles and memory (`measure`), local ports for the benchmarks that serve
something (`ports`), and the JSON record of a run (`records`).
They import the `assistant` package and never the benchmarks themselves."""
