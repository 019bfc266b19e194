#!/usr/bin/env bash
# Quick start: install, ingest the bundled sample gazettes into the embedded SQLite store,
# print what the library holds, then serve the web UI (Ctrl-C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/zhengce demo
if .venv/bin/zhengce serve --help >/dev/null 2>&1 && [ -z "${ZHENGCE_NO_SERVE:-}" ]; then
  .venv/bin/zhengce serve
fi
