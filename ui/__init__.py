"""The web chat: a Gradio app over an `Assistant` (see `ui.app.launch`)."""
