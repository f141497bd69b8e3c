import AlphaLab
import CSVFuzzing
import Foundation
import PropertyBased
import Testing

/// The CSV readers fuzzed: real files (AlphaVantage, Yahoo, long) mutated by lists of
/// mutations a property-based generator draws (bits flipped, lines cut or doubled, files
/// truncated, columns swapped, other encodings and line endings, stray bytes, random
/// bytes), 2,000 cases. Every case must return in time, accept only bars that are in its
/// input, and never change the store's other data. `alphalab-bench fuzz --cases N` runs more.
@Suite("Import fuzzing")
struct ImportFuzzTests {
    static let seeds = FuzzSeeds.load(data: Fixtures.sharedData.path)

    @Test("2,000 mutated files: no crash or hang, every accepted bar is in the input, a failed import leaves the store as it was")
    func mutatedFilesKeepTheProperties() async throws {
        let fuzzer = try ImportFuzzer(folder: Fixtures.temporaryFolder("fuzz"))
        await propertyCheck(count: 2000, input: Gen.int(in: 0...2), Gen.int(in: -1_000_000...1_000_000).array(of: 3...9)) { seed, numbers in
            let s = Self.seeds[seed]
            let mutations = CSVMutation.decoding(numbers)
            let bytes = mutations.reduce(s.bytes) { $1.apply(to: $0) }
            let broken = fuzzer.check(bytes, name: s.name, format: s.format)
            #expect(broken.isEmpty, "\(s.name) after \(mutations): \(broken)")
        }
    }

    @Test("1,000 mutated delisting and membership files: no crash or hang, every ticker read is in the input, a failed write changes nothing")
    func mutatedDataFilesKeepTheProperties() async throws {
        let fuzzer = try ImportFuzzer(folder: Fixtures.temporaryFolder("fuzz-data"))
        let seeds = FuzzSeeds.dataFiles(data: Fixtures.sharedData.path)
        // The seeds read whole, so the properties are checked on real rows.
        for s in seeds { #expect(fuzzer.check(s.bytes, dataFile: s.kind).isEmpty, "\(s.kind) unmutated") }
        #expect(try DelistingFile.read(path: Fixtures.write(String(decoding: seeds[0].bytes, as: UTF8.self), to: fuzzer.folder + "/seed.csv")).count == 5)
        #expect(try MembershipFile.read(path: Fixtures.write(String(decoding: seeds[1].bytes, as: UTF8.self), to: fuzzer.folder + "/seed.csv"), name: "m").spells.count >= 2)
        await propertyCheck(count: 1000, input: Gen.int(in: 0...1), Gen.int(in: -1_000_000...1_000_000).array(of: 3...9)) { seed, numbers in
            let s = seeds[seed]
            let mutations = CSVMutation.decoding(numbers)
            let broken = fuzzer.check(mutations.reduce(s.bytes) { $1.apply(to: $0) }, dataFile: s.kind)
            #expect(broken.isEmpty, "\(s.kind) after \(mutations): \(broken)")
        }
    }

    @Test("The seeds import unmutated, and mutations change what they say")
    func seedsAndMutations() throws {
        let fuzzer = try ImportFuzzer(folder: Fixtures.temporaryFolder("fuzz-seeds"))
        for s in Self.seeds {
            #expect(fuzzer.check(s.bytes, name: s.name, format: s.format).isEmpty, "\(s.name)")
            let crlf = CSVMutation.encode(.crlf).apply(to: s.bytes)
            #expect(fuzzer.check(crlf, name: s.name, format: s.format).isEmpty, "\(s.name) with CRLF")
            #expect(try PriceImporter(format: s.format).read(source: fuzzer.folder + "/" + s.name).rowCount >= 2, "\(s.name)")
        }
        let text = Array("a,b\n1,2\n".utf8)
        #expect(CSVMutation.swapColumns(0, 1).apply(to: text) == Array("b,a\n2,1\n".utf8))
        #expect(CSVMutation.removeLine(1).apply(to: text) == Array("a,b\n".utf8))
        #expect(CSVMutation.encode(.crlf).apply(to: text) == Array("a,b\r\n1,2\r\n".utf8))
        #expect(CSVMutation.flipBit(position: 0, bit: 5).apply(to: text).first == UInt8(ascii: "A"))
        #expect(CSVMutation.truncate(position: 3).apply(to: text) == Array("a,b".utf8))
        #expect(CSVMutation.decoding([4, 3, 0, 2, 1, 0]) == [.truncate(position: 3), .removeLine(1)])
    }

    @Test("Regression (found by the fuzzer): a flipped bit makes 1993-03-08 the valid date 0993-03-08; the row is skipped, the date printed in four digits")
    func yearWithAFlippedBit() throws {
        let folder = Fixtures.temporaryFolder()
        let path = Fixtures.write("Date,Open,High,Low,Close,Adj Close,Volume\n0993-03-08,45,46,44,45.75,30,100\n1993-03-09,45,46,44,45.5,30,100\n",
                                  to: folder + "/SPY.csv")
        let batch = try PriceImporter(format: .yahoo).read(source: path)
        #expect(batch.bars.first?.days == [Day("1993-03-09")!])
        #expect(batch.skippedRows.first?.message.contains("date 0993-03-08 is outside 1800-01-01 .. 2199-12-31") == true, "\(batch.problems)")
        #expect(Day(year: 993, month: 3, day: 8)!.description == "0993-03-08")
    }

    @Test("A refused file breaks no property; a close written another way (1e1) still matches its line")
    func theCheckCanFail() throws {
        let fuzzer = try ImportFuzzer(folder: Fixtures.temporaryFolder("fuzz-check"))
        #expect(fuzzer.check(Array("not,a,price,file\n".utf8), name: "long.csv", format: .long).isEmpty)
        // A Yahoo file whose close is written as 1e1 imports 10.0: the number is on the line, parsed alike.
        #expect(fuzzer.check(Array("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,1e1,10,100\n".utf8), name: "SPY.csv", format: .yahoo).isEmpty)
    }
}
