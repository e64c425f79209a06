#!/usr/bin/env bash
# Install (first run only) and start the chat on the bundled article: http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/assistant chat "$@"
