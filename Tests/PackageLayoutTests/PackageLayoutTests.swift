import Foundation
import NunetTestSupport
import Testing

/// The module graph ARCHITECTURE.md describes must be Package.swift's, and every module must import exactly
/// what it declares, so the documented layering cannot drift from the code again.
@Suite struct PackageLayoutTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Modules of the toolchain and the system, never declared as dependencies.
    static let systemModules: Set<String> = [
        "Foundation", "FoundationEssentials", "Synchronization", "Dispatch", "Glibc", "Musl", "Darwin",
        "_Concurrency", "Testing", "XCTest", "FoundationNetworking",
    ]
    /// Modules a declared product brings that are named differently from the product.
    static let productModules: [String: Set<String>] = [
        "WasmKitWASI": ["WasmKitWASI", "WASI"], "Tracing": ["Tracing", "Instrumentation", "ServiceContextModule"],
    ]

    /// Read once for every test: `swift package dump-package` compiles the manifest, which takes seconds.
    static let described = Task { try await PackageDescription.load(from: root) }

    let package: PackageDescription
    let architecture: [ModuleLine]

    init() async throws {
        package = try await Self.described.value
        architecture = try ModuleLine.parse(
            String(contentsOf: Self.root.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8))
    }

    @Test func theArchitectureModuleMapIsThePackagesGraph() throws {
        let documented = Dictionary(architecture.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(architecture.count == documented.count, "a module is listed twice in ARCHITECTURE.md")
        let modules = package.targets.filter(\.isModule)
        #expect(
            Set(documented.keys) == Set(modules.map(\.name)),
            "ARCHITECTURE.md lists \(Set(documented.keys).subtracting(modules.map(\.name)).sorted()) that the package does not have, and misses \(Set(modules.map(\.name)).subtracting(documented.keys).sorted())"
        )
        for module in modules {
            guard let line = documented[module.name] else { continue }
            #expect(
                Set(line.imports) == Set(module.dependencies),
                "\(module.name): ARCHITECTURE.md says \(line.imports.sorted()), Package.swift declares \(module.dependencies.sorted())"
            )
        }
    }

    /// What a module must not import, it does not reach through any path of the graph either.
    @Test func noModuleReachesWhatItMustNotImport() {
        for line in architecture where !line.forbidden.isEmpty {
            let reached = package.closure(of: line.name)
            #expect(
                reached.isDisjoint(with: line.forbidden),
                "\(line.name) reaches \(reached.intersection(line.forbidden).sorted()), which it must not import")
        }
    }

    @Test func everyModuleImportsWhatItDeclaresAndDeclaresWhatItImports() throws {
        for module in package.targets where module.isModule {
            let imported = try Self.imports(in: Self.root.appendingPathComponent(module.path))
                .subtracting(Self.systemModules)
            let declared = module.dependencies.reduce(into: Set<String>()) { modules, dependency in
                modules.formUnion(Self.productModules[dependency] ?? [dependency])
            }
            #expect(
                imported.subtracting(declared).isEmpty,
                "\(module.name) imports \(imported.subtracting(declared).sorted()) without declaring them")
            // An executable may be declared only so that it is built beside its dependent (nunet-wasm).
            let unused = module.dependencies.filter { dependency in
                (Self.productModules[dependency] ?? [dependency]).isDisjoint(with: imported)
                    && package.target(dependency)?.type != "executable"
            }
            #expect(unused.isEmpty, "\(module.name) declares \(unused.sorted()) but never imports them")
        }
    }

    /// Tests mirror modules: every library with logic has its own test target.
    @Test func everyLibraryHasItsTestTarget() {
        let tests = Set(package.targets.filter(\.isTest).map(\.name))
        for module in package.targets where module.type == "regular" && module.name != "NunetTestSupport" {
            #expect(tests.contains(module.name + "Tests"), "\(module.name) has no \(module.name)Tests target")
        }
    }

    /// The module names every Swift file under `directory` imports.
    static func imports(in directory: URL) throws -> Set<String> {
        let pattern = try Regex(
            #"^\s*(?:@[\w()]+\s+)*(?:public |internal |package |private )?import\s+(?:\w+\s+)?(\w+)"#)
        var modules: Set<String> = []
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                if let match = try pattern.firstMatch(in: String(line)), let name = match.output[1].substring {
                    modules.insert(String(name))
                }
            }
        }
        return modules
    }
}

/// One row of ARCHITECTURE.md's module table: `| Module | owns | imports | must not import |`.
struct ModuleLine {
    let name: String
    let imports: [String]
    let forbidden: Set<String>

    /// The rows of the table that follows the `## Module map` heading.
    static func parse(_ markdown: String) throws -> [ModuleLine] {
        guard let section = markdown.components(separatedBy: "## Module map").dropFirst().first else {
            throw LayoutError("ARCHITECTURE.md has no \"## Module map\" section")
        }
        let body = section.components(separatedBy: "\n## ").first ?? section
        return body.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 6, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { return nil }
            return ModuleLine(
                name: String(cells[1].dropFirst().dropLast()), imports: names(cells[3]), forbidden: Set(names(cells[4]))
            )
        }
    }

    /// The backticked names of a cell.
    static func names(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element)
        }
    }
}

/// The targets of Package.swift, read through `swift package dump-package`.
struct PackageDescription: Sendable {
    struct Target: Sendable {
        let name: String
        let type: String
        let path: String
        /// Targets and products by name.
        let dependencies: [String]
        var isTest: Bool { type == "test" }
        /// Libraries and executables; not tests, not plugins.
        var isModule: Bool { type == "regular" || type == "executable" }
    }

    let targets: [Target]

    func target(_ name: String) -> Target? { targets.first { $0.name == name } }

    /// Every module `name` depends on, directly or not.
    func closure(of name: String) -> Set<String> {
        var reached: Set<String> = []
        var pending = target(name)?.dependencies ?? []
        while let next = pending.popLast() {
            guard reached.insert(next).inserted else { continue }
            pending += target(next)?.dependencies ?? []
        }
        return reached
    }

    static func load(from root: URL) async throws -> PackageDescription {
        // A scratch path of its own, so the running `swift test` does not hold the lock it needs.
        let scratch = TemporaryDirectory("nunet-layout")
        let dumped = try await NunetProcess.run(
            ["swift", "package", "--package-path", root.path, "--scratch-path", scratch.path, "dump-package"],
            environment: ProcessInfo.processInfo.environment, directory: scratch.path, timeout: 300,
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        guard dumped.status == 0 else { throw LayoutError("swift package dump-package failed: \(dumped.stderr)") }
        guard let json = try JSONSerialization.jsonObject(with: Data(dumped.stdout.utf8)) as? [String: Any],
            let targets = json["targets"] as? [[String: Any]]
        else { throw LayoutError("swift package dump-package printed no targets") }
        return PackageDescription(
            targets: targets.compactMap { target in
                guard let name = target["name"] as? String, let type = target["type"] as? String else { return nil }
                let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                    ((dependency["byName"] ?? dependency["target"] ?? dependency["product"]) as? [Any])?.first
                        as? String
                }
                let path =
                    target["path"] as? String ?? (type == "test" ? "Tests/\(name)" : "Sources/\(name)")
                return Target(name: name, type: type, path: path, dependencies: dependencies)
            })
    }
}

struct LayoutError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
