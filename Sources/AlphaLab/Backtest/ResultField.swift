/// One scalar figure of a result, declared once: its name (in the results JSON, as a
/// Lua field `r.name`, and as a run-store column where one exists), its type, what it
/// means, and how to read it from an ``ExperimentResult`` (and, for a stored figure,
/// write it back when a result is decoded). The JSON, the Lua result object, the
/// editor annotations and `help` are all derived from ``ResultField/all``, as the
/// config's are from ``ExperimentConfig/fields``; a figure with a ``Column`` is also a
/// column of the run store's `runs` table in both backends (added to stores made before
/// it by a generated migration that fills it from the stored results), a sort order of
/// `store:list` and `serve`, a field of the Lua run summary with its editor type, and,
/// with a header, a column of `serve`'s runs list. A new figure is its computation and
/// one entry here.
public struct ResultField: Sendable {
    /// A figure's value.
    public enum Value: Sendable, Equatable {
        /// A real number: NaN where it does not exist (null in JSON, nil in Lua).
        case number(Double)
        case integer(Int)
        case text(String)
    }

    /// A figure's type, named as LuaLS names it.
    public enum Kind: String, Sendable {
        case number, integer, string
    }

    public let key: String
    public let kind: Kind
    /// One line on what the figure means.
    public let summary: String
    /// How the run store keeps it as a column of its `runs` table (to filter and sort), and
    /// how the runs list shows it; nil for a figure kept only in the stored result.
    public let column: Column?
    /// Whether the run store keeps it as a column.
    public var isColumn: Bool { column != nil }
    private let reader: @Sendable (ExperimentResult) -> Value?
    /// Sets the figure on a result being decoded; nil for a figure derived from others
    /// (recomputed, never read back).
    let writer: (@Sendable (inout ExperimentResult, Value) -> Void)?

    /// The figure of `result`, nil where it has none (a run without periods has no dates).
    public func value(of result: ExperimentResult) -> Value? { reader(result) }

    /// Whether the figure is read back from JSON rather than recomputed.
    public var isStored: Bool { writer != nil }

    static func number(_ key: String, _ path: WritableKeyPath<ExperimentResult, Double> & Sendable, column: Column? = nil,
                       _ summary: String) -> ResultField {
        ResultField(key: key, kind: .number, summary: summary, column: column, reader: { .number($0[keyPath: path]) },
                    writer: { if case .number(let x) = $1 { $0[keyPath: path] = x } })
    }

    static func integer(_ key: String, _ path: WritableKeyPath<ExperimentResult, Int> & Sendable, _ summary: String) -> ResultField {
        ResultField(key: key, kind: .integer, summary: summary, column: nil, reader: { .integer($0[keyPath: path]) },
                    writer: { if case .integer(let n) = $1 { $0[keyPath: path] = n } })
    }

    static func text(_ key: String, _ path: WritableKeyPath<ExperimentResult, String> & Sendable, column: Column? = nil,
                     _ summary: String) -> ResultField {
        ResultField(key: key, kind: .string, summary: summary, column: column, reader: { .text($0[keyPath: path]) },
                    writer: { if case .text(let s) = $1 { $0[keyPath: path] = s } })
    }

    static func derived(_ key: String, _ kind: Kind, column: Column? = nil, _ summary: String,
                        _ read: @escaping @Sendable (ExperimentResult) -> Value?) -> ResultField {
        ResultField(key: key, kind: kind, summary: summary, column: column, reader: read, writer: nil)
    }

    /// A stored figure as a run-store column.
    public struct Column: Sendable {
        /// How the runs list writes a figure.
        public enum Style: Sendable {
            /// A signed percentage ("+25.4%").
            case signedPercent
            /// An unsigned percentage ("44.1%").
            case percent
            /// A number with two decimals.
            case number
            /// Text as it is.
            case text
        }

        /// The header of its column in `serve`'s runs list; nil: sortable, not listed.
        public var header: String?
        public var style: Style
        /// Whether a list sorted by it puts the largest first unless told (returns and
        /// ratios: best first; costs, drawdowns and text: smallest first).
        public var descending: Bool
        /// Whether every run has it (the store declares it NOT NULL, and a sort by it needs
        /// no NULLs-last key, so its index serves the order).
        public var required = false

        /// A column that sorts largest first; listed under `header` when one is given.
        static func descending(_ header: String? = nil, _ style: Style = .number) -> Column { Column(header: header, style: style, descending: true) }
        /// A column that sorts smallest first; listed under `header` when one is given.
        static func ascending(_ header: String? = nil, _ style: Style = .number, required: Bool = false) -> Column {
            Column(header: header, style: style, descending: false, required: required)
        }

        /// `value` as the runs list writes it.
        public func format(_ value: Value?) -> String {
            switch (value, style) {
            case (.number(let x)?, _) where !x.isFinite: ""
            case (.number(let x)?, .signedPercent): Format.pct(x)
            case (.number(let x)?, .percent): Format.rate(x)
            case (.number(let x)?, _): Format.num(x)
            case (.integer(let n)?, _): String(n)
            case (.text(let t)?, _): t
            case (nil, _): ""
            }
        }
    }

    /// The figures the run store keeps as columns, in order.
    public static let columns = all.filter(\.isColumn)

    /// The field named `key`, if any.
    public static func named(_ key: String) -> ResultField? { all.first { $0.key == key } }

    /// Every scalar figure, the seed's first. (Curves, periods, per-year returns, the
    /// config and the warnings are structured and encoded by hand.)
    public static let all: [ResultField] = [
        .text("name", \.name, column: .ascending(nil, .text, required: true), "the experiment's name"),
        .number("total_return", \.metrics.totalReturn, column: .descending("Return", .signedPercent), "compounded net return over the run (0.25 is +25%)"),
        .number("cagr", \.metrics.cagr, column: .descending(nil, .signedPercent), "compound annual growth rate"),
        .number("volatility", \.metrics.volatility, "annualised standard deviation of the period returns"),
        .number("sharpe", \.metrics.sharpe, column: .descending("Sharpe"), "annualised Sharpe ratio over a 4% risk-free rate"),
        .number("sortino", \.metrics.sortino, "annualised Sortino ratio over a 4% risk-free rate"),
        .number("max_drawdown", \.metrics.maxDrawdown, column: .ascending("Max DD", .percent), "largest fall of the equity curve from its running peak"),
        .derived("ulcer_index", .number, "root mean square of the equity curve's drawdowns (Martin 1987), as a fraction") {
            .number(PerformanceMetrics.ulcerIndex(curve: $0.equityCurve.map(\.value)))
        },
        .number("calmar", \.metrics.calmar, column: .descending("Calmar"), "CAGR over the maximum drawdown"),
        .number("win_rate", \.metrics.winRate, column: .descending(nil, .percent), "share of periods with a positive return"),
        .number("spy_return", \.spyReturn, column: .descending(nil, .signedPercent), "the benchmark's return over the same periods: SPY's open to open, 0 for a long_short book (its benchmark is cash)"),
        .number("excess_return", \.excessReturn, column: .descending("Excess", .signedPercent), "total_return - spy_return"),
        .number("excess_t_stat", \.excessTStat, "t-statistic of the mean per-period excess return over SPY"),
        .integer("weeks_traded", \.weeksTraded, "periods holding positions"),
        .number("final_value", \.finalValue, "equity after the last period"),
        .integer("periods_count", \.metrics.periods, "decision periods in the run"),
        .number("turnover", \.turnover, column: .ascending("Turnover", .percent), "mean traded notional per period as a fraction of equity"),
        .number("name_turnover", \.nameTurnover, "mean share of names replaced from one invested period to the next"),
        .derived("execution", .string, column: .ascending("Execution", .text, required: true), "the execution model: rebalance or round_trip") { .text($0.config.execution.rawValue) },
        .number("cost_drag", \.costDrag, column: .ascending("Cost drag", .percent), "costs paid as a fraction of equity, per year"),
        .number("costs_paid", \.costsPaid, "costs paid over the run, in dollars"),
        .number("holding_days", \.holdingDays, column: .descending(), "mean trading days a position was held"),
        .number("unfilled_fraction", \.unfilledFraction, "notional the dollar-volume cap left undone, as a fraction of the notional wanted"),
        .number("directional_accuracy", \.quality.directionalAccuracy, "share of candidates whose signal had the sign of their return"),
        .number("mean_ic", \.quality.meanIC, column: .descending(), "mean Spearman IC of the signal against realised returns"),
        .number("ic_t_stat", \.quality.icTStat, "t-statistic of the period ICs"),
        .number("hit_rate", \.quality.hitRate, "share of picks that beat the candidates' median return"),
        .integer("ic_periods", \.quality.periods, "periods with an IC"),
        .derived("signal_timing", .string, column: .ascending("Timing", .text, required: true), "prior_close (honest) or same_day_close (the seed's look-ahead)") {
            .text($0.config.signalTiming.rawValue)
        },
        .text("strategy", \.strategy, "the scorer's description"),
        .derived("start_date", .string, column: .ascending(nil, .text), "the first decision date") { r in r.startDate.map { .text($0.description) } },
        .derived("end_date", .string, column: .ascending(nil, .text), "the last exit date") { r in r.endDate.map { .text($0.description) } },
        .integer("retrains", \.retrains, "models obtained, one per retraining (0 for a rule)"),
        .text("data_fingerprint", \.dataFingerprint, column: .ascending(nil, .text, required: true), "the data's fingerprint (tickers, dates, values)"),
    ]
}
