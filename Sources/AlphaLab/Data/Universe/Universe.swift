/// Which tickers of a panel may be traded, and trained on, on each day: the one
/// answer to "who is a member on day d" that the decisions, the training rows and the
/// cross-sectional features all ask.
///
/// `all` is every ticker but the benchmark, every day (what a panel of survivors
/// gives, the seed's universe); `survivors` is the tickers that still trade at the end
/// of the data; a named universe is a ``Membership`` laid onto the panel's calendar.
/// In the last two a ticker is a member on the days it has a bar: a member without
/// prices that day (a symbol whose prices here are of a later company, a file that did
/// not import) can be neither traded nor trained on.
public struct Universe: Sendable {
    /// The name configs use: `all`, `survivors`, or the membership's.
    public let name: String
    /// Identifies the membership in training cache keys ("" for `all`, so old caches stay valid).
    public let fingerprint: String
    private let tickerCount: Int
    private let dayCount: Int
    /// Members by ticker (`[ticker * dayCount + day]`), or nil for every tradable ticker every day.
    private let mask: [Bool]?
    private let tradable: [Bool]

    /// The name of the universe of every tradable ticker.
    public static let allName = "all"
    /// The name of the universe of the tickers alive at the end of the data.
    public static let survivorsName = "survivors"

    /// Every ticker but the benchmark, on every day.
    public init(all panel: Panel) {
        name = Self.allName
        fingerprint = ""
        tickerCount = panel.tickerCount
        dayCount = panel.dayCount
        mask = nil
        tradable = panel.tickers.map { $0 != panel.benchmark }
    }

    /// The tickers with a bar on the last day any ticker but the benchmark has one (the
    /// benchmark's series may run on), on every day: the list a survivor-biased data
    /// vendor would give on the day the data was collected.
    public init(survivors panel: Panel) {
        let last = panel.stocksLastBar
        let alive = panel.tickers.indices.map { t in panel.tickers[t] != panel.benchmark && last >= 0 && panel.lastBar[t] == last }
        var hash = Fingerprint()
        hash.add("survivors")
        var mask = [Bool](repeating: false, count: panel.tickerCount * panel.dayCount)
        for (t, keep) in alive.enumerated() where keep {
            hash.add(panel.tickers[t])
            for d in 0..<panel.dayCount where panel.value(.close, ticker: t, day: d).isFinite { mask[t * panel.dayCount + d] = true }
        }
        self.init(name: Self.survivorsName, fingerprint: hash.hex, panel: panel, mask: mask)
    }

    /// `membership` on `panel`'s calendar: a ticker is a member on the days one of its
    /// spells covers and it has a bar.
    public init(_ membership: Membership, panel: Panel) {
        var mask = [Bool](repeating: false, count: panel.tickerCount * panel.dayCount)
        let calendar = panel.calendar
        for spell in membership.spells {
            guard let t = panel.tickerIndex[spell.ticker], panel.tickers[t] != panel.benchmark else { continue }
            let first = calendar.firstIndex(onOrAfter: spell.start)
            let last = spell.end.map { calendar.lastIndex(onOrBefore: $0) ?? -1 } ?? panel.dayCount - 1
            if first <= last {
                for d in first...last where panel.value(.close, ticker: t, day: d).isFinite { mask[t * panel.dayCount + d] = true }
            }
        }
        self.init(name: membership.name, fingerprint: membership.fingerprint, panel: panel, mask: mask)
    }

    private init(name: String, fingerprint: String, panel: Panel, mask: [Bool]) {
        self.name = name
        self.fingerprint = fingerprint
        tickerCount = panel.tickerCount
        dayCount = panel.dayCount
        tradable = panel.tickers.map { $0 != panel.benchmark }
        self.mask = mask
    }

    /// Whether ticker position `t` is a member on day position `d`.
    @inline(__always)
    public func contains(ticker t: Int, day d: Int) -> Bool {
        guard let mask else { return tradable[t] }
        return mask[t * dayCount + d]
    }

    /// The members on day `d`, in ticker order.
    public func members(day d: Int) -> [Int] {
        (0..<tickerCount).filter { contains(ticker: $0, day: d) }
    }

    /// Whether this is the universe of every tradable ticker.
    public var isAll: Bool { mask == nil }
}
