"""Text: Vietnamese as the assistant reads it, model-free and stateless.

Normalisation (NFC, tone marks, accent folding, matching tokens), sentences, word lists, language,
the indexed terms, diacritic restoration, what a question asks for (answer types), and the
reference IDF of real news. Everything else reads text through this package.

May import: the base modules (`config`, `errors`, `results`) only.
"""
