import AlphaLab
import Foundation

/// `Verdict` userdata: a strategy's verdict (``Verdict``), its headline, checks and figures
/// as fields, its card as its text (`print(v)`), its page and JSON on demand. Its records
/// (checks, placebo, twins, costs, spans, evidence, coverage) are the verdict's Codable
/// shape, as its JSON keeps it, with keys in snake_case.
final class VerdictObject {
    let verdict: Verdict
    /// The verdict's Codable record as Lua values by key (made on the first field read).
    private lazy var record: [String: LuaValue] = {
        // Nothing in a verdict can fail to encode.
        guard case .map(let fields)? = try? LuaValueEncoder(snakeCaseKeys: true).encode(verdict) else { return [:] }
        return fields
    }()

    init(_ verdict: Verdict) { self.verdict = verdict }

    /// Every field: name, Lua type and summary (help, annotations and the type test read these).
    static let fields: [(name: String, type: String, summary: String)] = [
        ("headline", "\"credible\"|\"fragile\"|\"artefact\"|\"inconclusive\"", "the one-word answer"),
        ("reasons", "string[]", "the checks that decided the headline"),
        ("checks", "VerdictCheck[]", "each check: kind, outcome (pass, insufficient, warn, fail), figure, rule, limited (a caveat, not evidence), details"),
        ("card", "string", "the card the terminal shows"),
        ("details", "string", "every check with its supporting figures"),
        ("break_even_bps", "number", "the cost per traded dollar at which the excess return reaches zero, in basis points"),
        ("placebo", "VerdictPlacebo", "the placebo (random books with the run's turnover): permutations, seed, p_value, percentile, actual, excess_returns, mean_turnover, run_turnover, gross_p_value, actual_gross, gross_excess_returns"),
        ("twins", "VerdictTwin[]", "the run as given, then its twins: label, total_return, excess_return, excess_t_stat, sharpe, turnover, cost_drag, new_trainings, and the equity curve (dates, equity)"),
        ("costs", "VerdictCost[]", "excess return at 0x, 1x, 2x and 3x the costs: multiple, bps, excess_return"),
        ("years", "VerdictSpan[]", "excess return over SPY and its t-statistic by year: label, periods, excess_return, t_stat"),
        ("halves", "VerdictSpan[]", "the same for the first and second half of the run"),
        ("evidence", "VerdictEvidence|nil", "how much the run could show: universe, tickers, mean_members, periods, years, calendar_years, limit, leavers"),
        ("coverage", "Coverage|nil", "on a point-in-time universe: per year, the share of its members with a bar on the run's decision days"),
        ("seconds", "number", "wall time of the whole verdict"),
    ]

    func field(_ key: String) -> LuaValue? {
        switch key {
        case "card": return .string(verdict.card)
        case "details": return .string(verdict.details)
        case "coverage": return verdict.coverage.map(ResultObject.table)
        case _ where Self.fields.contains { $0.name == key }: return record[key] ?? .nil
        default: return nil
        }
    }

    static func define(in state: LuaState) {
        state.defineType(VerdictObject.self, name: "Verdict", methods: [
            ("html", "v:html() -> the verdict as a self-contained HTML page (twins' equity, cost curve, placebo histogram, years)", { o, call in
                call.results(.string(VerdictPage(o.verdict).render()))
            }),
            ("json", "v:json() -> the verdict as JSON (what the run store keeps)", { o, call in
                call.results(.string(String(decoding: try o.verdict.json(), as: UTF8.self)))
            }),
            ("check", "v:check(kind) -> the check of that kind (\(VerdictCheck.Kind.allCases.map(\.rawValue).joined(separator: ", ")))", { o, call in
                let kind = try call.string(2)
                guard VerdictCheck.Kind(rawValue: kind) != nil else {
                    throw call.argumentError(2, "'\(kind)' is not a check; checks: \(VerdictCheck.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard case .array(let checks)? = o.field("checks") else { return call.results(.nil) }
                return call.results(checks.first { if case .map(let m) = $0 { m["kind"] == .string(kind) } else { false } } ?? .nil)
            }),
        ], fields: { o, key in o.field(key) }, fieldNames: fields.map(\.name),
           fieldHelp: Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.summary) }), tostring: { $0.verdict.card })
    }
}
