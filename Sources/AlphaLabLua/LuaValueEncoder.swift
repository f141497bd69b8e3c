/// An `Encodable` value as a Lua value, through its Codable shape: the same shape as its
/// JSON, so a nested record (a decision period and its picks, a retraining period, a
/// verdict's twin) is declared once and reaches the results file and Lua alike. Objects
/// become tables by key (in snake_case with ``snakeCaseKeys``, for records whose JSON keys
/// are Swift's names), arrays lists; nil and non-finite numbers are nil, as everywhere in
/// Lua (a Sharpe ratio of a constant series does not exist).
struct LuaValueEncoder {
    /// Whether keys are written in snake_case (`excessTStat` as `excess_t_stat`).
    var snakeCaseKeys = false

    func encode<T: Encodable>(_ value: T) throws -> LuaValue {
        let root = Node()
        try value.encode(to: NodeEncoder(node: root, snakeCase: snakeCaseKeys, codingPath: []))
        return root.value
    }

    /// A value being built: a leaf, or a table by key, or a list.
    private final class Node {
        var leaf: LuaValue = .nil
        var keyed: [String: Node]?
        var unkeyed: [Node]?

        var value: LuaValue {
            if let keyed { return .map(keyed.mapValues(\.value)) }
            if let unkeyed { return .array(unkeyed.map(\.value)) }
            return leaf
        }

        func table() -> Self {
            if keyed == nil { keyed = [:] }
            return self
        }

        func list() -> Self {
            if unkeyed == nil { unkeyed = [] }
            return self
        }
    }

    /// `key` in snake_case: a lower-case letter or digit followed by an upper-case letter
    /// starts a new word (`excessTStat` -> `excess_t_stat`).
    static func snakeCase(_ key: String) -> String {
        var out = "", previous: Character?
        for c in key {
            if c.isUppercase, let p = previous, p.isLowercase || p.isNumber || p.isUppercase { out.append("_") }
            out += c.lowercased()
            previous = c
        }
        return out
    }

    private struct NodeEncoder: Encoder {
        let node: Node
        let snakeCase: Bool
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed<Key>(node: node.table(), snakeCase: snakeCase, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            Unkeyed(node: node.list(), snakeCase: snakeCase, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, snakeCase: snakeCase, codingPath: codingPath)
        }
    }

    /// A leaf's Lua value, or nil for a value that encodes itself (a nested record).
    private static func leaf(_ value: some Encodable) -> LuaValue? {
        switch value {
        case let x as Double: x.isFinite ? .number(x) : .nil
        case let x as Float: x.isFinite ? .number(Double(x)) : .nil
        case let n as Int: .integer(Int64(n))
        case let n as Int64: .integer(n)
        case let n as Int32: .integer(Int64(n))
        case let n as UInt64: .integer(Int64(bitPattern: n))
        case let b as Bool: .boolean(b)
        case let s as String: .string(s)
        default: nil
        }
    }

    private static func encode(_ value: some Encodable, into node: Node, snakeCase: Bool, codingPath: [any CodingKey]) throws {
        if let leaf = leaf(value) { node.leaf = leaf } else {
            try value.encode(to: NodeEncoder(node: node, snakeCase: snakeCase, codingPath: codingPath))
        }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let snakeCase: Bool
        var codingPath: [any CodingKey]

        private func child(_ key: Key) -> Node {
            let name = snakeCase ? LuaValueEncoder.snakeCase(key.stringValue) : key.stringValue
            if let existing = node.keyed?[name] { return existing }
            let made = Node()
            node.keyed![name] = made
            return made
        }

        mutating func encodeNil(forKey key: Key) { child(key).leaf = .nil }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try LuaValueEncoder.encode(value, into: child(key), snakeCase: snakeCase, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(node: child(key).table(), snakeCase: snakeCase, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Unkeyed(node: child(key).list(), snakeCase: snakeCase, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node, snakeCase: snakeCase, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(node: child(key), snakeCase: snakeCase, codingPath: codingPath + [key]) }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let snakeCase: Bool
        var codingPath: [any CodingKey]
        var count: Int { node.unkeyed?.count ?? 0 }

        private func next() -> Node {
            let made = Node()
            node.unkeyed!.append(made)
            return made
        }

        mutating func encodeNil() { _ = next() }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try LuaValueEncoder.encode(value, into: next(), snakeCase: snakeCase, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(node: next().table(), snakeCase: snakeCase, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            Unkeyed(node: next().list(), snakeCase: snakeCase, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: next(), snakeCase: snakeCase, codingPath: codingPath) }
    }

    private struct Single: SingleValueEncodingContainer {
        let node: Node
        let snakeCase: Bool
        var codingPath: [any CodingKey]

        mutating func encodeNil() { node.leaf = .nil }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try LuaValueEncoder.encode(value, into: node, snakeCase: snakeCase, codingPath: codingPath)
        }
    }
}
