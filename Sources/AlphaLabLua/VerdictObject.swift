import AlphaLab
import Foundation

/// `Verdict` userdata: a strategy's verdict (``Verdict``), its headline, checks and figures
/// as fields, its card as its text (`print(v)`), its page and JSON on demand.
final class VerdictObject {
    let verdict: Verdict
    init(_ verdict: Verdict) { self.verdict = verdict }

    /// Every field: name, Lua type and summary (help, annotations and the type test read these).
    static let fields: [(name: String, type: String, summary: String)] = [
        ("headline", "\"credible\"|\"fragile\"|\"artefact\"|\"inconclusive\"", "the one-word answer"),
        ("reasons", "string[]", "the checks that decided the headline"),
        ("checks", "VerdictCheck[]", "each check: kind, outcome (pass, insufficient, warn, fail), figure, rule, limited (a caveat, not evidence), details"),
        ("card", "string", "the card the terminal shows"),
        ("details", "string", "every check with its supporting figures"),
        ("break_even_bps", "number", "the cost per traded dollar at which the excess return reaches zero, in basis points"),
        ("placebo", "VerdictPlacebo", "the placebo (random books with the run's turnover): permutations, seed, p_value, percentile, actual, excess_returns, mean_turnover, run_turnover, gross_p_value, gross_actual"),
        ("twins", "VerdictTwin[]", "the run as given, then its twins: label, total_return, excess_return, excess_t_stat, sharpe, turnover, cost_drag, new_trainings, and the equity curve (dates, equity)"),
        ("costs", "VerdictCost[]", "excess return at 0x, 1x, 2x and 3x the costs: multiple, bps, excess_return"),
        ("years", "VerdictSpan[]", "excess return over SPY and its t-statistic by year: label, periods, excess_return, t"),
        ("halves", "VerdictSpan[]", "the same for the first and second half of the run"),
        ("evidence", "VerdictEvidence|nil", "how much the run could show: universe, tickers, mean_members, periods, years, calendar_years, limit, leavers"),
        ("seconds", "number", "wall time of the whole verdict"),
    ]

    static func span(_ s: Verdict.Span) -> LuaValue {
        .map(["label": .string(s.label), "periods": .integer(Int64(s.periods)), "excess_return": .finite(s.excessReturn), "t": .finite(s.tStat)])
    }

    func field(_ key: String) -> LuaValue? {
        let v = verdict
        switch key {
        case "headline": return .string(v.headline.rawValue)
        case "reasons": return .array(v.reasons.map { .string($0.rawValue) })
        case "checks":
            return .array(v.checks.map { c in
                .map(["kind": .string(c.kind.rawValue), "outcome": .string(c.outcome.rawValue), "figure": .string(c.figure),
                      "rule": .string(c.rule), "limited": .boolean(c.limited), "details": .array(c.details.map(LuaValue.string))])
            })
        case "card": return .string(v.card)
        case "details": return .string(v.details)
        case "break_even_bps": return .number(v.breakEvenBps)
        case "placebo":
            let p = v.placebo
            return .map(["permutations": .integer(Int64(p.permutations)), "seed": .integer(Int64(bitPattern: p.seed)),
                         "p_value": .finite(p.pValue), "percentile": .finite(p.percentile), "actual": .finite(p.actual),
                         "excess_returns": .array(p.excessReturns.map(LuaValue.finite)),
                         "mean_turnover": .finite(p.meanTurnover), "run_turnover": p.runTurnover.map(LuaValue.finite) ?? .nil,
                         "gross_p_value": p.grossPValue.map(LuaValue.finite) ?? .nil, "gross_actual": p.actualGross.map(LuaValue.finite) ?? .nil])
        case "evidence":
            guard let e = v.evidence else { return .nil }
            return .map(["universe": .string(e.universe), "tickers": .integer(Int64(e.tickers)), "mean_members": .finite(e.meanMembers),
                         "periods": .integer(Int64(e.periods)), "years": .finite(e.years), "calendar_years": .integer(Int64(e.calendarYears)),
                         "limit": e.limit.map { .map(["kept": .integer(Int64($0.kept)), "available": .integer(Int64($0.available))]) } ?? .nil,
                         "leavers": .integer(Int64(e.leavers))])
        case "twins":
            // The twin's Codable record, as the verdict's JSON keeps it (keys in snake_case);
            // nothing in it can fail to encode.
            return (try? LuaValueEncoder(snakeCaseKeys: true).encode(v.twins)) ?? .nil
        case "costs":
            return .array(v.costs.map { .map(["multiple": .number($0.multiple), "bps": .finite($0.bps), "excess_return": .finite($0.excessReturn)]) })
        case "years": return .array(v.years.map(Self.span))
        case "halves": return .array(v.halves.map(Self.span))
        case "seconds": return .number(v.seconds)
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
            ("check", "v:check(kind) -> the check of that kind (timing, costs, universe, selection, placebo, stability)", { o, call in
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
