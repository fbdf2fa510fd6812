// swift-tools-version:6.2
import PackageDescription

// Module layering (see ARCHITECTURE.md): lower modules never import higher ones.
//   nunet -> DMSAPI -> DMSNode -> DMSOrchestrator -> DMSEnsemble, DMSExecutor, DMSActor, DMSResources
//                               -> DMSCapabilities -> DMSCrypto -> Multiformats, DMSCore
//                               -> DMSStore -> DMSCore
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "nunet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nunet", targets: ["nunet"]),
        .executable(name: "nunet-wasm", targets: ["nunet-wasm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swiftwasm/WasmKit.git", exact: "0.4.2"),
    ],
    targets: [
        .plugin(name: "GitCommitPlugin", capability: .buildTool()),
        .target(
            name: "DMSCore",
            swiftSettings: strictSettings,
            plugins: ["GitCommitPlugin"]
        ),
        // Standalone multiformats codecs (varint, base58/32, multibase, multihash, protobuf fields), shared by
        // the DMS identity layer and the libp2p stack.
        .target(name: "Multiformats", swiftSettings: strictSettings),
        // Keys, signatures and peer IDs as libp2p defines them; shared by the DMS identity layer and libp2p.
        .target(
            name: "Libp2pCrypto",
            dependencies: [
                "Multiformats",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Standalone libp2p on SwiftNIO: multistream-select, Noise, yamux, the host (see ARCHITECTURE.md).
        .target(
            name: "Libp2p",
            dependencies: [
                "Multiformats",
                "Libp2pCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSCrypto",
            dependencies: [
                "DMSCore",
                "Multiformats",
                "Libp2pCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSCapabilities",
            dependencies: ["DMSCore", "DMSCrypto", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The Network protocol the actor layer talks to, and the in-memory implementation.
        .target(name: "DMSNetwork", swiftSettings: strictSettings),
        // The actor layer's Network over libp2p (the Go DMS message protocol).
        .target(
            name: "DMSNetworkLibp2p",
            dependencies: [
                "DMSNetwork", "Libp2p", "Libp2pCrypto",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSActor",
            dependencies: [
                "DMSCore", "DMSCrypto", "DMSCapabilities", "DMSNetwork", "Multiformats",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSResources",
            dependencies: ["DMSCore", "DMSStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSStore",
            dependencies: [
                "DMSCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Ensemble V1: the YAML model, its normalisation and every validation rule (pure, offline).
        .target(
            name: "DMSEnsemble",
            dependencies: ["DMSCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The Executor protocol and the executors that need no daemon: WASM (a `nunet-wasm` child process per
        // execution, so a timeout can kill it) and Noop (tests).
        .target(
            name: "DMSExecutor",
            dependencies: [
                "DMSCore",
                .product(name: "WasmKit", package: "WasmKit"),
                .product(name: "WasmKitWASI", package: "WasmKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Runs one WASM module under WasmKit for the WASM executor (spawned beside `nunet`).
        .executableTarget(
            name: "nunet-wasm",
            dependencies: ["DMSExecutor"],
            swiftSettings: strictSettings
        ),
        // Deployments: matching (pure), the orchestrator, the provider side (bids, commits, allocations),
        // supervision and history.
        .target(
            name: "DMSOrchestrator",
            dependencies: [
                "DMSCore", "DMSEnsemble", "DMSExecutor", "DMSActor", "DMSCrypto", "DMSCapabilities", "DMSResources",
                "DMSStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSNode",
            dependencies: [
                "DMSCore",
                "DMSNetworkLibp2p",
                "Libp2p",
                "Multiformats",
                "DMSStore",
                "DMSResources",
                "DMSCrypto",
                "DMSCapabilities",
                "DMSActor",
                "DMSNetwork",
                "DMSEnsemble",
                "DMSExecutor",
                "DMSOrchestrator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSAPI",
            dependencies: [
                "DMSCore",
                "DMSNode",
                "DMSActor",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "nunet",
            dependencies: [
                "DMSCore",
                "DMSActor",
                "DMSResources",
                "DMSCrypto",
                "DMSCapabilities",
                "DMSNode",
                "DMSAPI",
                "DMSEnsemble",
                "DMSOrchestrator",
                // Built with `nunet` (the WASM executor spawns it from beside the `nunet` binary).
                "nunet-wasm",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Performance figures recorded in Benchmarks/RESULTS.md: swift run -c release nunet-bench
        .executableTarget(
            name: "nunet-bench",
            dependencies: [
                "DMSCapabilities", "DMSCrypto", "DMSActor", "DMSNetwork", "Libp2p", "Libp2pCrypto", "Multiformats",
                "DMSCore", "DMSEnsemble", "DMSOrchestrator", "DMSExecutor", "DMSResources", "DMSStore", "nunet-wasm",
                "NunetTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/NunetBenchmarks",
            swiftSettings: strictSettings),
        .target(
            name: "NunetTestSupport", dependencies: [.product(name: "WAT", package: "WasmKit")],
            path: "Tests/NunetTestSupport"),
        .testTarget(name: "DMSCoreTests", dependencies: ["DMSCore", "NunetTestSupport"]),
        .testTarget(name: "MultiformatsTests", dependencies: ["Multiformats"]),
        .testTarget(name: "Libp2pTests", dependencies: ["Libp2p", "Libp2pCrypto", "Multiformats", "NunetTestSupport"]),
        // Vectors are read from the source tree (#filePath); their generators are kept next to them.
        .testTarget(
            name: "DMSCryptoTests",
            dependencies: ["DMSCrypto", "Libp2pCrypto", "DMSCore", "Multiformats", "NunetTestSupport"],
            exclude: ["Vectors"]),
        .testTarget(
            name: "DMSCapabilitiesTests",
            dependencies: ["DMSCapabilities", "DMSCrypto", "DMSCore", "NunetTestSupport"],
            exclude: ["GoVectors"]),
        .testTarget(
            name: "DMSActorTests",
            dependencies: ["DMSActor", "DMSCapabilities", "DMSCrypto", "DMSCore", "DMSNetwork", "NunetTestSupport"],
            exclude: ["GoVectors"]),
        .testTarget(
            name: "DMSResourcesTests",
            dependencies: [
                "DMSResources", "DMSStore", "DMSCore", "NunetTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "DMSStoreTests", dependencies: ["DMSStore", "DMSCore", "NunetTestSupport"]),
        .testTarget(
            name: "DMSNodeTests",
            dependencies: [
                "DMSNode", "DMSCore", "DMSStore", "DMSActor", "DMSCapabilities", "DMSCrypto", "DMSNetwork",
                "NunetTestSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "DMSEnsembleTests", dependencies: ["DMSEnsemble", "DMSCore", "NunetTestSupport"],
            exclude: ["Fixtures"]),
        // Depends on `nunet-wasm` so the runner is built; WASM fixtures are assembled from WAT at test time.
        .testTarget(
            name: "DMSExecutorTests",
            dependencies: [
                "DMSExecutor", "DMSCore", "NunetTestSupport", "nunet-wasm",
            ]),
        .testTarget(
            name: "DMSOrchestratorTests",
            dependencies: [
                "DMSOrchestrator", "DMSEnsemble", "DMSExecutor", "DMSActor", "DMSCapabilities", "DMSCrypto",
                "DMSCore", "DMSNetwork", "DMSResources", "DMSStore", "NunetTestSupport", "nunet-wasm",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // End-to-end: runs the built `nunet` binary as a user would (the dependency makes it get built).
        .testTarget(name: "NunetCLITests", dependencies: ["nunet", "DMSCore", "NunetTestSupport"]),
    ]
)
