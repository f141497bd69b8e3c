#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything in release mode
# (the engine's numeric work is too slow to test in debug) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
swift build -c release --build-tests
swift test -c release --skip-build "$@"
