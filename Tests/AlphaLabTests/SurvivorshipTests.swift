import AlphaLab
import Foundation
import Testing

/// Survivorship on markets where the truth is known (the synthetic ones, with their
/// bankruptcies, acquisitions and index), and point-in-time membership on the real data.
@Suite("Survivorship", .serialized)
struct SurvivorshipTests {
    static func market(_ config: SyntheticMarketConfig) -> Dataset {
        var config = config
        config.tickerCount = 100
        return try! SyntheticMarket.market(config).dataset()
    }

    static let null = market(.null())
    static let planted = market(SyntheticMarketConfig())

    /// Buys every member, equally weighted, every month of 2007-2024, gross of costs.
    static func everything(_ universe: String, on data: Dataset) throws -> ExperimentResult {
        let config = ExperimentConfig("everything_\(universe)") {
            $0.strategy = .momentum12_1; $0.rebalance = .monthly; $0.startYear = 2007; $0.endYear = 2024
            $0.topN = 1000; $0.minStocks = 0; $0.slippageBps = 0; $0.universe = universe
        }
        return try WalkForward(config: config, dataset: data).run(scorer: FunctionScorer(label: "everything") { $0.tickers.map { _ in 1 } })
    }

    @Test("Buying every survivor beats buying every point-in-time member by a clear margin: survivors never go bankrupt")
    func survivorsLookBetter() throws {
        for (name, data) in [("null", Self.null), ("planted", Self.planted)] {
            let survivors = try Self.everything("survivors", on: data), members = try Self.everything("index", on: data)
            print("\(name) buy-everything: survivors \(survivors.metrics.totalReturn), index members \(members.metrics.totalReturn)")
            #expect(survivors.metrics.totalReturn - members.metrics.totalReturn > 0.15,
                    "\(name): survivors \(survivors.metrics.totalReturn), members \(members.metrics.totalReturn)")
            // The members held tickers that went bankrupt or were acquired; survivors never do.
            let panel = data.panel
            let delisted = Set(panel.tickers.indices.filter { panel.delistingReturns[$0].isFinite }.map { panel.tickers[$0] })
            #expect(members.periods.contains { $0.picks.contains { delisted.contains($0.ticker) } })
            #expect(!survivors.periods.contains { $0.picks.contains { delisted.contains($0.ticker) } })
        }
    }

    @Test("Null market, point-in-time universe: 12-1 momentum and experiments 0 and 2 show no edge (|t| < 3)")
    func nullPointInTime() throws {
        var configs = ExperimentConfig.phaseOne.filter { ["0", "2"].contains($0.name.prefix(1)) }.map { c in
            c.with { $0.startYear = 2013; $0.endYear = 2018; $0.retrainWeeks = 26; $0.universe = SyntheticMarket.indexName }
        }
        configs.append(ExperimentConfig.momentum12_1(startYear: 2008, endYear: 2024).with { $0.universe = SyntheticMarket.indexName })
        for config in configs {
            let r = try WalkForward(config: config, dataset: Self.null).run()
            print("null/index \(r.name): excess t \(r.excessTStat), IC \(r.quality.meanIC) (t \(r.quality.icTStat))")
            #expect(abs(r.excessTStat) < 3, "\(r.name): t = \(r.excessTStat)")
            #expect(r.periods.allSatisfy { p in p.picks.allSatisfy { pick in
                Self.null.memberships[SyntheticMarket.indexName]!.isMember(pick.ticker, on: p.scoringDate) } })
        }
    }

    @Test("Real data: the shared membership file imports, and its universe on 2010-01-04 is that day's members with prices", .needsSharedData)
    func realMembership() throws {
        let path = Fixtures.sharedData.appendingPathComponent("sp500/membership/sp500_ticker_start_end.csv").path
        let store = Fixtures.realStore.store
        let membership = try MembershipFile.read(path: path, name: "sp500")
        try store.write(membership, source: path)
        let stored = try #require(try store.memberships().first { $0.name == "sp500" })
        #expect(stored == membership && stored.spells.count == 1230)

        // Independently: the file's spells covering the day, and the price files with a bar that day.
        let day = "2010-01-04"
        var listed = Set<String>()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f[1] <= day && (f[2].isEmpty || f[2] >= day) { listed.insert(f[0]) }
        }
        var priced = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.sp500Folder) where name.hasPrefix("DA-") {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sp500Folder + "/" + name))
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            if lines.contains(where: { $0.hasPrefix(day + ",") }) { priced.insert(String(name.dropFirst(3).dropLast("-T-2021-04-21.csv".count))) }
        }
        let panel = Fixtures.realStore.panel
        let universe = Universe(membership, panel: panel)
        let d = panel.calendar.index(of: Day(day)!)!
        let engine = Set(universe.members(day: d).map { panel.tickers[$0] })
        #expect(engine == listed.intersection(priced), "only engine: \(engine.subtracting(listed.intersection(priced))), only file: \(listed.intersection(priced).subtracting(engine))")
        // 308 members of that day have a price file; BF.B's is not CSV, and DOW, DXC and FOXA's
        // prices are of later companies under the same symbols (they start after 2010).
        #expect(engine.count == 304)
    }
}
