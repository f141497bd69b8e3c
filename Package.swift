// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AlphaLab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "alphalab", targets: ["alphalab"]),
        .executable(name: "alphalab-serve", targets: ["alphalab-serve"]),
        .executable(name: "alphalab-kernel", targets: ["alphalab-kernel"]),
        .library(name: "AlphaLab", targets: ["AlphaLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Property-based tests (the CSV importers fuzzed); the tests alone link it.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // System libraries, each from Debian's packages (tools/bootstrap.sh installs them).
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CXGBoost", pkgConfig: "xgboost", providers: [.apt(["libxgboost-dev"])]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // PostgreSQL's own client library, for a team's shared run store.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The Jupyter kernel's transport (ZeroMQ) and its message signatures (HMAC-SHA256 from
        // OpenSSL's libcrypto: a system library builds in seconds, swift-crypto adds about two
        // minutes to a fresh release build for one function).
        .systemLibrary(name: "CZMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Lua's macros as C functions and the error trampolines (see DESIGN.md, Bridge rules).
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // libedit's C globals (completion, history) set from C, not from Swift.
        .target(name: "CReplShim", dependencies: ["CEditLine"]),

        // The engine: data, features, models, backtest, metrics. Pure Swift, no Lua.
        .target(
            name: "AlphaLab",
            dependencies: [
                "CXGBoost", "CLibPQ",
                // SHA-256 for the ledger's hash chain: OpenSSL's libcrypto, which libpq already links.
                "CLibCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API under GRDB, for the import's bulk insert (PriceRowInsert).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The bridge: a Lua state owned by Swift, values both ways, the engine's objects
        // as userdata, and the `lab` module.
        .target(name: "AlphaLabLua", dependencies: ["AlphaLab", "CLua", "CLuaShim"]),
        // The command-line tool: subcommands, the script runner and the REPL.
        .executableTarget(
            name: "alphalab",
            dependencies: [
                "AlphaLab", "AlphaLabLua", "CLua", "CLuaShim", "CReplShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `alphalab serve`: the run browser over HTTP, a product of its own so that the main
        // job never compiles a server it does not use (`alphalab serve` runs it).
        .executableTarget(
            name: "alphalab-serve",
            dependencies: [
                "AlphaLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `alphalab kernel`: AlphaLab in Jupyter, a program of its own like alphalab-serve
        // (the main job never builds it; `alphalab kernel` runs it).
        .executableTarget(
            name: "alphalab-kernel",
            dependencies: [
                "AlphaLab", "AlphaLabLua", "CLua", "CLuaShim", "CZMQ", "CLibCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The CSV importers' fuzzer: mutations of real files and the properties an import keeps
        // (the property test and `alphalab-bench fuzz` share it).
        .target(name: "CSVFuzzing", dependencies: ["AlphaLab"]),
        // Benchmarks: a plain release executable printing figures (see README, Development).
        .executableTarget(name: "alphalab-bench", dependencies: ["AlphaLab", "CSVFuzzing"]),
        .testTarget(name: "AlphaLabTests", dependencies: [
            "AlphaLab", "AlphaLabLua", "CSVFuzzing", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ]
)
