"""Reference figures for AlphaLab's family tests (Tests/AlphaLabTests/FamilyTestsTests.swift).

Reads a CSV of differentials (one column per strategy, one row per period: each strategy's
return minus the benchmark's) and prints JSON with:
  - arch.bootstrap.SPA on losses (benchmark losses 0, model losses -d): the largest mean
    differential, the kernel variances, and the lower / consistent / upper p-values;
  - arch.bootstrap.StepM's superior models at size 0.05;
  - an independent NumPy implementation of the CSCV probability of backtest overfitting
    (Bailey, Borwein, Lopez de Prado and Zhu 2015), written from the paper;
  - Harvey-Liu-Zhu's adjusted p-values (Bonferroni, Holm, BHY) and haircut Sharpe ratios of
    one strategy, written from the papers.

usage: family_tests.py CSV REPS BLOCK SEED JUDGED PERIODS_PER_YEAR
"""
import itertools
import json
import math
import sys

import numpy as np
from arch.bootstrap import SPA, StepM
from scipy.stats import norm


def cscv(m, blocks=16):
    t, n = m.shape
    size = t // blocks
    skip = t - size * blocks
    parts = [m[skip + b * size: skip + (b + 1) * size] for b in range(blocks)]

    def sharpe(rows):
        mean = rows.mean(axis=0)
        sd = rows.std(axis=0, ddof=1)
        return np.where(sd > 0, mean / np.where(sd > 0, sd, 1), 0.0)

    logits = []
    for chosen in itertools.combinations(range(blocks), blocks // 2):
        rest = [b for b in range(blocks) if b not in chosen]
        ins = sharpe(np.vstack([parts[b] for b in chosen]))
        oos = sharpe(np.vstack([parts[b] for b in rest]))
        best = int(np.argmax(ins))  # first on a tie
        rank = 1 + int(np.sum(oos < oos[best]))
        omega = rank / (n + 1)
        logits.append(math.log(omega / (1 - omega)))
    logits = np.array(logits)
    return float(np.mean(logits <= 0)), float(np.mean(logits)), len(logits)


def haircut(d, judged, per_year):
    t = d.shape[0]
    sr = d.mean(axis=0) / d.std(axis=0, ddof=1)
    tstat = sr * math.sqrt(t)
    p = 2 * (1 - norm.cdf(np.abs(tstat)))
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    pos = order.index(judged)
    bonferroni = min(1.0, m * p[judged])
    holm = max(min(1.0, (m - i) * p[order[i]]) for i in range(pos + 1))
    c = sum(1.0 / i for i in range(1, m + 1))
    bhy = min(min(1.0, m * c * p[order[i]] / (i + 1)) for i in range(pos, m))
    out = {}
    for name, q in (("Bonferroni", bonferroni), ("Holm", holm), ("BHY", bhy)):
        tq = 0.0 if q >= 1 else norm.ppf(1 - q / 2)
        out[name] = {"p": q, "sharpe": math.copysign(1, sr[judged]) * tq / math.sqrt(t) * math.sqrt(per_year)}
    return out


def main():
    path, reps, block, seed, judged, per_year = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    d = np.loadtxt(path, delimiter=",", ndmin=2)
    benchmark = np.zeros(d.shape[0])
    spa = SPA(benchmark, -d, block_size=block, reps=reps, bootstrap="stationary", seed=seed)
    spa.compute()
    step = StepM(benchmark, -d, size=0.05, block_size=block, reps=reps, bootstrap="stationary", seed=seed)
    step.compute()
    pbo, logit, splits = cscv(d)
    print(json.dumps({
        "statistic": float(spa._loss_diff.mean(axis=0).max()),
        "variances": [float(v) for v in spa._loss_diff_var],
        "pvalues": {k: float(v) for k, v in spa.pvalues.items()},
        "superior": [int(i) for i in step.superior_models],
        "pbo": pbo, "mean_logit": logit, "splits": splits,
        "haircut": haircut(d, judged, per_year),
    }))


main()
