#!/usr/bin/env bash
# Install (first run only), build the index of the bundled articles (first run only) and start the
# chat: http://127.0.0.1:7860. Arguments go to `assistant chat` (e.g. --users users.json --host 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
own_index=""
for argument in "$@"; do
  [ "$argument" = "--index-dir" ] || [[ "$argument" == --index-dir=* ]] && own_index=1
done
if [ -z "$own_index" ] && [ -z "${ASSISTANT_INDEX_DIR:-}" ] && [ ! -f index/CURRENT ]; then
  echo "Đang tạo chỉ mục từ các bài báo trong documents/ (lần đầu, khoảng một phút)…"
  .venv/bin/assistant index --quiet >/dev/null
fi
echo "Đang khởi động trang hỏi đáp…"
exec .venv/bin/assistant chat "$@"
