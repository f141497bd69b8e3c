import AlphaLab
import Foundation
import Testing

/// A run's risk attribution: its parts add up, it sees what the strategy bets on, its
/// predicted risk tracks realised risk, and it reaches the JSON, the report and the run page.
@Suite("Risk attribution", .serialized)
struct RiskAttributionTests {
    @Test("12-1 momentum on the planted market: a large momentum exposure, parts that add up, predicted risk near realised")
    func momentum() throws {
        let result = try WalkForward(config: PortfolioConstructionTests.optimized { $0.weighting = .equal }, dataset: PortfolioConstructionTests.market,
                                     attributesRisk: true).run()
        let a = try #require(result.attribution)
        #expect(a.factors == ["beta", "size", "momentum", "reversal", "volatility", "liquidity", "sectors"])
        #expect(a.periods.count == result.periods.filter { $0.cashReason == nil }.count && a.periods.count > 100)
        let momentum = try #require(a.factors.firstIndex(of: "momentum"))
        #expect(a.meanExposures[momentum] > 1, "the top decile by 12-1 momentum: \(a.meanExposures)")
        // A fully invested long book: its sectors' exposure is 1 every period.
        #expect(a.periods.allSatisfy { abs($0.exposures.last! - 1) < 1e-9 })
        // The factor parts and the specific part add up to the book's return, period by period.
        for p in a.periods { #expect(abs(p.contributions.reduce(0, +) + p.specificReturn - p.bookReturn) < 1e-12) }
        let ratio = a.realisedRisk / a.predictedRisk
        print(String(format: "attribution: predicted %.3f, realised %.3f a year (ratio %.2f) over %d weeks", a.predictedRisk, a.realisedRisk, ratio, a.periods.count))
        #expect(ratio > 0.75 && ratio < 1.33, "realised \(a.realisedRisk) against predicted \(a.predictedRisk)")
        #expect(result.summary.contains("risk: predicted "))
    }

    @Test("The attribution survives the JSON, and the report and the run page draw it")
    func reaches() throws {
        let result = try WalkForward(config: PortfolioConstructionTests.optimized { $0.turnoverPenalty = 2 }, dataset: PortfolioConstructionTests.market,
                                     attributesRisk: true).run()
        #expect(try WalkForward(config: PortfolioConstructionTests.optimized(), dataset: PortfolioConstructionTests.market).run().attribution == nil,
                "the engine's runs carry none unless asked")
        let decoded = try ExperimentResult(json: try result.json())
        #expect(decoded.attribution == result.attribution && decoded.attribution != nil)
        let html = HTMLReport(title: "t", results: [result]).render()
        #expect(html.contains("<h2>Risk attribution: optimized</h2>") && html.contains("Cumulative contribution to return") && html.contains("Style exposures of the book"))
        let store = try SQLiteRunStore(path: Fixtures.temporaryFolder() + "/runs.db")
        let id = try store.save(result, seconds: 0)
        let page = RunBrowser(store: store).respond(to: WebRequest(target: "/runs/\(id)"))
        #expect(page.status == 200 && page.body.contains("<h2>Risk attribution: optimized</h2>"))
    }
}
