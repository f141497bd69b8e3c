"""Reference solutions for AlphaLab's QP solver (Tests/AlphaLabTests/QuadraticProgramTests.swift).

Reads a JSON list of problems {p (row-major), q, a, lower, upper} (minimise 1/2 x'Px + q'x subject to
lower <= Ax <= upper; infinite bounds as null) and prints a JSON list with, for each, the
optimal objective from cvxpy (Clarabel, an interior-point solver, tight tolerances) and from
OSQP itself (polished, tight tolerances), and each solver's status. A problem may add a norm
bound, "ball": {b (a matrix), center, radius} for ||b x - center||_2 <= radius (a second-order
cone, for AlphaLab's tracking-error limit): then cvxpy alone solves it (OSQP takes no cones;
its status is "not run").

usage: quadratic_programs.py PROBLEMS.json
"""
import json
import sys

import cvxpy as cp
import numpy as np
import osqp
from scipy import sparse


def bounds(values, fill):
    return np.array([fill if v is None else v for v in values], dtype=float)


def solve(problem):
    q = np.array(problem["q"], dtype=float)
    p = np.array(problem["p"], dtype=float).reshape(q.size, q.size)
    a = np.array(problem["a"], dtype=float)
    lower = bounds(problem["lower"], -np.inf)
    upper = bounds(problem["upper"], np.inf)
    n = q.size

    x = cp.Variable(n)
    p_sym = (p + p.T) / 2
    constraints = []
    for row, lo, up in zip(a, lower, upper):
        if np.isfinite(lo) and np.isfinite(up) and lo == up:
            constraints.append(row @ x == lo)
            continue
        if np.isfinite(lo):
            constraints.append(row @ x >= lo)
        if np.isfinite(up):
            constraints.append(row @ x <= up)
    ball = problem.get("ball")
    if ball is not None:
        b = np.array(ball["b"], dtype=float)
        constraints.append(cp.norm(b @ x - np.array(ball["center"], dtype=float), 2) <= ball["radius"])
    objective = cp.Minimize(0.5 * cp.quad_form(x, p_sym, assume_PSD=True) + q @ x)
    program = cp.Problem(objective, constraints)
    # A cone's interior-point steps stall short of 1e-12: 1e-9 is as tight as Clarabel reaches there.
    tolerance = 1e-12 if ball is None else 1e-9
    program.solve(solver=cp.CLARABEL, tol_gap_abs=tolerance, tol_gap_rel=tolerance, tol_feas=tolerance)
    cvxpy = {
        "cvxpy_status": program.status,
        "cvxpy_objective": None if program.value is None or not np.isfinite(program.value) else float(program.value),
    }
    if ball is not None:
        return {**cvxpy, "osqp_status": "not run", "osqp_objective": None}

    solver = osqp.OSQP()
    solver.setup(P=sparse.csc_matrix(np.triu(p_sym)), q=q, A=sparse.csc_matrix(a), l=lower, u=upper,
                 eps_abs=1e-10, eps_rel=1e-10, max_iter=200000, polishing=True, verbose=False)
    result = solver.solve()
    return {
        **cvxpy,
        "osqp_status": result.info.status,
        "osqp_objective": None if result.x is None or result.x[0] is None else float(result.info.obj_val),
    }


def main():
    with open(sys.argv[1]) as f:
        problems = json.load(f)
    print(json.dumps([solve(problem) for problem in problems]))


main()
