// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stitch-wizard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stitch-wizard", targets: ["stitch-wizard"]),
        .executable(name: "stitch-sandbox", targets: ["stitch-sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Already in the graph through the packages above; named because our code imports them.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Codable models of both APIs, typed errors, name rules. Pure: no I/O.
        .target(name: "StitchAPI"),
        // The only module that speaks HTTP as a client.
        .target(name: "StitchClient", dependencies: [
            "StitchAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Pure terminal model: frames of styled cells, display width, keys.
        .target(name: "TerminalUI"),
        // ncursesw, bound as a system library (see reference/swift-ncurses.md).
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       providers: [.apt(["libncurses-dev"])]),
        // The only module that touches ncurses: blit frames, read keys, restore the terminal.
        .target(name: "NcursesBackend", dependencies: ["CNcursesw", "TerminalUI"]),
        // The wizard's state machine: (state, event) -> (state, [effect]). No terminal, no network.
        .target(name: "WizardCore", dependencies: ["StitchAPI", "TerminalUI", "RecordBatch", "RecordInput"]),
        // Pure views: (state, size) -> frame.
        .target(name: "WizardViews", dependencies: ["WizardCore", "TerminalUI", "RecordBatch"]),
        // Runs effects over HTTP and drives the loop on a terminal backend.
        .target(name: "WizardRuntime", dependencies: [
            "WizardCore", "WizardViews", "StitchClient", "StitchAPI", "TerminalUI", "RecordBatch", "RecordInput",
        ]),
        // The only module that speaks SQL: destination writers.
        .target(name: "StitchDestination", dependencies: [
            "StitchAPI",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // A local Stitch: Connect API v4 + Import API v2, durable inbox, loader.
        .target(name: "StitchSandbox", dependencies: [
            "StitchAPI", "StitchDestination",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            // HummingbirdCore and NIOHTTP1: the sandbox's own HTTP/1 child channel (ConnectionGuard).
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Streaming record readers (JSONL, JSON, CSV, batch bodies, Singer), the batcher within the
        // Import API's limits and the Singer mapping. Pure: no network, so the record editor uses them too.
        .target(name: "RecordInput", dependencies: ["StitchAPI"]),
        // The headless commands' engine: the retry policy and the pipeline that sends RecordInput's
        // batches through StitchClient.
        .target(name: "StitchPush", dependencies: [
            "RecordInput", "StitchAPI", "StitchClient", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // The record editor's batch (issue 8): a table of typed cells held compactly, its edits, files
        // loaded into it, local checks with the Import API's rules, and the split into requests. No terminal,
        // no network; reads and batches records with RecordInput's readers and batcher.
        .target(name: "RecordBatch", dependencies: ["StitchAPI", "RecordInput"]),
        .executableTarget(name: "stitch-wizard", dependencies: [
            "WizardRuntime", "StitchSandbox", "StitchDestination", "StitchClient", "NcursesBackend", "StitchPush", "RecordInput",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // Release on Linux only, for start-up (README, "Start-up figures"); debug builds and tests
            // link as usual. -static-stdlib: the Swift runtime and Foundation linked in, so the start
            // neither maps nor binds ~20 shared libraries. Our objects were compiled against the shared
            // Foundation and name only -lFoundation: its static archives, which need each other, are
            // named as one group. lld with packed relative relocations (DT_RELR, glibc 2.36+): the
            // loader reads a few KB instead of 3.5 MB of them. --no-export-dynamic undoes the
            // -export-dynamic of -static-stdlib, whose 56,000 exported symbols the runtime's start
            // (its backtracer's dladdr) searched one by one; nothing looks our symbols up by name.
            .unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                          "-Xlinker", "--no-export-dynamic", "-Xlinker", "--start-group",
                          "-lFoundation", "-lFoundationEssentials", "-lFoundationInternationalization", "-lCoreFoundation",
                          "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-Xlinker", "--end-group"],
                         .when(platforms: [.linux], configuration: .release)),
        ]),
        .executableTarget(name: "stitch-sandbox", dependencies: [
            "StitchSandbox", "StitchDestination",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Accept and load figures for the README (scripts/benchmark.sh runs it in release mode).
        .executableTarget(name: "stitch-benchmark", dependencies: [
            "StitchAPI", "StitchClient", "StitchDestination",
            // The record editor phase drives the editor's reducer, views and effect runner in-process.
            "RecordBatch", "TerminalUI", "WizardCore", "WizardViews", "WizardRuntime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // What several test targets share: a seeded generator, children spawned without Foundation's Process
        // (commands run to their end, the stitch-sandbox binary as SandboxProcess).
        .target(name: "StitchTestSupport", dependencies: [
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ], path: "Tests/StitchTestSupport"),
        .testTarget(name: "StitchAPITests", dependencies: ["StitchAPI", "StitchTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StitchClientTests", dependencies: [
            // StitchSandbox: the Connect endpoints are also tested against the in-process sandbox.
            "StitchClient", "StitchAPI", "StitchSandbox", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "WizardCoreTests", dependencies: ["WizardCore", "StitchAPI", "TerminalUI", "RecordBatch"]),
        .testTarget(name: "WizardViewsTests", dependencies: ["WizardViews", "WizardCore", "TerminalUI", "StitchAPI", "RecordBatch"],
                    exclude: ["__snapshots__"]),
        .testTarget(name: "StitchDestinationTests", dependencies: ["StitchDestination", "StitchAPI"]),
        .testTarget(name: "StitchSandboxTests", dependencies: [
            "StitchSandbox", "StitchDestination", "StitchAPI", "StitchTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "WizardRuntimeTests", dependencies: [
            "WizardRuntime", "WizardCore", "StitchSandbox", "StitchDestination", "StitchAPI", "TerminalUI",
        ]),
        .testTarget(name: "StitchPushTests", dependencies: [
            "StitchTestSupport",
            "StitchPush", "RecordInput", "StitchAPI", "StitchClient", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "RecordInputTests", dependencies: [
            "RecordInput", "StitchAPI", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "RecordBatchTests", dependencies: ["RecordBatch", "StitchAPI", "RecordInput"]),
        .testTarget(name: "EndToEndTests", dependencies: ["StitchAPI", "StitchTestSupport"]),
    ]
)
