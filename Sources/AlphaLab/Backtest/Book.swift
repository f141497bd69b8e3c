/// Which side of the market a run holds.
public enum Book: String, Sendable, Codable, CaseIterable {
    /// Long positions only, fully invested, judged against SPY (the seed's).
    case longOnly = "long_only"
    /// Dollar-neutral: the best `top_n` names long and the worst `top_n` short, each side
    /// 100% of equity (200% gross). The short sale's proceeds stay in the account, so
    /// equity is cash plus longs minus shorts; shorts pay `borrow_bps` a year on their
    /// value, their returns come from the same split- and dividend-adjusted prices as the
    /// longs' (so a short pays the dividends), and a delisting closes a short at the
    /// delisting value too. The benchmark of a dollar-neutral book is cash: its excess
    /// return, information ratio and verdict are its own return's, not SPY's.
    case longShort = "long_short"

    /// What the book is judged against: SPY, or cash for a dollar-neutral book.
    public var benchmarkName: String { self == .longOnly ? "SPY" : "cash" }

    /// The sides a period picks, longs first.
    public var sides: [Side] { self == .longOnly ? [.long] : [.long, .short] }
}

/// One side of a book.
public enum Side: Sendable, Equatable {
    case long, short

    /// +1 for a long, -1 for a short: the sign of the side's weights and shares.
    public var sign: Double { self == .long ? 1 : -1 }
}
