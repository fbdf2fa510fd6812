// swift-tools-version:6.2
import PackageDescription

// Module layering: lower modules never import higher ones. ARCHITECTURE.md's module map is checked
// against this file by Tests/PackageLayoutTests, and so is every module's list of imports.
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
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swiftwasm/WasmKit.git", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // OTLP over HTTP/protobuf only: the gRPC trait would build grpc-swift for an exporter we do not use.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
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
                "DMSNetwork", "Libp2p", "Libp2pCrypto", "Multiformats",
                .product(name: "Crypto", package: "swift-crypto"),
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
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSStore",
            dependencies: ["DMSCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSResources",
            dependencies: ["DMSCore", "DMSStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The node's configuration: schema, loading with its precedence, validation, the config file.
        .target(
            name: "DMSConfig",
            dependencies: ["DMSCore", "Multiformats", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Ensemble V1: the YAML model, its normalisation and every validation rule (pure, offline).
        .target(
            name: "DMSEnsemble",
            dependencies: ["DMSCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // HTTP/1.1 requests over TCP or a unix socket, with streamed answers: the CLI's calls to the daemon and the
        // Docker executor's calls to the Docker Engine.
        .target(
            name: "DMSHTTPClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The Executor protocol, the table-backed helpers every executor shares, and Noop (tests, dry runs).
        .target(name: "DMSExecutor", dependencies: ["DMSCore"], swiftSettings: strictSettings),
        // WASM on WasmKit: a `nunet-wasm` child process per execution, so a timeout can kill it.
        .target(
            name: "DMSExecutorWasm",
            dependencies: [
                "DMSExecutor",
                .product(name: "WasmKit", package: "WasmKit"),
                .product(name: "WasmKitWASI", package: "WasmKit"),
            ],
            swiftSettings: strictSettings
        ),
        // Containers through the Docker Engine API on its unix socket, with every limit of the allocation enforced.
        .target(
            name: "DMSExecutorDocker",
            dependencies: ["DMSCore", "DMSExecutor", "DMSHTTPClient", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Runs one WASM module under WasmKit for the WASM executor (spawned beside `nunet`).
        .executableTarget(
            name: "nunet-wasm",
            dependencies: ["DMSExecutor", "DMSExecutorWasm"],
            swiftSettings: strictSettings
        ),
        // Matching: where each node of an ensemble goes among the offers, with a reason for every rejection.
        // Pure: no actors, no store, no I/O.
        .target(name: "DMSMatching", dependencies: ["DMSCore", "DMSEnsemble"], swiftSettings: strictSettings),
        // What nodes and clients say to each other: the behavior catalogue and every payload, the deployment
        // protocol between orchestrators, providers and allocation actors included.
        .target(
            name: "DMSMessages",
            dependencies: ["DMSCore", "DMSCrypto", "DMSCapabilities", "DMSEnsemble", "DMSExecutor", "DMSActor"],
            swiftSettings: strictSettings
        ),
        // The provider side of deployments: bid decisions, commits, one allocation actor per allocation.
        .target(
            name: "DMSProvider",
            dependencies: [
                "DMSCore", "DMSCrypto", "DMSEnsemble", "DMSExecutor", "DMSActor", "DMSMessages", "DMSResources",
                "DMSStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The orchestrator side: a child actor per deployment, status machine, supervision, history, restore.
        .target(
            name: "DMSOrchestrator",
            dependencies: [
                "DMSCore", "DMSCrypto", "DMSEnsemble", "DMSExecutor", "DMSActor", "DMSMatching", "DMSMessages",
                "DMSStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        // Wires a node: start-up checks, lock, logging, lifecycle, identity, libp2p, the node's behaviors.
        .target(
            name: "DMSNode",
            dependencies: [
                "DMSCore", "DMSConfig", "DMSNetworkLibp2p", "Libp2p", "Libp2pCrypto", "Multiformats", "DMSStore",
                "DMSResources",
                "DMSCrypto", "DMSCapabilities", "DMSActor", "DMSNetwork", "DMSEnsemble", "DMSExecutor",
                "DMSExecutorWasm", "DMSExecutorDocker", "DMSMessages", "DMSProvider", "DMSOrchestrator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DMSAPI",
            dependencies: [
                "DMSCore",
                "DMSNode",
                "DMSActor",
                "DMSHTTPClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "nunet",
            dependencies: [
                "DMSCore",
                "DMSConfig",
                "DMSActor",
                "DMSResources",
                "DMSCrypto",
                "DMSCapabilities",
                "DMSNode",
                "DMSAPI",
                "DMSEnsemble",
                "DMSMessages",
                // Built with `nunet` (the WASM executor spawns it from beside the `nunet` binary).
                "nunet-wasm",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Performance figures recorded in Benchmarks/RESULTS.md: swift run -c release nunet-bench
        .executableTarget(
            name: "nunet-bench",
            dependencies: [
                "DMSCapabilities", "DMSCrypto", "DMSActor", "DMSNetwork", "DMSNetworkLibp2p", "Libp2p", "Libp2pCrypto",
                "Multiformats", "DMSCore", "DMSEnsemble", "DMSMatching", "DMSMessages", "DMSProvider",
                "DMSOrchestrator", "DMSExecutor", "DMSExecutorWasm", "DMSExecutorDocker", "DMSResources", "DMSStore",
                "nunet-wasm", "NunetTestSupport", "DMSNode",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            path: "Benchmarks/NunetBenchmarks",
            swiftSettings: strictSettings),
        // One fuzz entry point per decoder of outside bytes, shared by NunetFuzzTests (the short CI pass) and
        // nunet-fuzz (scripts/fuzz builds it with libFuzzer and the address sanitizer).
        .target(
            name: "NunetFuzz",
            dependencies: [
                "DMSActor", "DMSCapabilities", "DMSConfig", "DMSCore", "DMSEnsemble", "DMSNetworkLibp2p", "Libp2p",
                "Libp2pCrypto", "Multiformats",
            ],
            swiftSettings: strictSettings
        ),
        // The fuzz driver: plain here (list, seeds, replay, built-in mutation); scripts/fuzz builds it on its own
        // scratch path with -sanitize=fuzzer,address and NUNET_LIBFUZZER, never the normal build.
        .executableTarget(name: "nunet-fuzz", dependencies: ["NunetFuzz"], swiftSettings: strictSettings),
        .target(
            name: "NunetTestSupport",
            dependencies: [
                "DMSConfig", .product(name: "WAT", package: "WasmKit"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/NunetTestSupport"),
        // Checks ARCHITECTURE.md's module map and every module's imports against this file.
        .testTarget(name: "PackageLayoutTests", dependencies: ["NunetTestSupport"]),
        .testTarget(name: "DMSCoreTests", dependencies: ["DMSCore", "NunetTestSupport"]),
        .testTarget(name: "MultiformatsTests", dependencies: ["Multiformats"]),
        // Vectors from real go-libp2p, read from the source tree (#filePath), with their generator beside them.
        .testTarget(name: "Libp2pCryptoTests", dependencies: ["Libp2pCrypto"], exclude: ["Vectors"]),
        // swift-crypto signs as RSA and ECDSA peers would (the product only verifies those key types).
        .testTarget(
            name: "Libp2pTests",
            dependencies: [
                "Libp2p", "Libp2pCrypto", "Multiformats", "DMSNetworkLibp2p", "NunetTestSupport", "NunetFuzz",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        // Vectors are read from the source tree (#filePath); their generators are kept next to them.
        .testTarget(
            name: "DMSCryptoTests",
            dependencies: ["DMSCrypto", "Libp2pCrypto", "DMSCore", "Multiformats", "NunetTestSupport"],
            exclude: ["Vectors"]),
        .testTarget(
            name: "DMSCapabilitiesTests",
            dependencies: ["DMSCapabilities", "DMSCrypto", "DMSCore", "NunetTestSupport"],
            exclude: ["GoVectors"]),
        // Every fuzz entry point for NUNET_FUZZ_ITERATIONS inputs, and the regressions fuzzing found.
        .testTarget(name: "NunetFuzzTests", dependencies: ["NunetFuzz"]),
        .testTarget(name: "DMSNetworkTests", dependencies: ["DMSNetwork"]),
        .testTarget(
            name: "DMSNetworkLibp2pTests", dependencies: ["DMSNetworkLibp2p", "DMSNetwork", "Libp2p", "Libp2pCrypto"]),
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
        .testTarget(name: "DMSConfigTests", dependencies: ["DMSConfig", "DMSCore", "NunetTestSupport"]),
        .testTarget(
            name: "DMSEnsembleTests", dependencies: ["DMSEnsemble", "DMSCore", "NunetTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "DMSExecutorTests", dependencies: ["DMSExecutor", "DMSCore", "NunetTestSupport"]),
        .testTarget(
            name: "DMSHTTPClientTests",
            dependencies: [
                "DMSHTTPClient", "NunetTestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The engine and executor tests need a Docker daemon (Tests/Docker/fixtures.sh); without one they skip.
        .testTarget(
            name: "DMSExecutorDockerTests",
            dependencies: [
                "DMSExecutorDocker", "DMSExecutor", "DMSHTTPClient", "DMSCore", "NunetTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        // Depends on `nunet-wasm` so the runner is built; WASM fixtures are assembled from WAT at test time.
        .testTarget(
            name: "DMSExecutorWasmTests",
            dependencies: ["DMSExecutorWasm", "DMSExecutor", "DMSCore", "NunetTestSupport", "nunet-wasm"]),
        // Pure: builds and runs without the actor layer, the store or NIO.
        .testTarget(
            name: "DMSMatchingTests", dependencies: ["DMSMatching", "DMSEnsemble", "DMSCore", "NunetTestSupport"]),
        .testTarget(name: "DMSMessagesTests", dependencies: ["DMSMessages", "DMSActor", "DMSCore", "DMSCrypto"]),
        .testTarget(
            name: "DMSProviderTests",
            dependencies: [
                "DMSProvider", "DMSMessages", "DMSEnsemble", "DMSExecutor", "DMSActor", "DMSCapabilities", "DMSCrypto",
                "DMSCore", "DMSNetwork", "DMSResources", "DMSStore", "NunetTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "DMSOrchestratorTests",
            dependencies: [
                "DMSOrchestrator", "DMSProvider", "DMSMessages", "DMSEnsemble", "DMSExecutor", "DMSExecutorWasm",
                "DMSActor", "DMSCapabilities", "DMSCrypto", "DMSCore", "DMSNetwork", "DMSResources", "DMSStore",
                "NunetTestSupport", "nunet-wasm",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "DMSNodeTests",
            dependencies: [
                "DMSNode", "DMSConfig", "DMSMessages", "DMSCore", "DMSStore", "DMSActor", "DMSCapabilities",
                "DMSCrypto",
                "DMSNetwork", "Multiformats", "NunetTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]),
        .testTarget(
            name: "DMSAPITests",
            dependencies: [
                "DMSAPI", "DMSNode", "DMSCore", "NunetTestSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // End-to-end: runs the built `nunet` binary as a user would (the dependency makes it get built).
        // The dashboard's browser test drives Chromium through chromedriver (WebDriver over DMSHTTPClient).
        .testTarget(
            name: "NunetCLITests",
            dependencies: ["nunet", "DMSCore", "DMSExecutor", "DMSHTTPClient", "DMSMessages", "NunetTestSupport"]),
    ]
)
