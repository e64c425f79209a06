"""The web chat and its JSON API, on one server (see `ui.server.launch`).

`app` is the chat's logic without Gradio (answers, uploads, removals); `render` its HTML;
`page` the Gradio page; `api` the JSON API; `users` the users file; `auth` who may do what
(logins, sessions, roles, rate limit); `vietnamese` Vietnamese for Gradio's own strings;
`server` the FastAPI app holding them all, served by uvicorn.

May import: every subpackage of `assistant` (it is an interface, like `assistant.cli`).
"""
