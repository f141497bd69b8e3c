import CLibCrypto

/// Signs and checks Jupyter messages: HMAC-SHA256 over the header, parent header,
/// metadata and content frames, as lowercase hex (the connection file's `key`; an empty
/// key means messages are not signed). From OpenSSL's libcrypto; checked in constant time.
struct MessageSigner: Sendable {
    let key: [UInt8]

    init(key: String) { self.key = Array(key.utf8) }

    /// The signature of the four frames ("" without a key).
    func signature(_ frames: ArraySlice<[UInt8]>) -> [UInt8] {
        guard !key.isEmpty else { return [] }
        let data = Array(frames.joined())
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count, &digest, &length)
            }
        }
        let hex = Array("0123456789abcdef".utf8)
        return digest.prefix(Int(length)).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }
    }

    /// Whether `signature` is the frames' own, compared in constant time.
    func isValid(_ signature: [UInt8], for frames: ArraySlice<[UInt8]>) -> Bool {
        let expected = self.signature(frames)
        guard expected.count == signature.count else { return false }
        guard !expected.isEmpty else { return true }
        return expected.withUnsafeBytes { e in signature.withUnsafeBytes { s in CRYPTO_memcmp(e.baseAddress, s.baseAddress, e.count) == 0 } }
    }
}
