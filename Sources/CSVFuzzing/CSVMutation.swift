import AlphaLab
import Foundation

/// One change a fuzzer makes to a CSV file's bytes: the quirks real files have and worse
/// (a flipped bit, a cut line, a truncated file, columns swapped, another encoding, stray
/// bytes) and plain random bytes. Positions are taken modulo the file's size, so any
/// integer names a valid place and a generator need not know the file.
public enum CSVMutation: Sendable, Equatable, CustomStringConvertible {
    case flipBit(position: Int, bit: Int)
    case removeLine(Int)
    case duplicateLine(Int)
    case truncate(position: Int)
    case swapColumns(Int, Int)
    case insert(position: Int, bytes: [UInt8])
    case encode(Encoding)
    case randomBytes([UInt8])

    /// Encodings and line endings files arrive in.
    public enum Encoding: Int, Sendable, CaseIterable {
        case utf16LittleEndian, utf8ByteOrderMark, crlf, bareCR, latin1
    }

    public var description: String {
        switch self {
        case .flipBit(let p, let b): "flip bit \(b) of byte \(p)"
        case .removeLine(let k): "remove line \(k)"
        case .duplicateLine(let k): "duplicate line \(k)"
        case .truncate(let p): "truncate at byte \(p)"
        case .swapColumns(let a, let b): "swap columns \(a) and \(b)"
        case .insert(let p, let bytes): "insert \(bytes) at byte \(p)"
        case .encode(let e): "encode as \(e)"
        case .randomBytes(let bytes): "replace with \(bytes.count) random bytes"
        }
    }

    /// The mutated bytes.
    public func apply(to data: [UInt8]) -> [UInt8] {
        switch self {
        case .flipBit(let p, let b):
            guard !data.isEmpty else { return data }
            var out = data
            out[abs(p) % data.count] ^= UInt8(1) << UInt8(abs(b) % 8)
            return out
        case .removeLine(let k), .duplicateLine(let k):
            var lines = Self.lines(data)
            guard !lines.isEmpty else { return data }
            let i = abs(k) % lines.count
            if case .removeLine = self { lines.remove(at: i) } else { lines.insert(lines[i], at: i) }
            return Self.join(lines)
        case .truncate(let p): return Array(data.prefix(data.isEmpty ? 0 : abs(p) % data.count))
        case .swapColumns(let a, let b):
            return Self.join(Self.lines(data).map { line in
                var fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(Array.init)
                guard fields.count > 1 else { return line }
                fields.swapAt(abs(a) % fields.count, abs(b) % fields.count)
                return Array(fields.joined(separator: [UInt8(ascii: ",")]))
            })
        case .insert(let p, let bytes):
            var out = data
            out.insert(contentsOf: bytes, at: data.isEmpty ? 0 : abs(p) % (data.count + 1))
            return out
        case .encode(let encoding): return Self.encode(data, encoding)
        case .randomBytes(let bytes): return bytes
        }
    }

    private static func lines(_ data: [UInt8]) -> [[UInt8]] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    private static func join(_ lines: [[UInt8]]) -> [UInt8] { Array(lines.joined(separator: [UInt8(ascii: "\n")])) }

    private static func encode(_ data: [UInt8], _ encoding: Encoding) -> [UInt8] {
        switch encoding {
        case .utf16LittleEndian: [0xFF, 0xFE] + data.flatMap { [$0, 0] }
        case .utf8ByteOrderMark: [0xEF, 0xBB, 0xBF] + data
        case .crlf: data.flatMap { $0 == UInt8(ascii: "\n") ? [UInt8(ascii: "\r"), $0] : [$0] }
        case .bareCR: data.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: "\r") : $0 }
        // A Latin-1 "é" (0xE9, invalid as UTF-8) after every comma of the first line.
        case .latin1:
            Array(data.prefix { $0 != UInt8(ascii: "\n") }.flatMap { $0 == UInt8(ascii: ",") ? [$0, 0xE9] : [$0] })
                + data.drop { $0 != UInt8(ascii: "\n") }
        }
    }
}

extension CSVMutation {
    /// Mutations from plain numbers, three to a mutation (its kind, then two arguments), so
    /// that any generator of integer lists drives the fuzzer and shrinks as integers do.
    public static func decoding(_ numbers: [Int]) -> [CSVMutation] {
        stride(from: 0, to: numbers.count - 2, by: 3).map { k in
            let kind = abs(numbers[k]) % 9, a = numbers[k + 1], b = numbers[k + 2]
            switch kind {
            case 0, 1: return .flipBit(position: a, bit: b)
            case 2: return .removeLine(a)
            case 3: return .duplicateLine(a)
            case 4: return .truncate(position: a)
            case 5: return .swapColumns(a, b)
            case 6: return .insert(position: a, bytes: Self.strays[abs(b) % Self.strays.count])
            case 7: return .encode(Encoding.allCases[abs(a) % Encoding.allCases.count])
            default:
                // Random bytes from a small generator seeded by the arguments.
                var state = UInt64(bitPattern: Int64(a)) &* 6364136223846793005 &+ UInt64(bitPattern: Int64(b))
                return .randomBytes((0..<(abs(b) % 300)).map { _ in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return UInt8(truncatingIfNeeded: state >> 56)
                })
            }
        }
    }

    /// Bytes that break parsers: quotes, separators, a NUL, a lone UTF-8 lead byte, numbers at the edges.
    static let strays: [[UInt8]] = [
        Array("\"".utf8), Array(",".utf8), Array("\n".utf8), [0], [0xC3], Array("1e308".utf8), Array("-0".utf8),
        Array("NaN".utf8), Array("inf".utf8), Array(",,,,".utf8), Array("\"a,\"\"b\"".utf8), Array("9999-99-99".utf8),
    ]
}

/// Real files to mutate: the first lines of shared data (an AlphaVantage file, a Yahoo
/// file and a long file built from the same rows), or small stand-ins without it.
public enum FuzzSeeds {
    public struct Seed: Sendable {
        public var name: String
        public var format: ImportFormat
        public var bytes: [UInt8]
    }

    /// The seeds of the files read whole: a delisting file (written here: the shared data
    /// has none) and the shared S&P 500 membership's first lines.
    public static func dataFiles(data: String) -> [(kind: ImportFuzzer.DataFile, bytes: [UInt8])] {
        let membership = (try? String(contentsOfFile: data + "/sp500/membership/sp500_ticker_start_end.csv", encoding: .utf8))
            .map { $0.split(separator: "\n", omittingEmptySubsequences: false).prefix(30).joined(separator: "\n") + "\n" }
            ?? "ticker,start_date,end_date\nA,2000-06-05,\nAABA,1999-12-08,2017-06-19\n"
        let delistings = "ticker,date,return\nLEH,2008-09-17,-1.0\nBSC,2008-05-30,0.12\nENE,2001-12-03,-0.95\nWCOM,2002-07-22,-30%\nTWX,2018-06-15,0\n"
        return [(.delistings, Array(delistings.utf8)), (.membership, Array(membership.utf8))]
    }

    /// The seeds, from `data` (the shared data folder) when it has the files.
    public static func load(data: String) -> [Seed] {
        func head(_ path: String, _ lines: Int) -> String? {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lines).joined(separator: "\n") + "\n"
        }
        let alpha = head(data + "/sp500/daily_adjusted/DA-AAPL-T-2021-04-21.csv", 40)
            ?? "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n2021-04-20,135.02,135.53,131.81,133.11,132.9,94812300,0.0,1.0\n2021-04-19,133.51,135.47,133.34,134.84,134.63,94264215,0.0,1.0\n"
        let yahoo = head(data + "/benchmarks/SPY.csv", 40)
            ?? "Date,Open,High,Low,Close,Adj Close,Volume\n1993-01-29,43.968750,43.968750,43.750000,43.937500,24.840677,1003200\n1993-02-01,43.968750,44.250000,43.968750,44.250000,25.017351,480500\n"
        let long = "date,open,high,low,close,volume,ticker\n" + alpha.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f.count >= 7 ? [f[0], f[1], f[2], f[3], f[4], f[6], "AAPL"].joined(separator: ",") : String(line)
        }.joined(separator: "\n") + "\n"
        return [Seed(name: "DA-AAPL-T-2021-04-21.csv", format: .alphavantage, bytes: Array(alpha.utf8)),
                Seed(name: "SPY.csv", format: .yahoo, bytes: Array(yahoo.utf8)),
                Seed(name: "long.csv", format: .long, bytes: Array(long.utf8))]
    }
}
