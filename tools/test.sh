#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything in release mode
# (the engine's numeric work is too slow to test in debug) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
swift build -c release --build-tests
# The tests run in parallel, many of them training XGBoost in this process or in child
# alphalab processes, each with OpenMP threads for every core. Under that
# oversubscription libgomp's default spin-waiting burns half the CPU; passive waiting
# halved the suite's CPU time and wall time on a 2-core machine (results are the same:
# the thread count does not change). A single run alone is faster with the default.
export OMP_WAIT_POLICY=PASSIVE
swift test -c release --skip-build "$@"
