import AlphaLab

/// The options table a `lab` function (or method) takes, declared once: each option's
/// name, Lua type (LuaLS notation) and meaning. The list ``LuaOptions`` accepts (an
/// unknown key is an error that suggests the closest), the "Options:" part of the
/// function's help and its class in the editor annotations (``LabTypes``) all come from
/// here, so none can fall out of step with the others.
struct LabOptionSet: Sendable {
    /// One option.
    struct Option: Sendable {
        let name: String
        /// Its Lua type, e.g. `integer`, `string[]`, `"daily"|"weekly"`.
        let type: String
        let summary: String
        /// Whether the function needs it (the table is then required too).
        var required = false
    }

    /// The annotation class, e.g. `RunOptions`.
    let className: String
    /// Whose options they are, e.g. `lab.run`.
    let owner: String
    let options: [Option]

    /// The option names, in declaration order.
    var allowed: [String] { options.map(\.name) }

    /// The option named `name`, if declared.
    func option(_ name: String) -> Option? { options.first { $0.name == name } }

    /// The options as help text: one line each, under "Options:" (or `heading`).
    func help(heading: String = "Options") -> String {
        let width = options.map { $0.name.count }.max() ?? 0
        return "  \(heading):\n" + options.map { o in
            "    " + o.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + o.summary + (o.required ? " (required)" : "")
        }.joined(separator: "\n")
    }

    /// The class the annotations declare for the table.
    var annotationClass: (name: String, summary: String, fields: [String]) {
        (className, "\(owner)\(owner.hasSuffix("s") ? "'" : "'s") options", options.map { "\($0.name)\($0.required ? "" : "?"): \($0.type)" })
    }
}

extension LabOptionSet {
    /// Declares options in LuaLS notation, one a line: `name?: type -- summary` (no `?`: required).
    init(_ className: String, owner: String, _ declarations: String) {
        self.className = className
        self.owner = owner
        options = declarations.split(separator: "\n").map { line in
            let parts = line.components(separatedBy: " -- ")
            let (name, optional, type) = LabAnnotations.parameter(parts[0])
            return Option(name: name, type: type, summary: parts.dropFirst().joined(separator: " -- "), required: !optional)
        }
    }

    /// Every declared option set, for the annotations.
    static let all: [LabOptionSet] = [readCSV, synthetic, train, run, picks, verdict, report, factor, factorReport, runFilter, mime, riskModel]

    static let readCSV = LabOptionSet("ReadCSVOptions", owner: "lab.read_csv", """
        format?: "alphavantage"|"yahoo"|"long" -- the files' layout (default "alphavantage")
        sectors?: string -- a constituents CSV (Symbol, Name, Sector)
        benchmark?: string -- a Yahoo CSV of SPY
        limit?: integer -- keep the first N tickers alphabetically (as the seed's 100-ticker runs)
        date_format?: string -- the dates' format, e.g. "MM/DD/YYYY"
        ticker_column?: string -- a long file's ticker column when it is not "ticker" (e.g. "Name")
        membership?: string -- a point-in-time membership file: spells, Qlib instruments or snapshots
        universe?: string -- the name configs use for the membership's universe
        delistings?: string -- a delisting file: ticker,date,return (CRSP's DLRET: -1 a total loss, 0.3 a 30% premium)
        strict?: boolean -- true: a rejected file or a skipped row is an error (else each is reported on stderr)
        """)

    static let synthetic = LabOptionSet("SyntheticOptions", owner: "lab.synthetic", """
        seed?: integer -- the random seed
        tickers?: integer -- number of tickers
        sectors?: integer -- number of sectors
        start?: string -- first day, "YYYY-MM-DD"
        end?: string -- last day, "YYYY-MM-DD"
        null?: boolean -- true: nothing predictable (no premium, no reversal)
        drift?: number -- the market's yearly drift
        market_volatility?: number -- the market's yearly volatility
        sector_volatility?: number -- each sector's yearly volatility
        idiosyncratic_volatility?: number -- a typical ticker's own yearly volatility
        momentum_premium?: number -- yearly return per unit of 12-1 momentum z-score
        reversal?: number -- short-term reversal of yesterday's own shock
        crash_probability?: number -- daily probability of a market crash
        late_listing_share?: number -- share of tickers listed after the start
        log_returns?: boolean -- true: moves are log returns, so no signal predicts ranks on the null market
        bankruptcy_rate?: number -- yearly rate of bankruptcies
        acquisition_rate?: number -- yearly rate of acquisitions
        index_share?: number -- share of tickers in the cap-weighted index
        """)

    static let train = LabOptionSet("TrainOptions", owner: "lab.train", """
        date: string -- the decision date, "YYYY-MM-DD"
        features?: string|string[] -- a set name or a list of feature names (default "legacy")
        horizons?: integer[] -- label horizons in trading days (default {1, 5, 20})
        trees?: integer -- boosting rounds (default 100)
        depth?: integer -- tree depth (default 5)
        learning_rate?: number -- default 0.05
        selection?: boolean -- true: the seed's noise-based feature selection
        start_year?: integer -- first year of training rows (default 2010)
        embargo?: integer -- trading days between the last label and the decision (default 0)
        window?: integer -- training window in trading days (default 0: expanding)
        """)

    static let run = LabOptionSet("RunOptions", owner: "lab.run", """
        score?: fun(ctx: ScoringContext): table<string, number>|number[] -- function(ctx) returning scores by ticker ({AAPL = 0.3, ...}, or a list aligned with ctx.tickers) to replace the model
        select?: fun(candidates: {ticker: string, score: number, signal: number, momentum?: number, sector: string}[], ctx: {held: table<string, boolean>, period: integer, side: string, top_n: integer}): string[] -- function(candidates, ctx) returning the tickers it picks, best first, to replace the ranking by signal (the score as the side ranks it, higher better): ctx.held (the side's tickers held into the decision), ctx.period, ctx.side ("long" or "short"), ctx.top_n; the config's momentum filter and sector cap then admit them in order, top_n at most
        progress?: fun(p: {experiment: string, period: integer, total: integer, retrains: integer, date: string, full: integer, updates: integer, full_left: integer, updates_left: integer, seconds_left: number}) -- function(p) called each period with p.experiment, p.period, p.total, p.retrains, p.date, the retrainings done and left by kind (p.full, p.updates, p.full_left, p.updates_left) and p.seconds_left, the run's estimated time left
        """)

    static let picks = LabOptionSet("PicksOptions", owner: "lab.picks", """
        date?: string -- "YYYY-MM-DD": a past decision, the data cut at its scoring close
        capital?: number -- the capital shares are counted for (default 100000)
        holdings?: string -- a CSV of ticker,shares held: adds the orders (buy, trim, sell)
        equity?: string|{date: string, equity: number, picks_return?: number}[] -- the account's equity at past decisions' opens (a CSV of date,equity[,picks_return], or a list): whether the circuit breaker is tripped, or the level it trips at
        """)

    static let verdict = LabOptionSet("VerdictOptions", owner: "lab.verdict", """
        permutations?: integer -- placebo permutations (default 200)
        seed?: integer -- the placebo's seed (default 1): the same seed, the same verdict
        rules?: table<string, number> -- thresholds by name, e.g. {placebo_pass = 0.01}: \(VerdictRules.fields.map(\.key).joined(separator: ", "))
        log?: fun(line: string) -- called with a line as each twin and the placebos start
        """)

    static let riskModel = LabOptionSet("RiskModelOptions", owner: "lab.risk_model", """
        date?: string -- "YYYY-MM-DD": the model at the last close on or before it (default: the stocks' last bar)
        universe?: string -- the stocks it covers (default "all"; a point-in-time universe's members at the date)
        weights?: table<string, number> -- ticker = weight: adds the portfolio's predicted_risk, factor_risk, specific_part and exposure
        """)

    static let audit = LabOptionSet("AuditOptions", owner: "lab.retraining_audit", """
        log?: fun(line: string) -- called with a line as each run starts
        floor?: boolean -- true: a third run, full retraining on a window one trading day shorter, held against full retraining (the audit's floor: how far the exact method itself moves)
        """)

    static let report = LabOptionSet("ReportOptions", owner: "lab.report", """
        title?: string -- the page's title
        grid?: {rows: string, columns: string, metric?: "sharpe"|"total_return"|"max_drawdown"|"excess_return"} -- {rows = field, columns = field, metric = "sharpe"}: a heatmap of a parameter grid
        """)

    static let mime = LabOptionSet("MimeOptions", owner: "lab.mime", """
        after?: string -- HTML placed after a list's table (the display module puts the decision matrix there)
        """)

    static let factor = LabOptionSet("FactorOptions", owner: "lab.factor", """
        dates?: "daily"|"weekly"|"monthly" -- the scoring dates (default "weekly")
        start?: integer|string -- first year or "YYYY-MM-DD"
        end?: integer|string -- last year or "YYYY-MM-DD"
        horizons?: integer[] -- forward-return horizons in trading days (default {1, 5, 20})
        quantiles?: integer -- quantiles the signal is cut into (default 5)
        universe?: string -- "all" (default), or a point-in-time universe
        decay?: boolean|integer[] -- true: the IC at horizons 1..60, or a list of horizons
        horizon?: integer -- for a result: one horizon's predictions instead of the combined score
        by_horizon?: boolean -- for a result: the combined score and each horizon's, one factor each
        attribution?: boolean -- the top-minus-bottom book's risk attribution (default true; false is faster)
        """)

    static let factorReport = LabOptionSet("FactorReportOptions", owner: "lab.factor_report", """
        title?: string -- the page's title
        """)

    static let runFilter = LabOptionSet("RunFilter", owner: "store:list", """
        name?: string -- a LIKE pattern on the name, % as wildcard
        script?: string -- a LIKE pattern on the recording script's path
        user?: string -- runs recorded by this user
        since?: string -- runs recorded on or after this "YYYY-MM-DD"
        until?: string -- runs recorded on or before this "YYYY-MM-DD"
        min_sharpe?: number -- runs with at least this Sharpe ratio
        universe?: string -- runs on this universe
        execution?: "rebalance"|"round_trip" -- runs with this execution model
        timing?: "prior_close"|"same_day_close" -- runs under this signal timing
        tag?: string -- runs carrying this tag (store:tag)
        order?: \(RunFilter.orders.map { "\"\($0.key)\"" }.joined(separator: "|")) -- "created" (newest first, the default), a stored figure by its key (best first), text alphabetical
        descending?: boolean -- reverse the order's own direction when it differs
        limit?: integer -- the most runs listed (default 1000)
        offset?: integer -- runs skipped first (paging)
        """)
}
