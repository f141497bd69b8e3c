import Foundation

/// Who may read the store when the server listens beyond this machine: requests carrying
/// the token (an `Authorization: Bearer` or `X-AlphaLab-Token` header, or the cookie a
/// one-time sign-in URL sets), compared in constant time so that response times do not
/// leak how much of a guess was right. On the loopback address no token is needed.
final class Gatekeeper: @unchecked Sendable {
    // @unchecked: `codeUsed` is guarded by `lock`; the rest is immutable.
    /// The token (nil: every request passes).
    let token: String?
    /// The code of the one-time sign-in URL.
    let code: String
    private var codeUsed = false
    private let lock = NSLock()
    static let cookieName = "alphalab_token"

    init(token: String?) {
        self.token = token
        var generator = SystemRandomNumberGenerator()
        code = (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// Equal byte for byte, in time that depends on the lengths only.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Whether a request with these headers may read.
    func admits(authorization: String?, tokenHeader: String?, cookie: String?) -> Bool {
        guard let token else { return true }
        var offered: [String] = []
        if let authorization, authorization.hasPrefix("Bearer ") { offered.append(String(authorization.dropFirst(7))) }
        if let tokenHeader { offered.append(tokenHeader) }
        for part in (cookie ?? "").split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == Self.cookieName { offered.append(String(pair[1])) }
        }
        // Every offer is compared, so the time does not depend on which one matched.
        var admitted = false
        for candidate in offered { admitted = Self.constantTimeEqual(candidate, token) || admitted }
        return admitted
    }

    /// Spends the one-time sign-in code: true the first time `code` is right, never again.
    func signIn(code offered: String) -> Bool {
        lock.withLock {
            guard token != nil, !codeUsed, Self.constantTimeEqual(offered, code) else { return false }
            codeUsed = true
            return true
        }
    }
}
