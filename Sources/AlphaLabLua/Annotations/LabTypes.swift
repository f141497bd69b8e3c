import AlphaLab

/// The Lua types of every `lab` function, engine object method and field, in LuaLS
/// notation. Registration attaches each signature to the function's help record
/// (``LuaState/registerHelp(atTop:name:)``), where `help(f)` shows it and
/// `alphalab --annotations` turns it into `stdlib/meta/lab.lua`. A test fails when a
/// documented function has none.
///
/// A signature is `(name: type, name?: type, ...) -> type, type` (`?`: optional; no
/// `->`: returns nothing). Table shapes are named classes, declared in ``classes``.
enum LabTypes {
    static let signatures: [String: String] = [
        // Data
        "lab.load": "(path?: string) -> Dataset",
        "lab.open": "(path: string) -> Dataset",
        "lab.read_csv": "(source: string, options?: ReadCSVOptions) -> Dataset",
        "lab.synthetic": "(options?: SyntheticOptions) -> Dataset",
        "lab.features": "() -> table<string, string>",
        "lab.feature_sets": "() -> table<string, string[]>",
        "lab.train": "(dataset: Dataset, options: TrainOptions) -> Model",
        // Experiments
        "lab.config": "(config: Config|string) -> Config",
        "lab.config_fields": "() -> ConfigField[]",
        "lab.phase_one": "() -> Config[]",
        "lab.run": "(config: Config, dataset: Dataset, options?: RunOptions) -> Result",
        "lab.picks": "(config: Config|string, dataset: Dataset, options?: PicksOptions) -> Picks",
        "lab.verdict": "(config: Config|string, dataset: Dataset, options?: VerdictOptions) -> Verdict, Result",
        "lab.write_file": "(path: string, text: string)",
        "lab.report": "(results: Result[], path: string, options?: ReportOptions)",
        "lab.is_terminal": "(stream: \"stdout\"|\"stderr\") -> boolean",
        "lab.clock": "() -> number",
        "lab.runs": "(location?: string) -> RunStore",
        "lab.deflated_sharpe": "(sharpe: number, trials: number, variance: number, periods: integer, skew: number, kurtosis: number) -> number, number",
        "lab.normal_cdf": "(x: number) -> number",
        "lab.normal_quantile": "(p: number) -> number",
        "lab.load_results": "(path: string) -> Result[]",
        "lab.load_result": "(path: string) -> Result",
        // Factors
        "lab.factor": "(dataset: Dataset, signal: string|string[]|Result|(fun(ctx: ScoringContext): table), options?: FactorOptions) -> Factor|Factor[]",
        "lab.factor_report": "(factors: Factor[], path: string, options?: FactorReportOptions)",
        "lab.mime": "(value: any, options?: MimeOptions) -> table<string, string>|nil",

        "Dataset:bars": "(ticker: string, from?: string, to?: string) -> Bars",
        "Dataset:dates": "(from?: string, to?: string) -> string[]",
        "Dataset:features": "(set?: string|string[]) -> FeatureMatrix",
        "Dataset:members": "(universe: string, date: string) -> string[]",
        "Dataset:sector": "(ticker: string) -> string",
        "Dataset:sectors": "() -> table<string, string>",
        "Dataset:select": "(tickers: string[]) -> Dataset",
        "Dataset:slice": "(from: string, to: string) -> Dataset",
        "Dataset:spells": "(universe: string) -> MembershipSpell[]",
        "Dataset:delistings": "() -> DatasetDelisting[]",
        "Dataset:summary": "() -> DatasetSummary",
        "Dataset:tickers": "() -> string[]",
        "Dataset:training_stats": "() -> TrainingStats",
        "Dataset:universe": "() -> string[]",
        "Dataset:universes": "() -> string[]",
        "Dataset:with_cache": "(folder: string) -> Dataset",

        "FeatureMatrix:at": "(ticker: string, date: string) -> table<string, number>",
        "FeatureMatrix:series": "(feature: string, ticker: string) -> (number|nil)[]",

        "Model:predict": "(date?: string, weights?: table<integer, number>) -> table<string, number>",
        "Model:save": "(folder: string)",

        "ScoringContext:feature": "(name: string) -> table<string, number>",
        "ScoringContext:history": "(ticker: string, field: \"open\"|\"high\"|\"low\"|\"close\"|\"volume\", n: integer) -> number[]",

        "Factor:horizon": "(h: integer) -> table|nil",
        "Factor:report": "(path: string, title?: string)",
        "Factor:summary": "() -> string",
        "Factor:table": "() -> table",

        "Result:drawdowns": "() -> CurvePoint[]",
        "Result:equity": "() -> CurvePoint[]",
        "Result:importance": "(horizon?: integer) -> table[]",
        "Result:json": "() -> string",
        "Result:periods": "() -> RetrainPeriod[]",
        "Result:save": "(path: string)",
        "Result:save_config": "(path: string)",
        "Result:summary": "() -> string",
        "Result:trials": "(store?: RunStore) -> TrialVerdict",
        "Result:weeks": "() -> Week[]",

        "RunStore:count": "() -> integer",
        "RunStore:delete": "(id: integer) -> boolean",
        "RunStore:list": "(filter?: RunFilter) -> RunSummary[]",
        "RunStore:load": "(id: integer) -> Result",
        "RunStore:save": "(result: Result) -> integer",
        "RunStore:save_verdict": "(id: integer, verdict: Verdict)",
        "RunStore:verdict": "(id: integer) -> Verdict|nil",
        "Verdict:html": "() -> string",
        "Verdict:json": "() -> string",
        "Verdict:check": "(kind: \"timing\"|\"costs\"|\"universe\"|\"selection\"|\"placebo\"|\"stability\") -> VerdictCheck",
    ]

    /// The type of each engine object's fields.
    static let fields: [String: [String: String]] = [
        "Dataset": ["benchmark": "string|nil", "day_count": "integer", "fingerprint": "string", "first": "string", "last": "string",
                    "ticker_count": "integer"],
        "FeatureMatrix": ["day_count": "integer", "names": "string[]", "ticker_count": "integer"],
        "Model": ["date": "string", "features": "table<integer, string[]>", "horizons": "integer[]", "rows": "table<integer, integer>"],
        "ScoringContext": ["date": "string", "period": "integer", "retrain": "boolean", "scoring_date": "string", "tickers": "string[]"],
        "Factor": ["dates": "integer", "ic_t": "table<integer, number>", "mean_ic": "table<integer, number>", "name": "string", "rank_autocorrelation": "number",
                   "top_turnover": "number"],
        "RunStore": ["path": "string"],
        "Verdict": Dictionary(uniqueKeysWithValues: VerdictObject.fields.map { ($0.name, $0.type) }),
        "Result": Dictionary(uniqueKeysWithValues: ResultField.all.map { ($0.key, $0.kind.rawValue) }
            + ResultObject.structuredFields.map { ($0.name, $0.type) }),
    ]

    /// Table shapes the signatures name: class name, then its fields (`name?: type` for optional ones).
    static let classes: [(name: String, summary: String, fields: [String])] = LabOptionSet.all.map(\.annotationClass) + [
        ("Coverage", "A point-in-time universe's price coverage on a run's decision days", ["universe: string", "years: CoverageYear[]",
                                                                                                 "worst_year: integer", "worst_share: number"]),
        ("CoverageYear", "One year of a universe's coverage", ["year: integer", "member_days: integer", "covered: integer", "share: number"]),
        ("Picks", "What lab.picks returns", ["decision_date: string", "scoring_date: string", "trained_for?: string", "capital: number",
                                               "cash_reason?: string", "positions: Position[]", "orders?: Order[]", "text: string", "csv: string",
                                               "json: string", "breaker?: PicksBreaker"]),
        ("PicksBreaker", "The circuit breaker at a live decision", ["state: \"off\"|\"tripped\"|\"resuming\"|\"armed\"|\"unknown\"",
                                                                     "cash_at_or_below?: number", "peak?: number", "cash_periods_left?: integer",
                                                                     "note?: string"]),
        ("Position", "One position of a target portfolio", ["ticker: string", "sector: string", "score: number", "weight: number",
                                                             "close: number", "shares: integer", "stop?: number"]),
        ("Order", "One order from holdings to a target portfolio", ["action: \"buy\"|\"sell\"|\"trim\"", "ticker: string", "shares: integer",
                                                                   "from: integer", "to: integer"]),
        ("ConfigField", "One config field", ["key: string", "type: string", "default: any", "summary: string"]),
        ("Bars", "A ticker's adjusted bars, one entry per trading day", ["date: string[]", "open: (number|nil)[]", "high: (number|nil)[]",
                                                                         "low: (number|nil)[]", "close: (number|nil)[]", "volume: (number|nil)[]",
                                                                         "delisting?: DatasetDelisting"]),
        ("DatasetDelisting", "A ticker that left the market: holders are paid last close x (1 + return) on `date`, the trading day after `last_bar`",
         ["ticker: string", "last_bar: string", "date: string", "return: number"]),
        ("MembershipSpell", "A spell of membership in a universe", ["ticker: string", "start: string", "end?: string"]),
        ("DatasetSummary", "A dataset's summary", ["tickers: integer", "bars: integer", "first: string", "last: string", "trading_days: integer",
                                                   "benchmark?: string", "sectors: table<string, integer>"]),
        ("TrainingStats", "A dataset's training cache so far", ["trainings: integer", "memory_hits: integer", "disk_hits: integer", "seconds: number"]),
        ("CurvePoint", "One point of a curve", ["date: string", "value: number"]),
        ("TrialVerdict", "A result judged against its family of trials in the ledger",
         ["trials: integer", "effective_trials: number", "mean_correlation?: number", "variance: number", "sharpe: number",
          "annual_sharpe?: number", "periods: integer", "expected_maximum: number", "psr?: number", "dsr?: number", "best_sharpe?: number",
          "family: string", "family_key: string", "formula: string", "summary: string"]),
        ("VerdictCheck", "One check of a verdict", ["kind: string", "outcome: \"pass\"|\"warn\"|\"fail\"", "figure: string", "rule: string",
                                                    "limited: boolean", "details: string[]"]),
        ("VerdictPlacebo", "A verdict's permutation placebo", ["permutations: integer", "seed: integer", "p_value: number", "percentile?: number",
                                                               "actual?: number", "excess_returns: number[]", "mean_turnover?: number"]),
        ("VerdictTwin", "A run behind a verdict", ["label: string", "total_return?: number", "excess_return?: number", "sharpe?: number",
                                                  "turnover?: number", "cost_drag?: number", "new_trainings: integer"]),
        ("VerdictCost", "A verdict's run at a multiple of its costs", ["multiple: number", "bps?: number", "excess_return?: number"]),
        ("VerdictSpan", "Excess return over one span", ["label: string", "periods: integer", "excess_return?: number", "t?: number"]),
        ("RetrainPeriod", "The figures of one retraining period", ["start: string", "end: string", "periods: integer", "total_return: number",
                                                                  "sharpe: number", "mean_ic: number"]),
        ("Week", "One decision period of a result", ["date: string", "exit_date: string", "scoring_date: string", "return: number",
                                                      "picks_return: number", "spy_return: number", "equity: number", "cash_reason?: string",
                                                      "retrained: boolean", "ic?: number", "traded: number", "turnover: number", "costs: number",
                                                      "unfilled: number", "picks: Pick[]"]),
        ("Pick", "One position of one period", ["ticker: string", "sector: string", "score: number", "weight: number", "return: number",
                                                 "stopped: boolean"]),
        ("RunSummary", "A stored run's headline", ["id: integer", "name: string", "created_at: string", "seconds: number",
                                                     "alphalab_version: string", "data_fingerprint: string", "start_date?: string",
                                                     "end_date?: string", "signal_timing: string", "total_return?: number", "sharpe?: number",
                                                     "max_drawdown?: number", "excess_return?: number", "execution: string", "turnover?: number",
                                                     "cost_drag?: number", "holding_days?: number",
                                                     "script_hash?: string", "xgboost_version?: string", "verdict?: string",
                                                     "universe?: string", "user?: string", "script_path?: string", "family?: string"]),
    ]
}
