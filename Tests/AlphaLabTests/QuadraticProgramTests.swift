import AlphaLab
import Foundation
import Testing

/// AlphaLab's QP solver (ADMM as OSQP does it, with polishing) against OSQP itself and
/// cvxpy (Clarabel) from PyPI, on 50 random problems of each kind a portfolio poses.
@Suite("Quadratic programs", .serialized)
struct QuadraticProgramTests {
    /// A random positive semi-definite matrix: a factor part `B F Bᵀ` plus a diagonal.
    static func covariance(_ n: Int, factors k: Int, _ random: inout RandomSource) -> [Double] {
        let b = (0..<(n * k)).map { _ in random.normal() }
        let d = (0..<n).map { _ in 0.2 + random.uniform() }
        var p = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for f in 0..<k { p[i * n + j] += b[i * k + f] * b[j * k + f] * 0.1 } } }
        for i in 0..<n { p[i * n + i] += d[i] * 0.1 }
        return p
    }

    static func unit(_ n: Int, _ i: Int, _ value: Double = 1) -> [Double] {
        var row = [Double](repeating: 0, count: n)
        row[i] = value
        return row
    }

    /// The four kinds: a box, a long-only book (budget, position bounds, sector bands), a
    /// dollar-neutral long-short book (gross exposure through split variables), and a
    /// long-only rebalance with an L1 turnover cost and a turnover cap.
    static func problems(seed: UInt64) -> [(kind: String, program: QuadraticProgram)] {
        var random = RandomSource(seed: seed)
        var out: [(String, QuadraticProgram)] = []
        for _ in 0..<50 {
            let n = 8 + Int(random.uniform() * 20)
            var box = QuadraticProgram(p: covariance(n, factors: 3, &random), q: (0..<n).map { _ in random.normal() })
            for i in 0..<n { box.constrain("bound \(i)", unit(n, i), -1, 1) }
            out.append(("box", box))
        }
        for _ in 0..<50 {
            let n = 10 + Int(random.uniform() * 20), cap = 0.15 + random.uniform() * 0.15
            var book = QuadraticProgram(p: covariance(n, factors: 3, &random), q: (0..<n).map { _ in -random.normal() * 0.5 })
            book.constrain("budget", [Double](repeating: 1, count: n), 1, 1)
            for i in 0..<n { book.constrain("max_position \(i)", unit(n, i), 0, cap) }
            let sectors = (0..<n).map { _ in Int(random.uniform() * 3) }
            for s in 0..<3 { book.constrain("sector \(s)", sectors.map { $0 == s ? 1 : 0 }, 0.2, 0.5) }
            out.append(("long_only", book))
        }
        for _ in 0..<50 {
            let n = 8 + Int(random.uniform() * 16)
            var p = [Double](repeating: 0, count: 4 * n * n)
            let risk = covariance(n, factors: 2, &random)
            for i in 0..<n { for j in 0..<n { p[i * 2 * n + j] = risk[i * n + j] } }
            var book = QuadraticProgram(p: p, q: (0..<n).map { _ in -random.normal() * 0.3 } + [Double](repeating: 0, count: n))
            book.constrain("dollar_neutral", [Double](repeating: 1, count: n) + [Double](repeating: 0, count: n), 0, 0)
            book.constrain("gross", [Double](repeating: 0, count: n) + [Double](repeating: 1, count: n), -.infinity, 2)
            for i in 0..<n {
                book.constrain("long side \(i)", unit(2 * n, n + i).enumerated().map { $0.offset == i ? -1 : $0.element }, 0, .infinity)
                book.constrain("short side \(i)", unit(2 * n, n + i).enumerated().map { $0.offset == i ? 1 : $0.element }, 0, .infinity)
                book.constrain("max_position \(i)", unit(2 * n, i), -0.2, 0.2)
            }
            out.append(("long_short", book))
        }
        for _ in 0..<50 {
            let n = 10 + Int(random.uniform() * 16)
            var held = (0..<n).map { _ in random.uniform() }
            held = held.map { $0 / held.reduce(0, +) }
            var p = [Double](repeating: 0, count: 4 * n * n)
            let risk = covariance(n, factors: 3, &random)
            for i in 0..<n { for j in 0..<n { p[i * 2 * n + j] = risk[i * n + j] } }
            let cost = 0.002 + random.uniform() * 0.01
            var rebalance = QuadraticProgram(p: p, q: (0..<n).map { _ in -random.normal() * 0.2 } + [Double](repeating: cost, count: n))
            rebalance.constrain("budget", [Double](repeating: 1, count: n) + [Double](repeating: 0, count: n), 1, 1)
            rebalance.constrain("max_turnover", [Double](repeating: 0, count: n) + [Double](repeating: 1, count: n), -.infinity, 0.5)
            for i in 0..<n {
                rebalance.constrain("buy \(i)", unit(2 * n, n + i).enumerated().map { $0.offset == i ? -1 : $0.element }, -held[i], .infinity)
                rebalance.constrain("sell \(i)", unit(2 * n, n + i).enumerated().map { $0.offset == i ? 1 : $0.element }, held[i], .infinity)
                rebalance.constrain("long only \(i)", unit(2 * n, i), 0, 0.3)
            }
            out.append(("turnover", rebalance))
        }
        return out
    }

    struct ReferenceError: Error, CustomStringConvertible { var description: String }

    struct Reference: Decodable {
        var cvxpy_status: String
        var cvxpy_objective: Double?
        var osqp_status: String
        var osqp_objective: Double?
    }

    /// cvxpy's and OSQP's solutions of `problems`; with `balls` (a matrix, a center and a
    /// radius for each problem: `‖B x - c‖ ≤ r` as well), cvxpy's alone.
    static func references(_ problems: [QuadraticProgram], balls: [([[Double]], [Double], Double)] = []) throws -> [Reference] {
        guard let python = ProcessInfo.processInfo.environment["ALPHALAB_TEST_PYTHON"] else {
            throw ReferenceError(description: "ALPHALAB_TEST_PYTHON is not set: the references come from cvxpy and OSQP in the virtual environment tools/test.sh makes (run the suite with tools/test.sh)")
        }
        func bound(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        let json = problems.enumerated().map { i, p -> [String: Any] in
            var problem: [String: Any] = ["p": p.p, "q": p.q, "a": p.a, "lower": p.lower.map(bound), "upper": p.upper.map(bound)]
            if i < balls.count { problem["ball"] = ["b": balls[i].0, "center": balls[i].1, "radius": balls[i].2] }
            return problem
        }
        let file = Fixtures.temporaryFolder() + "/problems.json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
        let run = try Fixtures.run(python, [Fixtures.root.appendingPathComponent("Tests/reference/quadratic_programs.py").path, file])
        guard run.status == 0 else { throw ReferenceError(description: "quadratic_programs.py failed: \(run.err)") }
        return try JSONDecoder().decode([Reference].self, from: Data(run.out.utf8))
    }

    @Test("200 random problems of four kinds: objective within 1e-6 of cvxpy's and OSQP's, constraints kept within 1e-7")
    func againstReferences() throws {
        let problems = Self.problems(seed: 11)
        let references = try Self.references(problems.map(\.program))
        var worstGap = 0.0, worstViolation = 0.0, polished = 0, infeasible = 0
        for ((kind, program), reference) in zip(problems, references) {
            let solution = program.solve()
            // A random sector band can be out of reach: then all three say so.
            if reference.cvxpy_status == "infeasible" {
                infeasible += 1
                #expect(solution.status == .infeasible && reference.osqp_status == "primal infeasible", "\(kind): \(solution.status) \(reference)")
                continue
            }
            #expect(solution.status == .solved && reference.cvxpy_status == "optimal" && reference.osqp_status == "solved", "\(kind): \(solution.status) \(reference)")
            guard let cvxpy = reference.cvxpy_objective, let osqp = reference.osqp_objective else { continue }
            let gap = max(abs(solution.objective - cvxpy), abs(solution.objective - osqp)) / max(1, abs(cvxpy))
            worstGap = max(worstGap, gap)
            worstViolation = max(worstViolation, program.violation(solution.x))
            if solution.polished { polished += 1 }
            #expect(gap <= 1e-6 && program.violation(solution.x) <= 1e-7, "\(kind): objective \(solution.objective) vs cvxpy \(cvxpy), OSQP \(osqp); violation \(program.violation(solution.x))")
        }
        print("QP solver on \(problems.count) problems: \(infeasible) infeasible, worst relative objective gap \(worstGap), worst violation \(worstViolation), \(polished) polished")
        #expect(infeasible <= 5, "the random problems are meant to be mostly feasible")
    }

    @Test("An infeasible book is reported as such, naming the constraints that cannot hold together")
    func infeasible() throws {
        var random = RandomSource(seed: 5)
        let n = 10
        var book = QuadraticProgram(p: Self.covariance(n, factors: 2, &random), q: (0..<n).map { _ in random.normal() })
        book.constrain("budget", [Double](repeating: 1, count: n), 1, 1)
        for i in 0..<n { book.constrain("max_position \(i)", Self.unit(n, i), 0, 0.05) }
        let solution = book.solve()
        #expect(solution.status == .infeasible)
        #expect(solution.conflict.contains("budget") && solution.conflict.contains { $0.hasPrefix("max_position") }, "\(solution.conflict)")
    }
}
