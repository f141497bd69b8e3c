/// A 64-bit FNV-1a hash, fed word by word: identifies inputs (a panel's contents, a
/// training's settings) for cache keys and run records. Not cryptographic.
public struct Fingerprint: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ word: UInt64) {
        value = (value ^ word) &* 0x0000_0100_0000_01b3
    }

    public mutating func add(_ text: String) {
        for byte in text.utf8 { add(UInt64(byte)) }
        add(0xff) // separator, so ("ab","c") and ("a","bc") differ
    }

    public mutating func add(_ values: some Sequence<Double>) {
        for v in values { add(v.bitPattern) }
    }

    /// The hash as 16 hex digits.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
