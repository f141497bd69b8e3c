#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything in release mode
# (the engine's numeric work is too slow to test in debug), starts a throwaway
# PostgreSQL server for the store tests (stopped at exit however the suite ends) and
# runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh --tests
swift build -c release --build-tests

# Python tools the tests drive real clients with (selenium for the run browser; Jupyter's
# own client, kernel test suite, notebook runner and converter for the kernel) and the
# references they compare with (arch, with NumPy and SciPy, for the family's multiple-testing
# tests; OSQP and cvxpy for the portfolio optimizer's QP solver), in a virtual environment made
# once per machine from PyPI.
venv="$PWD/.build/test-venv"
if ! "$venv/bin/python" -c "import selenium, jupyter_client, jupyter_kernel_test, nbclient, nbformat, nbconvert, arch, scipy, osqp, cvxpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "selenium>=4.20,<5" "jupyter_client>=8,<9" \
        "jupyter_kernel_test>=0.7,<1" "nbclient>=0.10,<1" "nbformat>=5.10,<6" "nbconvert>=7.16,<8" \
        "arch>=7,<9" "scipy>=1.11,<2" "osqp>=1,<2" "cvxpy>=1.5,<2"
fi
export ALPHALAB_TEST_PYTHON="$venv/bin/python"

postgres=$(mktemp -d /tmp/alphalab-postgres-XXXXXX)
# Every backtest records a trial in the per-user ledger: the tests' go to a scratch folder, never the real home.
XDG_DATA_HOME=$(mktemp -d /tmp/alphalab-ledger-XXXXXX)
export XDG_DATA_HOME
trap 'tools/postgres/local-server.sh stop "$postgres"; rm -rf "$postgres" "$XDG_DATA_HOME"' EXIT
if ! ALPHALAB_TEST_POSTGRES=$(tools/postgres/local-server.sh start "$postgres"); then
    echo "tools/test.sh: cannot start the PostgreSQL server the store tests need (see above)" >&2
    exit 1
fi
export ALPHALAB_TEST_POSTGRES

# The tests run in parallel, many of them training XGBoost in this process or in child
# alphalab processes, each with OpenMP threads for every core. Under that
# oversubscription libgomp's default spin-waiting burns half the CPU; passive waiting
# halved the suite's CPU time and wall time on a 2-core machine (results are the same:
# the thread count does not change). A single run alone is faster with the default.
export OMP_WAIT_POLICY=PASSIVE
swift test -c release --skip-build "$@"
