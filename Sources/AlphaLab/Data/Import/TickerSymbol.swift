/// What a ticker may be: up to 32 letters, digits and the punctuation exchanges and data
/// vendors put in symbols (`BRK.B`, `BF-B`, `^GSPC`, `EURUSD=X`, `0700.HK`, `AAPL US`).
///
/// A comma, a quote or a control character in a ticker is a broken file (a quoted field
/// cut short, a column shifted), not a symbol: a reader refuses it with the line instead
/// of storing a ticker nobody can name in a config.
enum TickerSymbol {
    static let maximumLength = 32
    private static let punctuation: Set<Character> = [".", "-", "_", "^", "/", "=", ":", "&", " "]

    /// What is wrong with `symbol` as a ticker; nil when nothing is.
    static func problem(_ symbol: String) -> String? {
        if symbol.isEmpty { return "empty ticker" }
        if symbol.count > maximumLength { return "ticker '\(symbol.prefix(maximumLength))...' is longer than \(maximumLength) characters" }
        if let c = symbol.first(where: { !($0.isLetter || $0.isNumber || punctuation.contains($0)) }) {
            return "ticker '\(symbol)' holds \(c.unicodeScalars.first.map { $0.isASCII && $0.value >= 32 ? "'\(c)'" : "U+\(String($0.value, radix: 16, uppercase: true))" } ?? "?"): "
                + "a ticker has letters, digits and . - _ ^ / = : & or a space"
        }
        return nil
    }
}
