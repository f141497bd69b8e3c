import AlphaLab
import Foundation
import Testing

/// The factor-structured QP solver (``FactorQuadraticProgram``: ADMM with the reduced
/// system solved by blocks and the Woodbury identity) against the dense solver (itself
/// checked against OSQP and cvxpy), on random portfolio problems of the shapes the
/// optimizer poses: long-only books with sector bands, beta and turnover rows, and
/// dollar-neutral long-short books with gross exposure.
@Suite("Factor-structured quadratic programs")
struct FactorQuadraticProgramTests {
    /// A random portfolio problem of `m` names and `k` factors: long-only or long-short.
    static func problem(_ random: inout RandomSource, longShort: Bool) -> FactorQuadraticProgram {
        let m = 10 + Int(random.uniform() * 30), k = 2 + Int(random.uniform() * 4)
        let n = (longShort ? 3 : 2) * m
        var loadings = [Double](repeating: 0, count: n * k)
        for i in 0..<m { for a in 0..<k { loadings[i * k + a] = random.normal() } }
        // G = L Lᵀ, positive semi-definite.
        let l = (0..<(k * k)).map { _ in random.normal() * 0.1 }
        var g = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { for c in 0..<k { g[a * k + b] += l[a * k + c] * l[b * k + c] } } }
        let w0 = (0..<m).map { _ in random.uniform() < 0.3 ? (longShort ? random.normal() * 0.05 : random.uniform() * 0.1) : 0 }
        var program = FactorQuadraticProgram(
            diagonal: (0..<n).map { $0 < m ? 0.01 + random.uniform() * 0.05 : 0 }, loadings: loadings, factorCount: k, factorMatrix: g,
            q: (0..<m).map { _ in -random.normal() * 0.02 } + (0..<m).map { _ in 0.001 + random.uniform() * 0.004 }
                + (longShort ? [Double](repeating: 0, count: m) : []))
        let names = Array(0..<m), cap = longShort ? 0.15 : 0.1 + random.uniform() * 0.1
        if longShort {
            program.constrain("dollar neutral", names, names.map { _ in 1 }, 0, 0)
            program.constrain("gross", names.map { 2 * m + $0 }, names.map { _ in 1 }, -.infinity, 2)
        } else {
            program.constrain("budget", names, names.map { _ in 1 }, 1, 1)
        }
        for i in 0..<m {
            program.constrain("position", [i], [1], longShort ? -cap : 0, cap)
            program.constrain("turnover", [m + i, i], [1, -1], -w0[i], .infinity)
            program.constrain("turnover", [m + i, i], [1, 1], w0[i], .infinity)
            if longShort {
                program.constrain("gross", [2 * m + i, i], [1, -1], 0, .infinity)
                program.constrain("gross", [2 * m + i, i], [1, 1], 0, .infinity)
            }
        }
        program.constrain("max_turnover", names.map { m + $0 }, names.map { _ in 0.5 }, -.infinity, 0.6)
        program.constrain("beta", names, names.map { loadings[$0 * k] }, -0.05, 0.05)
        let sectors = names.map { _ in Int(random.uniform() * 3) }
        for s in 0..<3 {
            let members = names.filter { sectors[$0] == s }
            let share = longShort ? 0 : Double(members.count) / Double(m)
            program.constrain("sector \(s)", members, members.map { _ in 1 }, share - 0.1, share + 0.1)
        }
        return program
    }

    @Test("On 60 random long-only and long-short books: the dense solver's objective within 1e-6 (relative), constraints within 1e-6, infeasible alike")
    func matchesDense() {
        var random = RandomSource(seed: 2026)
        var worstGap = 0.0, worstViolation = 0.0, solved = 0
        for trial in 0..<60 {
            let program = Self.problem(&random, longShort: trial % 2 == 1)
            let fast = program.solve(), reference = program.dense.solve()
            #expect(fast.status == reference.status, "\(trial): \(fast.status) against \(reference.status)")
            guard fast.status == .solved, reference.status == .solved else { continue }
            solved += 1
            let gap = abs(fast.objective - reference.objective) / max(1, abs(reference.objective))
            worstGap = max(worstGap, gap)
            worstViolation = max(worstViolation, program.violation(fast.x))
        }
        print("factor QP against the dense solver: \(solved) solved, worst objective gap \(worstGap), worst violation \(worstViolation)")
        #expect(solved >= 50 && worstGap < 1e-6 && worstViolation < 1e-6)
    }

    @Test("Under a norm bound (a tracking-error limit's shape): on 40 random long-only books, cvxpy's objective within 1e-6 (relative), the bound and the rows kept within 1e-7; never solved where cvxpy finds none")
    func normBoundsAgainstCvxpy() throws {
        var random = RandomSource(seed: 4242)
        var problems: [(program: FactorQuadraticProgram, base: FactorQuadraticProgram, ball: [[Double]], center: [Double], radius: Double)] = []
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        for _ in 0..<40 {
            var program = Self.problem(&random, longShort: false)
            let k = program.factorCount, m = program.variables / 2
            // The bound: ‖(L'V'x - c, √d x)‖ ≤ r, L random, r a fraction of the free book's distance.
            let exposures = (0..<k).map { _ in (0..<k).map { _ in random.normal() * 0.3 } }
            let specific = (0..<m).map { _ in (random.uniform() * 0.04).squareRoot() }
            let center = (0..<k).map { _ in random.normal() * 0.05 } + [Double](repeating: 0, count: m)
            let free = program.solve()
            let rows = (0..<m).map { FactorQuadraticProgram.Row(indices: [$0], values: [specific[$0]]) }
            var dense = [[Double]]()
            for a in exposures {
                dense.append((0..<program.variables).map { i in i < m ? (0..<k).reduce(0) { $0 + program.loadings[i * k + $1] * a[$1] } : 0 })
            }
            for i in 0..<m { dense.append((0..<program.variables).map { $0 == i ? specific[i] : 0 }) }
            let distance = zip(dense, center).map { row, c in dot(row, free.x) - c }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let radius = distance * (0.5 + 0.4 * random.uniform())
            let base = program
            program.constrainNorm("tracking", exposures: exposures, rows: rows, center: center, radius: radius)
            problems.append((program, base, dense, center, radius))
        }
        let references = try QuadraticProgramTests.references(problems.map(\.base.dense), balls: problems.map { ($0.ball, $0.center, $0.radius) })
        var worstGap = 0.0, worstViolation = 0.0, solved = 0, binding = 0, certified = 0, uncertified = 0
        for ((program, _, _, _, _), reference) in zip(problems, references) {
            let solution = program.solve()
            if reference.cvxpy_status == "infeasible" {
                // Never a solution; a certificate naming the bound, or (a cone's certificate
                // can converge slowly) the iteration limit.
                #expect(solution.status != .solved && (solution.status == .iterationLimit || solution.conflict.contains("tracking")),
                        "\(solution.status) \(solution.conflict)")
                if solution.status == .infeasible { certified += 1 } else { uncertified += 1 }
                continue
            }
            #expect(solution.status == .solved && reference.cvxpy_status == "optimal", "\(solution.status) \(reference)")
            guard solution.status == .solved, let cvxpy = reference.cvxpy_objective else { continue }
            solved += 1
            let gap = abs(solution.objective - cvxpy) / max(1, abs(cvxpy))
            worstGap = max(worstGap, gap)
            worstViolation = max(worstViolation, program.violation(solution.x))
            let bound = program.normBounds[0], values = program.rowValues(solution.x)
            let norm = zip(bound.rows, bound.center).map { values[$0] - $1 }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > bound.radius * (1 - 1e-6) { binding += 1 }
        }
        print("factor QP with a norm bound against cvxpy: \(solved) solved (\(binding) on the bound), worst objective gap \(worstGap), worst violation \(worstViolation); infeasible: \(certified) certified, \(uncertified) at the iteration limit")
        #expect(solved >= 30 && binding >= solved * 9 / 10 && worstGap < 1e-6 && worstViolation < 1e-7)
    }

    @Test("Beta and sector bounds as exposure rows solve the same program as the same bounds written out name by name")
    func exposureRows() {
        var random = RandomSource(seed: 99)
        for trial in 0..<10 {
            let m = 30, k = 4, n = 2 * m
            let loadings = (0..<(n * k)).map { $0 < m * k ? random.normal() : 0 }
            var base = FactorQuadraticProgram(diagonal: (0..<n).map { $0 < m ? 0.02 : 0 }, loadings: loadings, factorCount: k,
                                              factorMatrix: (0..<(k * k)).map { $0 % (k + 1) == 0 ? 0.01 : 0 },
                                              q: (0..<m).map { _ in -random.normal() * 0.02 } + [Double](repeating: 0.002, count: m))
            let names = Array(0..<m)
            base.constrain("budget", names, names.map { _ in 1 }, 1, 1)
            for i in 0..<m {
                base.constrain("position", [i], [1], 0, 0.1)
                base.constrain("turnover", [m + i, i], [1, -1], 0, .infinity)
                base.constrain("turnover", [m + i, i], [1, 1], 0, .infinity)
            }
            var written = base, folded = base
            let band = 0.1 + 0.1 * Double(trial % 3)
            written.constrain("beta", names, names.map { loadings[$0 * k + 1] }, -band, band)
            folded.constrainExposure("beta", [0, 1, 0, 0], -band, band)
            let a = written.solve(), b = folded.solve()
            #expect(a.status == .solved && b.status == .solved)
            #expect(abs(a.objective - b.objective) < 1e-7 * max(1, abs(a.objective)), "\(a.objective) against \(b.objective)")
            #expect(abs(folded.rowValues(b.x).last! - written.rowValues(a.x).last!) < 1e-6)
        }
    }
}
