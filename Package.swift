// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "pantau",
  products: [
    .executable(name: "pantau", targets: ["pantau"]),
    .library(
      name: "PantauKit", targets: ["Columnar", "Spreadsheet", "Language", "Render", "SQL", "Shell"]),
  ],
  dependencies: [
    // The command line: typed options, usage errors and generated shell completion scripts.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Excel workbooks are ZIP archives: reading their parts and writing new ones.
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .systemLibrary(name: "CCompression", providers: [.apt(["zlib1g-dev", "libzstd-dev"])]),
    .target(name: "Columnar", dependencies: ["CCompression"]),
    .target(
      name: "Spreadsheet",
      dependencies: ["Columnar", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    .target(name: "Language", dependencies: ["Columnar", "Spreadsheet"]),
    .target(name: "Render", dependencies: ["Columnar"]),
    .target(name: "SQL", dependencies: ["Columnar", "Language"]),
    .target(
      name: "Shell",
      dependencies: [
        "Columnar", "Language", "Render", "Spreadsheet", "SQL",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "pantau", dependencies: ["Shell", "CReadline"]),
    .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
    .testTarget(name: "LanguageTests", dependencies: ["Language", "Columnar"]),
    .testTarget(name: "RenderTests", dependencies: ["Render", "Columnar"], exclude: ["Goldens"]),
    .testTarget(
      name: "ShellTests",
      dependencies: [
        "Shell", "Language", "Columnar", "Render", "Spreadsheet",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
