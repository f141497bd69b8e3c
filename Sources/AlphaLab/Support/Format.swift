import Foundation

/// How figures print in AlphaLab's summaries and pages, as the stdlib's `format` module
/// prints them in Lua: fractions as percentages, "n/a" for a figure that does not exist
/// (NaN: a Sharpe ratio of a constant series).
public enum Format {
    /// A number of days in words ("1 day", "5 days").
    public static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    /// A fraction as a signed percentage with one decimal ("+25.4%").
    public static func pct(_ x: Double) -> String { num(x * 100, "%+.1f%%") }

    /// A fraction as an unsigned percentage with one decimal ("44.1%").
    public static func rate(_ x: Double) -> String { num(x * 100, "%.1f%%") }

    /// A number in the `printf` pattern `pattern` (default: signed, two decimals).
    public static func num(_ x: Double, _ pattern: String = "%+.2f") -> String {
        x.isFinite ? String(format: pattern, x) : "n/a"
    }
}
