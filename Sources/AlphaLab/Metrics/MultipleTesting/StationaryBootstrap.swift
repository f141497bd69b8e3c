/// Politis and Romano's stationary bootstrap (1994): blocks of geometrically distributed
/// length (mean `blockSize`) starting at uniform positions, wrapping at the end, so that
/// resampled series keep the serial dependence of the original. Seeded: the same seed
/// draws the same resamples on every machine.
public struct StationaryBootstrap: Sendable {
    /// The mean block length.
    public let blockSize: Double
    public let seed: UInt64

    public init(blockSize: Double, seed: UInt64) {
        self.blockSize = max(1, blockSize)
        self.seed = seed
    }

    /// The positions of resample `rep` of a series of `length`: each continues the block
    /// before it with probability 1 - 1 / blockSize, else starts a new block anywhere.
    public func indices(rep: Int, length: Int) -> [Int] {
        guard length > 0 else { return [] }
        var random = RandomSource(seed: seed &+ UInt64(rep) &* 0x9E37_79B9_7F4A_7C15)
        let p = 1 / blockSize
        var positions = [Int](repeating: 0, count: length)
        positions[0] = Int(random.next() % UInt64(length))
        for i in 1..<length {
            if random.uniform() > p {
                positions[i] = positions[i - 1] + 1 == length ? 0 : positions[i - 1] + 1
            } else {
                positions[i] = Int(random.next() % UInt64(length))
            }
        }
        return positions
    }
}
