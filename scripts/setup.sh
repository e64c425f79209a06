#!/usr/bin/env bash
# Create .venv and install the project into it (idempotent). Usage: bash scripts/setup.sh [test]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
extra=""
[ "${1:-}" = "test" ] && extra="[test,scale]"  # the tests cover the optional Ray path too
stamp=".venv/.installed${extra:+-test}"
if [ -f "$stamp" ] && [ ! pyproject.toml -nt "$stamp" ] && [ -x .venv/bin/python ]; then
  exit 0
fi
echo "Đang cài đặt các gói vào .venv (lần đầu mất khoảng 2–3 phút)…"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# pip says only what went wrong: its progress and notices would bury the project's own steps.
pip=(.venv/bin/python -m pip install --quiet --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip
# torch first and pinned: the CPU build; an unpinned resolve would pull a multi-GB CUDA build.
"${pip[@]}" "torch==2.13.0"
"${pip[@]}" -e ".${extra}"
touch "$stamp"
echo "Đã cài đặt xong."
