import Foundation

/// A fast reader of comma-separated files (RFC 4180: quoted fields, doubled quotes, CRLF).
///
/// Hand-written because the importers read millions of rows: fields are byte
/// ranges into the file's buffer, numbers are parsed without allocating, and a
/// record is never turned into Swift strings unless a caller asks.
struct CSVReader {
    /// The file's bytes.
    let bytes: [UInt8]
    /// The path shown in messages.
    let path: String

    /// Reads a whole file.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError.unreadable(path: path)
        }
        self.init(bytes: [UInt8](data), path: path)
    }

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Calls `body` with each non-blank record and its 1-based line number; stop by returning false.
    func forEachRecord(_ body: (_ line: Int, _ record: borrowing CSVRecord) throws -> Bool) rethrows {
        try bytes.withUnsafeBufferPointer { buffer in
            var record = CSVRecord(buffer: buffer)
            var position = 0
            var line = 1
            // Skip a UTF-8 byte-order mark.
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
            while position < buffer.count {
                let startLine = line
                position = record.parse(from: position, lines: &line)
                if record.isBlank { continue }
                if try !body(startLine, record) { return }
            }
        }
    }
}

/// One record of a CSV file: its fields as byte ranges into the file's buffer.
struct CSVRecord: ~Copyable {
    private let buffer: UnsafeBufferPointer<UInt8>
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var quoted: [Bool] = []

    init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    /// The number of fields.
    var count: Int { starts.count }

    var isBlank: Bool { starts.count == 1 && ends[0] == starts[0] && !quoted[0] }

    /// Splits the record starting at `position`; returns the position after its line end.
    mutating func parse(from position: Int, lines: inout Int) -> Int {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        var i = position
        let n = buffer.count
        while true {
            if i < n && buffer[i] == UInt8(ascii: "\"") {
                // Quoted field: runs to the closing quote; "" is an escaped quote.
                let start = i + 1
                i = start
                while i < n {
                    if buffer[i] == UInt8(ascii: "\"") {
                        if i + 1 < n && buffer[i + 1] == UInt8(ascii: "\"") { i += 2; continue }
                        break
                    }
                    if buffer[i] == UInt8(ascii: "\n") { lines += 1 }
                    i += 1
                }
                starts.append(start); ends.append(min(i, n)); quoted.append(true)
                i += 1
                while i < n && buffer[i] != UInt8(ascii: ",") && buffer[i] != UInt8(ascii: "\n") { i += 1 }
            } else {
                let start = i
                while i < n && buffer[i] != UInt8(ascii: ",") && buffer[i] != UInt8(ascii: "\n") { i += 1 }
                var end = i
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                starts.append(start); ends.append(end); quoted.append(false)
            }
            if i >= n { return n }
            if buffer[i] == UInt8(ascii: "\n") { lines += 1; return i + 1 }
            i += 1 // the comma
        }
    }

    /// The field as a string, trimmed of surrounding spaces; quotes are unescaped.
    func string(_ index: Int) -> String {
        let slice = UnsafeBufferPointer(rebasing: buffer[starts[index]..<ends[index]])
        var text = String(decoding: slice, as: UTF8.self)
        if quoted[index] { text = text.replacingOccurrences(of: "\"\"", with: "\"") }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The field parsed as a number; nil when it is not one (empty fields included).
    func double(_ index: Int) -> Double? {
        var start = starts[index], end = ends[index]
        while start < end && buffer[start] == UInt8(ascii: " ") { start += 1 }
        while end > start && buffer[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return parseDecimal(UnsafeBufferPointer(rebasing: buffer[start..<end]))
    }

    /// The field parsed as a date of `format` (a trailing time is allowed); nil otherwise.
    func day(_ index: Int, format: DateFormat = .iso) -> Day? {
        var start = starts[index], end = ends[index]
        while start < end && buffer[start] == UInt8(ascii: " ") { start += 1 }
        while end > start && buffer[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return format.parse(UnsafeBufferPointer(rebasing: buffer[start..<end]))
    }
}

/// Parses a decimal number such as `-12.5`, `0.596878742448` or `1e-3`.
///
/// Clinger's fast path: a mantissa below 2^53 divided or multiplied by an exact
/// power of ten up to 1e22 is correctly rounded. Anything else goes to `strtod`.
func parseDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
    let n = b.count
    guard n > 0 else { return nil }
    var i = 0
    var negative = false
    if b[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if b[0] == UInt8(ascii: "+") { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0, fractionDigits = 0
    var seenPoint = false, seenDigit = false
    while i < n {
        let c = b[i]
        if c >= 48 && c <= 57 {
            seenDigit = true
            if digits < 19 { mantissa = mantissa * 10 + UInt64(c - 48); digits += mantissa == 0 ? 0 : 1; if seenPoint { fractionDigits += 1 } }
            else { return slowParse(b) }
        } else if c == UInt8(ascii: ".") && !seenPoint {
            seenPoint = true
        } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            return slowParse(b)
        } else {
            return nil
        }
        i += 1
    }
    guard seenDigit else { return nil } // "." or "-" alone is not a number
    guard mantissa < (1 << 53), fractionDigits <= 22 else { return slowParse(b) }
    let value = Double(mantissa) / exactPowersOfTen[fractionDigits]
    return negative ? -value : value
}

private let exactPowersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

private func slowParse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
    var text = Array(b)
    text.append(0)
    return text.withUnsafeBufferPointer { p -> Double? in
        p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { s in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(s, &end)
            guard let end, end - UnsafeMutablePointer(mutating: s) == p.count - 1 else { return nil }
            return value.isFinite ? value : nil
        }
    }
}
