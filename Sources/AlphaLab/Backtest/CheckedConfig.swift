/// A config whose fields were read and whose ranges and combinations were checked
/// (``ExperimentConfig/validate()``) once, where it came in: a Lua table, a config file, a
/// stored run's fields. The walk-forward takes it as it is, so a config that crossed the
/// Lua boundary is not checked again on its way to the run; one built in Swift is checked
/// by ``WalkForward/init(config:dataset:measuresQuality:attributesRisk:progress:)``.
public struct CheckedConfig: Sendable {
    /// The checked config.
    public let config: ExperimentConfig

    /// `config`, checked.
    public init(_ config: ExperimentConfig) throws(ConfigError) {
        try config.validate()
        self.config = config
    }

    /// A config from named values over the seed's defaults, read and checked in one pass
    /// (``ExperimentConfig/init(values:)`` checks what it reads).
    public init(values: [String: ConfigValue]) throws(ConfigError) {
        config = try ExperimentConfig(values: values)
    }
}
