/// A one-line chart of a series in Unicode block characters, for terminals:
/// `▁▂▄▆█▇▅`. Long series are resampled to `width` points (the last value of each
/// bucket, so the line ends where the series ends).
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The sparkline of `values` (non-finite values are skipped), at most `width` characters.
    public static func render(_ values: [Double], width: Int = 40) -> String {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty, width > 0 else { return "" }
        let points: [Double] = finite.count <= width ? finite : (1...width).map { finite[$0 * finite.count / width - 1] }
        let low = points.min()!, high = points.max()!
        guard high > low else { return String(repeating: blocks[3], count: points.count) }
        return String(points.map { blocks[min(blocks.count - 1, Int(($0 - low) / (high - low) * Double(blocks.count - 1) + 0.5))] })
    }
}
