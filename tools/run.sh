#!/usr/bin/env bash
# The main job: installs what is missing, builds AlphaLab (release) and runs it on the
# embedded default market. Extra arguments go to `alphalab market`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
swift build -c release --product alphalab >&2
exec .build/release/alphalab market "$@"
