import Foundation

/// Comma-separated numbers as AlphaLab stores them (each in its shortest exact form), read
/// with `strtod`: correctly rounded, so each reads back to the same double. One loop for the
/// ledger's return series (hundreds of thousands of numbers when a verdict reads a family)
/// and a family's running sums (read by every page that shows a deflated Sharpe ratio).
enum NumberList {
    /// The numbers of `start`, up to the first that does not read.
    static func leading(cString start: UnsafePointer<CChar>) -> [Double] {
        scan(start, strict: false) ?? []
    }

    /// The numbers of `text`, or nil when it is empty, a field is empty or starts with a
    /// blank, or a field is not wholly a number.
    static func strict(_ text: some StringProtocol) -> [Double]? {
        String(text).withCString { scan($0, strict: true) }
    }

    private static func scan(_ start: UnsafePointer<CChar>, strict: Bool) -> [Double]? {
        let comma = CChar(UInt8(ascii: ",")), blank = CChar(UInt8(ascii: " "))
        var values: [Double] = []
        values.reserveCapacity(64)
        var cursor = UnsafeMutablePointer(mutating: start)
        if strict && cursor.pointee == 0 { return nil }
        while cursor.pointee != 0 {
            // strtod skips leading blanks and reads hex: stored numbers have neither.
            if strict && (cursor.pointee == blank || cursor.pointee == comma) { return nil }
            var next: UnsafeMutablePointer<CChar>?
            let x = strtod(cursor, &next)
            guard let next, next != cursor else { return strict ? nil : values }
            values.append(x)
            if next.pointee == comma {
                cursor = next + 1
                if strict && cursor.pointee == 0 { return nil }
            } else if strict && next.pointee != 0 {
                return nil
            } else {
                cursor = next
            }
        }
        return values
    }
}
