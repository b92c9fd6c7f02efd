// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
        .library(name: "Cairn", targets: ["Cairn"]),
        .library(name: "CairnCore", targets: ["CairnCore"]),
        .library(name: "Linkage", targets: ["Linkage"]),
        .library(name: "QRCode", targets: ["QRCode"]),
        .library(name: "Disclosure", targets: ["Disclosure"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        // Exact, not `from:`: Platform/SQLiteDirect.swift imports sqlite-nio's internal C
        // module (VaporCSQLite, not a product) and reads the connection's `sqlite3` handle by
        // reflection, so it depends on this release's internal layout. Upgrade deliberately:
        // bump the version, then StorageTests.theDirectPathIsAvailableOnSQLiteOnly must pass.
        .package(url: "https://github.com/vapor/sqlite-nio.git", exact: "1.13.2"),
        // Settings' layers (flags, environment, .env) as one provider hierarchy (Platform/ConfigSources.swift).
        // No traits: Cairn reads no configuration files, and Hummingbird and AsyncHTTPClient take it the same way.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        // Reads openapi.yaml at start-up so the server enforces the spec's limits (API/APISpec.swift).
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Pure domain rules: no server, no database.
        .target(name: "CairnCore", swiftSettings: swiftSettings),
        // The entity-resolution engine: pure Swift, no dependencies.
        .target(name: "Linkage", swiftSettings: swiftSettings),
        // QR code symbols drawn as SVG (two-factor set-up): pure Swift, no dependencies.
        .target(name: "QRCode", swiftSettings: swiftSettings),
        // Statistical disclosure control: attacker check, suppression, DP noise, signed releases. No database.
        .target(name: "Disclosure", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        // Types and server stubs generated from openapi.yaml (spec-first).
        .target(
            name: "CairnAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "Cairn",
            dependencies: [
                "CairnCore", "Linkage", "CairnAPI", "QRCode", "Disclosure",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cairn",
            dependencies: [
                "Cairn", "Linkage", "CairnCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore"], swiftSettings: swiftSettings),
        .testTarget(name: "LinkageTests", dependencies: ["Linkage"], swiftSettings: swiftSettings),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"], swiftSettings: swiftSettings),
        .testTarget(name: "DisclosureTests", dependencies: ["Disclosure"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CairnTests",
            dependencies: [
                "Cairn", "CairnCore", "CairnAPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
