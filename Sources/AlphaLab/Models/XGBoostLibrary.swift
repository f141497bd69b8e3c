import CXGBoost

/// Facts about the linked XGBoost library.
public enum XGBoostLibrary {
    /// The library's version, e.g. `1.7.4`.
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
