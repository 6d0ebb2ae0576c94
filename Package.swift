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
    targets: [
        .target(name: "CShims", path: "Sources/CShims"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "HTTPServer", dependencies: ["CShims"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"], swiftSettings: swiftSettings),
        .executableTarget(name: "OpenAPIGenerator", path: "Sources/OpenAPIGenerator", exclude: ["YAML-SUBSET.md"],
                          swiftSettings: swiftSettings),
        .testTarget(name: "YAMLTests", dependencies: ["OpenAPIGenerator"], swiftSettings: swiftSettings),
    ]
)
