"""Tests of `ui`: the chat's HTML rendering, its handlers, the served app and a real browser."""
