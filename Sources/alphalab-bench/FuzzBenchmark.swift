import AlphaLab
import CSVFuzzing
import Foundation

/// `alphalab-bench fuzz [--cases N]`: the importers' property test at length. Each case
/// mutates one of the seed files (shared data's first lines) with 1 to 3 mutations drawn
/// by a seeded generator (the same decoding as the property test's integer lists) and
/// checks the properties; prints cases a second and every violation with its mutations;
/// then a quarter as many cases of the files read whole (delistings and membership).
func fuzzBenchmark(cases: Int, dataDir: String) throws {
    let seeds = FuzzSeeds.load(data: dataDir)
    let folder = try scratchFolder("fuzz")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fuzzer = try ImportFuzzer(folder: folder)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1) % 2_000_001 - 1_000_000
    }
    /// One case: a seed's bytes after 1 to 3 drawn mutations, and the mutations.
    func mutate(_ bytes: [UInt8]) -> (mutations: [CSVMutation], bytes: [UInt8]) {
        let mutations = CSVMutation.decoding((0..<(3 * (1 + abs(next()) % 3))).map { _ in next() })
        return (mutations, mutations.reduce(bytes) { $1.apply(to: $0) })
    }
    let clock = Stopwatch()
    var violations = 0, refused = 0
    for k in 0..<cases {
        let seed = seeds[abs(next()) % seeds.count]
        let (mutations, bytes) = mutate(seed.bytes)
        let broken = fuzzer.check(bytes, name: seed.name, format: seed.format)
        if fuzzer.lastRefused { refused += 1 }
        if !broken.isEmpty {
            violations += 1
            print("case \(k): \(seed.name) after \(mutations): \(broken.joined(separator: "; "))")
        }
    }
    figure("cases", "\(cases)")
    figure("cases refused whole (a clear error)", "\(refused)")
    figure("property violations", "\(violations)", target: "0")
    figure("cases a second", String(format: "%.0f", Double(cases) / clock.seconds))

    // The files read whole (delistings, membership), a quarter as many cases.
    let dataSeeds = FuzzSeeds.dataFiles(data: dataDir)
    let dataClock = Stopwatch()
    var dataViolations = 0
    for k in 0..<max(1, cases / 4) {
        let seed = dataSeeds[abs(next()) % dataSeeds.count]
        let (mutations, bytes) = mutate(seed.bytes)
        let broken = fuzzer.check(bytes, dataFile: seed.kind)
        if !broken.isEmpty {
            dataViolations += 1
            print("data case \(k): \(seed.kind) after \(mutations): \(broken.joined(separator: "; "))")
        }
    }
    figure("delisting and membership cases", "\(max(1, cases / 4))")
    figure("their property violations", "\(dataViolations)", target: "0")
    figure("their cases a second", String(format: "%.0f", Double(max(1, cases / 4)) / dataClock.seconds))
}
