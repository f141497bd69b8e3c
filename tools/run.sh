#!/usr/bin/env bash
# The main job: installs what is missing, builds AlphaLab (release) and runs it on the
# embedded default market: the seed's Phase 1 suite (scripts/ml_improvement_experiments.lua).
# Extra arguments go to the script (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
swift build -c release --product alphalab >&2
exec .build/release/alphalab scripts/ml_improvement_experiments.lua "$@"
