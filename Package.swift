// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "pantau",
  products: [
    .executable(name: "pantau", targets: ["pantau"]),
    .library(
      name: "PantauKit",
      targets: ["Columnar", "Spreadsheet", "Language", "Render", "SQL", "Remote", "Shell"]),
  ],
  dependencies: [
    // The command line: typed options, usage errors and generated shell completion scripts.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Excel workbooks are ZIP archives: reading their parts and writing new ones.
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    // `--connect`: PostgreSQL's wire protocol (authentication, TLS, binary rows, COPY).
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    // The TLS context postgres-nio takes when the server asks for TLS.
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    // postgres-nio's logger type (pantau gives it one that drops everything).
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .systemLibrary(name: "CCompression", providers: [.apt(["zlib1g-dev", "libzstd-dev"])]),
    // glibc's mallopt and malloc_trim (malloc.h is not in Swift's Glibc module).
    .systemLibrary(name: "CAllocator"),
    .target(name: "Columnar", dependencies: ["CCompression", "CAllocator"]),
    .target(
      name: "Spreadsheet",
      dependencies: ["Columnar", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    .target(name: "Language", dependencies: ["Columnar"]),
    .target(name: "Render", dependencies: ["Columnar"]),
    .target(name: "SQL", dependencies: ["Columnar", "Language"]),
    .target(
      name: "Remote",
      dependencies: [
        "Columnar", "Language", "SQL",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .target(
      name: "Shell",
      dependencies: [
        "Columnar", "Language", "Render", "Spreadsheet", "SQL", "Remote",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "pantau", dependencies: ["Shell", "CReadline"]),
    // The tests' shared helpers (a seeded generator), a library only the tests link.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "ColumnarTests", dependencies: ["Columnar", "TestSupport"]),
    .testTarget(name: "LanguageTests", dependencies: ["Language", "Columnar", "TestSupport"]),
    .testTarget(
      name: "RenderTests", dependencies: ["Render", "Columnar", "TestSupport"],
      exclude: ["Goldens"]),
    .testTarget(
      name: "ShellTests",
      dependencies: [
        "Shell", "Language", "Columnar", "Render", "Spreadsheet", "SQL", "Remote", "TestSupport",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
