"""Answer: the assistant a user talks to.

`assistant.Assistant` opens an index and answers; `cleaning` cleans what was typed;
`conversation` rewrites a follow-up into a standalone question (with `references`,
`demonstratives`, `things` and `turns`); `retrieval` searches a loaded generation and judges the
answer's status; `reading` chooses the answering sentence and its short answer (with `shares`,
`candidates`, `clauses`, `focus`, `relations` and `fits`); `llm` lets an optional OpenAI-compatible server
phrase the answer, shown only when its citations hold.

May import: every other subpackage of `assistant`; nothing imports it but the interfaces.
"""
