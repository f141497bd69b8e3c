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
        "lab.retraining_audit": "(config: Config|string, dataset: Dataset, options?: AuditOptions) -> RetrainingAudit",
        "lab.write_file": "(path: string, text: string)",
        "lab.report": "(results: Result[], path: string, options?: ReportOptions)",
        "lab.is_terminal": "(stream: \"stdout\"|\"stderr\") -> boolean",
        "lab.clock": "() -> number",
        "lab.runs": "(location?: string) -> RunStore",
        "lab.ledger": "(location?: string) -> string",
        "lab.deflated_sharpe": "(sharpe: number, trials: number, variance: number, periods: integer, skew: number, kurtosis: number) -> number, number",
        "lab.normal_cdf": "(x: number) -> number",
        "lab.normal_quantile": "(p: number) -> number",
        "lab.load_results": "(path: string) -> Result[]",
        "lab.load_result": "(path: string) -> Result",
        // Factors
        "lab.factor": "(dataset: Dataset, signal: string|string[]|Result|(fun(ctx: ScoringContext): table), options?: FactorOptions) -> Factor|Factor[]",
        "lab.factor_report": "(factors: Factor[], path: string, options?: FactorReportOptions)",
        "lab.mime": "(value: any, options?: MimeOptions) -> table<string, string>|nil",
        // Portfolios
        "lab.risk_model": "(dataset: Dataset, options?: RiskModelOptions) -> RiskModel",

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

        "Result:attribution": "() -> Attribution|nil",
        "Result:drawdowns": "() -> CurvePoint[]",
        "Result:equity": "() -> CurvePoint[]",
        "Result:importance": "(horizon?: integer) -> table[]",
        "Result:json": "() -> string",
        "Result:periods": "() -> RetrainPeriod[]",
        "Result:retrain_periods": "() -> RetrainPeriod[]",
        "Result:decision_periods": "() -> DecisionPeriod[]",
        "Result:save": "(path: string)",
        "Result:save_config": "(path: string)",
        "Result:summary": "() -> string",
        "Result:trials": "(store?: RunStore) -> TrialVerdict",
        "Result:weeks": "() -> DecisionPeriod[]",

        "RunStore:count": "() -> integer",
        "RunStore:delete": "(id: integer, reason?: string) -> boolean",
        "RunStore:list": "(filter?: RunFilter) -> RunSummary[]",
        "RunStore:load": "(id: integer) -> Result",
        "RunStore:save": "(result: Result) -> integer",
        "RunStore:save_verdict": "(id: integer, verdict: Verdict)",
        "RunStore:verdict": "(id: integer) -> Verdict|nil",
        "RunStore:tag": "(id: integer, ...: string)",
        "RunStore:untag": "(id: integer, ...: string)",
        "RunStore:note": "(id: integer, text: string)",
        "RunStore:annotations": "(id: integer) -> RunAnnotation[]",
        "Verdict:html": "() -> string",
        "Verdict:json": "() -> string",
        "Verdict:check": "(kind: \(VerdictCheck.Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "|"))) -> VerdictCheck",
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
        "RunStore": ["location": "string", "path": "string"],
        "Verdict": Dictionary(uniqueKeysWithValues: VerdictObject.fields.map { ($0.name, $0.type) }),
        "Result": Dictionary(uniqueKeysWithValues: ResultField.all.map { ($0.key, $0.kind.rawValue) }
            + ResultObject.structuredFields.map { ($0.name, $0.type) }),
    ]

    /// Table shapes the signatures name: class name, then its fields (`name?: type` for optional ones).
    static let classes: [(name: String, summary: String, fields: [String])] = LabOptionSet.all.map(\.annotationClass) + [
        ("Attribution", "Where a run's risk and return came from (r:attribution())", ["factors: string[]", "predicted_risk: number",
                                                                                        "realised_risk: number", "contributions: table<string, number>",
                                                                                        "specific_return: number", "mean_exposures: table<string, number>",
                                                                                        "mean_risk_shares: table<string, number>", "mean_specific_share: number",
                                                                                        "periods: AttributionPeriod[]"]),
        ("AttributionPeriod", "One period of an attribution", ["date: string", "predicted_risk: number", "book_return: number", "specific_return: number",
                                                               "exposures: table<string, number>", "risk_shares: table<string, number>",
                                                               "contributions: table<string, number>"]),
        ("RiskModel", "What lab.risk_model returns (annualised)", ["date: string", "factors: string[]", "tickers: string[]",
                                                                  "exposures: table<string, table<string, number>>", "covariance: number[][]",
                                                                  "specific_risk: table<string, number>", "observations: integer",
                                                                  "predicted_risk?: number", "factor_risk?: number", "specific_part?: number",
                                                                  "exposure?: table<string, number>"]),
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
        ("TrainingStats", "A dataset's training cache so far", ["trainings: integer", "updates: integer", "memory_hits: integer", "disk_hits: integer", "seconds: number"]),
        ("RetrainingAudit", "A fast retraining mode held against full retraining on the same data",
         ["mode: string", "full_ic?: number", "fast_ic?: number", "ic_difference?: number", "identical_picks: number",
          "excess_difference?: number", "excess_standard_error?: number", "full_excess?: number", "fast_excess?: number",
          "score_rank_correlation?: number", "lowest_rank_correlation?: number", "periods: integer", "full_run_trainings: integer",
          "fast_run_trainings: integer", "fast_run_updates: integer", "full_seconds: number", "fast_seconds: number",
          "decides_the_same: boolean", "summary: string", "details: string[]", "floor?: RetrainingFloor"]),
        ("CurvePoint", "One point of a curve", ["date: string", "value: number"]),
        ("TrialVerdict", "A result judged against its family of trials in the ledger",
         ["trials: integer", "effective_trials: number", "mean_correlation?: number", "variance: number", "sharpe: number",
          "annual_sharpe?: number", "periods: integer", "expected_maximum: number", "psr?: number", "dsr?: number", "best_sharpe?: number",
          "family: string", "family_key: string", "formula: string", "summary: string", "statistic: string", "minimum_years?: number",
          "years?: number", "tests?: FamilyTests"]),
        ("FamilyTests", "The multiple-testing tests over a family of trials",
         ["spa_p?: number", "reality_check_p?: number", "lower_p?: number", "statistic?: number", "resamples: integer", "block_size: integer",
          "stepm_superior: integer", "stepm_includes_this: boolean", "pbo?: number", "haircut: table<string, number>", "summary: string"]),
        ("RunSummary", "A stored run's headline", RunStoreBindings.summaryFields),
        ("RunAnnotation", "A tag put on or taken off a run, or a note about it", ["kind: \"tag\"|\"untag\"|\"note\"", "text: string",
                                                                                  "user: string", "created_at: string"]),
    ] + recordClasses.map { ($0.name, $0.summary, $0.fields) }

    /// The nested records that reach Lua through their Codable shape (``LuaValueEncoder``):
    /// their fields are read from the same shape (``CodableShape``), plus those only written
    /// (a figure derived from the others, or one a binding adds).
    static let recordClasses: [(name: String, summary: String, fields: [String])] = {
        let records: [(name: String, summary: String, type: any Decodable.Type, added: [String])] = [
            ("DecisionPeriod", "One decision period of a result", ExperimentResult.Period.self, []),
            ("Pick", "One position of one period", ExperimentResult.Pick.self, []),
            ("RetrainPeriod", "The figures of one retraining period", ExperimentResult.RetrainPeriod.self, []),
            ("Coverage", "A point-in-time universe's price coverage on a run's decision days", UniverseCoverage.self,
             ["worst_year?: integer", "worst_share?: number"]),
            ("CoverageYear", "One year of a universe's coverage", UniverseCoverage.Year.self, ["share: number"]),
            ("VerdictCheck", "One check of a verdict", VerdictCheck.self, []),
            ("VerdictPlacebo", "A verdict's placebo: random books with the run's turnover", Verdict.Placebo.self, []),
            ("VerdictEvidence", "How much a verdict's run could show", VerdictEvidence.self, []),
            ("TickerLimit", "Tickers a --limit kept, of those the source held", TickerLimit.self, []),
            ("VerdictTwin", "A run behind a verdict", Verdict.Twin.self, []),
            ("VerdictCost", "A verdict's run at a multiple of its costs", Verdict.CostPoint.self, []),
            ("VerdictSpan", "Excess return over one span", Verdict.Span.self, []),
            ("RetrainingFloor", "Full retraining held against itself on a window one trading day shorter", RetrainingAudit.Floor.self, []),
        ]
        let shape = CodableShape(names: Dictionary(uniqueKeysWithValues: records.map { (ObjectIdentifier($0.type), $0.name) }))
        return records.map { record in
            func fields<T: Decodable>(_ type: T.Type) -> [String] {
                do { return try shape.fields(of: type) } catch { preconditionFailure("the Codable shape of \(record.name) cannot be read: \(error)") }
            }
            return (record.name, record.summary, fields(record.type) + record.added)
        }
    }()
}
