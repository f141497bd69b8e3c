import CLibCrypto
import Foundation

/// The ledger's hash chain: each trial carries the SHA-256 of its canonical content and
/// of the hash of the trial recorded before it in its family (the first of a family
/// chains to its family key), the shape of git's and Certificate Transparency's logs. A
/// row edited afterwards no longer matches its hash; a row removed or slipped in breaks
/// the next row's link. ``LedgerVerification`` walks the chains.
public enum LedgerChain {
    /// The hash a family's first trial links to.
    public static func genesis(family: String) -> String { sha256Hex("alphalab-ledger-genesis-v1\n" + family) }

    /// The canonical content of `trial`: every stored field that a statistic or an
    /// attribution reads, each number in its shortest exact form.
    public static func canonical(_ trial: Trial) -> String {
        ["alphalab-trial-v1", trial.family.key, trial.configHash, trial.family.dataFingerprint, trial.family.universe, trial.family.start,
         trial.family.end, trial.family.rebalance, trial.name, trial.returns.map { "\($0)" }.joined(separator: ","),
         trial.activeReturns.map { "\($0)" }.joined(separator: ","), trial.claim.rawValue, "\(trial.riskFree)", trial.scriptHash ?? "",
         trial.user, trial.host, trial.recordedAt].joined(separator: "\n")
    }

    /// The hash of `trial` linked to `previous`.
    public static func hash(_ trial: Trial, previous: String) -> String { sha256Hex(previous + "\n" + canonical(trial)) }

    /// SHA-256 of `text`'s UTF-8 bytes, in lowercase hex (OpenSSL's libcrypto, which libpq
    /// already brings).
    public static func sha256Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBytes { raw in EVP_Digest(raw.baseAddress, raw.count, &digest, &length, EVP_sha256(), nil) }
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// A trial as the ledger stored it, with its row id and links (nil hashes: recorded
/// before the ledger was chained).
public struct LedgerRow: Sendable, Equatable {
    public var id: Int64
    public var trial: Trial
    public var previousHash: String?
    public var hash: String?
    /// The stored annualised ratio, which must equal the one computed from the returns.
    public var storedAnnualRatio: Double?
    /// The family's running sums stored with the row (``FamilyMoments/encoded``; nil:
    /// recorded before they were kept), which must equal those the returns give.
    public var storedMoments: String?

    public init(id: Int64, trial: Trial, previousHash: String?, hash: String?, storedAnnualRatio: Double?, storedMoments: String? = nil) {
        self.id = id
        self.trial = trial
        self.previousHash = previousHash
        self.hash = hash
        self.storedAnnualRatio = storedAnnualRatio
        self.storedMoments = storedMoments
    }
}

/// What `alphalab trials --verify` finds: each family's chain recomputed from its rows in
/// order, each trial's ratio recomputed from its stored returns, and each row's running
/// sums of its family (``FamilyMoments``) recomputed from the returns before it.
public struct LedgerVerification: Sendable, Equatable {
    /// One row that does not hold up, and why.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var family: String
        public var row: Int64
        public var name: String
        public var why: String
        public var description: String { "family \(family) row \(row) (\(name)): \(why)" }
    }

    public var families: Int
    public var trials: Int
    /// Trials recorded before the chain (not verifiable).
    public var unchained: Int
    public var problems: [Problem]

    public var isIntact: Bool { problems.isEmpty }

    /// Verifies `rows` (every trial of the ledger, any order).
    public init(rows: [LedgerRow]) {
        let byFamily = Dictionary(grouping: rows) { $0.trial.family.key }
        families = byFamily.count
        trials = rows.count
        unchained = rows.filter { $0.hash == nil }.count
        problems = []
        for (family, members) in byFamily.sorted(by: { $0.key < $1.key }) {
            var link = LedgerChain.genesis(family: family)
            var moments = FamilyMoments()
            for row in members.sorted(by: { $0.id < $1.id }) {
                func flag(_ why: String) { problems.append(Problem(family: family, row: row.id, name: row.trial.name, why: why)) }
                moments.add(row.trial.sample)
                if let stored = row.storedMoments, stored != moments.encoded {
                    flag("its family's running sums are not those the family's stored returns give up to it: the sums were altered")
                }
                guard let hash = row.hash else { continue }
                if row.previousHash != link {
                    flag("its link does not point at the trial before it: a trial was removed before it, or it was inserted out of order")
                }
                if LedgerChain.hash(row.trial, previous: row.previousHash ?? "") != hash {
                    flag("its content no longer matches its hash: the row was altered")
                }
                if let stored = row.storedAnnualRatio, abs(stored - row.trial.annualSharpe) > 1e-9 * max(1, abs(stored)) {
                    flag("its stored ratio \(stored) is not the \(row.trial.annualSharpe) its returns give")
                }
                link = hash
            }
        }
    }

    /// A report for the terminal.
    public var report: String {
        var lines = ["\(trials) trials in \(families) famil\(families == 1 ? "y" : "ies"): "
                     + (isIntact ? "every chain, ratio and running sum holds" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")")]
        if unchained > 0 { lines.append("\(unchained) trials were recorded before the ledger was chained: they cannot be verified") }
        lines += problems.map { "  " + $0.description }
        return lines.joined(separator: "\n")
    }
}
