/// AlphaLab's own version.
public enum AlphaLabVersion {
    /// Semantic version of the engine and the tool.
    public static let string = "0.1.0"
}
