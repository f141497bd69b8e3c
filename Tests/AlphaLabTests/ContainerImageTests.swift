import Foundation
import Testing

/// The Containerfile for the Kubernetes path. No container engine here can pull a base
/// image, so this checks what can be checked: the runtime stage provides every shared
/// library the built binary links, and it installs the same list tools/bootstrap.sh does.
@Suite("Container image")
struct ContainerImageTests {
    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: Fixtures.root.appendingPathComponent(path).path, encoding: .utf8)) ?? "")
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// `packages` and every package they depend on, as dpkg knows them on this machine.
    static func closure(of packages: [String]) throws -> Set<String> {
        var seen = Set<String>(), queue = packages
        while let package = queue.popLast() {
            guard seen.insert(package).inserted else { continue }
            let query = try Fixtures.run("/usr/bin/dpkg-query", ["-W", "-f=${Depends},${Pre-Depends}", package])
            guard query.status == 0 else { continue } // a virtual package: what provides it is listed beside it
            for alternative in query.out.split(separator: ",") {
                // "libc6 (>= 2.34) | libc6-udeb": any alternative will do; the first is the one Debian installs.
                let name = alternative.split(separator: "|").first?.split(separator: " ").first.map(String.init) ?? ""
                if !name.isEmpty { queue.append(name.components(separatedBy: ":").first!) }
            }
        }
        return seen
    }

    @Test("Every library ldd lists for alphalab comes from a runtime package the image installs (or their dependencies) or the Swift runtime it copies")
    func runtimeStageProvidesEveryLibrary() throws {
        let runtime = Self.lines("tools/packages/runtime.txt")
        #expect(runtime.contains("libxgboost0") && runtime.contains("liblua5.4-0"))
        let provided = try Self.closure(of: runtime)
        let ldd = try Fixtures.run("/usr/bin/ldd", [Fixtures.products.appendingPathComponent("alphalab").path])
        try #require(ldd.status == 0, "ldd failed: \(ldd.err)")
        let containerfile = Self.lines("Containerfile").joined(separator: "\n")
        var libraries = 0
        for line in ldd.out.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let arrow = parts.firstIndex(of: "=>"), arrow + 1 < parts.count, parts[arrow + 1].hasPrefix("/") else { continue }
            let path = String(parts[arrow + 1])
            libraries += 1
            if path.contains("/lib/swift/linux/") {
                #expect(containerfile.contains("COPY --from=builder /usr/lib/swift/linux/ /usr/lib/swift/linux/"), "\(path): the Swift runtime is not copied")
                continue
            }
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            var owner = try Fixtures.run("/usr/bin/dpkg", ["-S", real])
            if owner.status != 0 { owner = try Fixtures.run("/usr/bin/dpkg", ["-S", path]) }
            let package = owner.out.split(separator: ":").first.map(String.init) ?? "?"
            #expect(provided.contains(package), "\(path) comes from \(package), which the runtime stage does not install")
        }
        #expect(libraries > 10, "\(ldd.out)")
    }

    @Test("The runtime stage, the builder and tools/bootstrap.sh install from the same lists")
    func oneListOfPackages() throws {
        let containerfile = Self.lines("Containerfile")
        let runtimeStage = containerfile.drop { !$0.hasPrefix("FROM docker.io/library/debian:bookworm-slim") }
        #expect(!runtimeStage.isEmpty, "no bookworm-slim runtime stage")
        #expect(runtimeStage.contains("COPY tools/packages/runtime.txt /tmp/runtime.txt"))
        #expect(runtimeStage.contains { $0.contains("apt-get install") && $0.contains("/tmp/runtime.txt") })
        #expect(runtimeStage.contains { $0.hasPrefix("COPY stdlib/") } && runtimeStage.contains { $0.hasPrefix("COPY scripts/") })
        #expect(containerfile.contains { $0.hasPrefix("FROM docker.io/library/swift:6.3-bookworm AS builder") })
        let bootstrap = (try? String(contentsOfFile: Fixtures.root.appendingPathComponent("tools/bootstrap.sh").path, encoding: .utf8)) ?? ""
        #expect(bootstrap.contains("tools/packages/build.txt tools/packages/runtime.txt"))
        // Every runtime package is installed on this machine by that same script (the binary above runs with them).
        for package in Self.lines("tools/packages/runtime.txt") {
            let status = try Fixtures.run("/usr/bin/dpkg-query", ["-W", "-f=${Status}", package])
            #expect(status.out == "install ok installed", "\(package): \(status.out)\(status.err)")
        }
    }
}
