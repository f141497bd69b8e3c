import Foundation

/// The run store's columns of stored figures (``ResultField/columns``), in both backends:
/// each is added by a migration generated from its registry entry ("figure: KEY"), which
/// adds the column to a store made before the figure had one and fills it from every run's
/// stored result; on a store that has the column already, it does nothing.
enum FigureColumns {
    /// The schema version under which `field`'s column is added.
    static func version(_ field: ResultField) -> String { "figure: \(field.key)" }

    /// The versions of every figure's column, in ``ResultField/columns``' order.
    static var versions: [String] { ResultField.columns.map(version) }

    /// `field`'s column type, with `real` the dialect's floating-point type. A column added
    /// by a migration may be NULL whatever the figure (rows recorded before may lack it).
    static func sqlType(_ field: ResultField, real: String) -> String {
        switch field.kind {
        case .number: real
        case .integer: "BIGINT"
        case .string: "TEXT"
        }
    }

    /// What the column holds for `result`: nil where the figure does not exist (a NaN, a
    /// run without periods has no dates).
    static func value(_ field: ResultField, of result: ExperimentResult) -> ResultField.Value? {
        let value = field.value(of: result)
        if case .number(let x)? = value, !x.isFinite { return nil }
        return value
    }

    /// The value as SQL text, as PostgreSQL binds it (nil: NULL).
    static func text(_ value: ResultField.Value?) -> String? {
        switch value {
        case .number(let x)?: "\(x)"
        case .integer(let n)?: "\(n)"
        case .text(let s)?: s
        case nil: nil
        }
    }
}
