"""Tests of `assistant.embed.backend`: the bundled model's conversion, ONNX graphs and tokenizer."""
