// swift-tools-version:6.1
import PackageDescription

// No package dependencies, by design: only the toolchain and three system C libraries.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "fjern",
    products: [
        .executable(name: "fjern", targets: ["fjern"]),
        .executable(name: "openapi-gen", targets: ["OpenAPIGenerator"]),
    ],
    targets: [
        .target(name: "CShims", path: "Sources/CShims"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"], swiftSettings: swiftSettings),
        .target(name: "HTTPServer", dependencies: ["CShims"], swiftSettings: swiftSettings),
        // Swift over libcurl: HTTP(S) requests and SMTP(S) mail, each transfer off the cooperative pool.
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "TestSupport"], swiftSettings: swiftSettings),
        // AES-128 ECB/CBC/CTR/CMAC for the meters, AES-256-GCM for keys at rest, SHA-256, HMAC.
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"], swiftSettings: swiftSettings),
        // Wired and wireless M-Bus, OMS security, Kamstrup compact frames and info codes. Pure: no I/O.
        .target(name: "MBus", dependencies: ["Crypto"], swiftSettings: swiftSettings),
        .testTarget(name: "MBusTests", dependencies: ["MBus", "Crypto"], swiftSettings: swiftSettings),
        // Decode throughput (./scripts/bench-decode); COpenSSL for the raw AES-CTR baseline beside it.
        .executableTarget(name: "MBusBench", dependencies: ["MBus", "Crypto", "COpenSSL"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"], swiftSettings: swiftSettings),
        // A raw-socket client and thread helper shared by the tests that talk to a live server.
        .target(name: "TestSupport", dependencies: ["HTTPServer"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        // openapi.yaml -> Sources/API/Generated; run by ./scripts/generate, checked by a staleness test.
        .executableTarget(name: "OpenAPIGenerator", exclude: ["README.md", "YAML-SUBSET.md"], swiftSettings: swiftSettings),
        // Generated types, operation protocol and routes plus the small hand-written runtime they need.
        .target(name: "API", dependencies: ["HTTPServer"], swiftSettings: swiftSettings),
        .testTarget(name: "OpenAPIGeneratorTests", dependencies: ["OpenAPIGenerator"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "YAMLTests", dependencies: ["OpenAPIGenerator"], swiftSettings: swiftSettings),
        .testTarget(name: "APITests", dependencies: ["API", "HTTPServer"], swiftSettings: swiftSettings),
        // Wiring: handlers implementing the generated protocol, configuration, lifecycle.
        // The domain's schema, migrations and repositories over SQLite.
        .target(name: "Metering", swiftSettings: swiftSettings),
        .testTarget(name: "MeteringTests", dependencies: ["Metering"], swiftSettings: swiftSettings),
        .target(name: "Store", dependencies: ["SQLite", "Metering"], swiftSettings: swiftSettings),
        // Notification channels (e-mail over SMTP, SMS over an HTTP gateway), signed webhook calls,
        // the key-server client. Uses Curl, and Crypto for signatures.
        .target(name: "Outbound", dependencies: ["Curl", "Crypto"], swiftSettings: swiftSettings),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "Curl", "Crypto", "TestSupport"], swiftSettings: swiftSettings),
        .target(name: "App", dependencies: ["API", "HTTPServer", "Store", "SQLite", "Crypto", "MBus", "Metering", "Outbound", "Curl"], swiftSettings: swiftSettings),
        .testTarget(name: "AppTests", dependencies: ["App", "API", "HTTPServer", "Store", "SQLite", "TestSupport", "MBus", "Metering", "Crypto", "Outbound", "Curl"], swiftSettings: swiftSettings),
        // The executable only parses its command line and calls App.
        .executableTarget(name: "fjern", dependencies: ["App"], swiftSettings: swiftSettings),
    ]
)
