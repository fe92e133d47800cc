// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "pantau",
  products: [
    .executable(name: "pantau", targets: ["pantau"]),
    .library(name: "PantauKit", targets: ["Columnar", "Language", "Render", "Shell"]),
  ],
  dependencies: [
    // The command line: typed options, usage errors and generated shell completion scripts.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "Columnar", dependencies: ["CZlib"]),
    .target(name: "Language", dependencies: ["Columnar"]),
    .target(name: "Render", dependencies: ["Columnar"]),
    .target(
      name: "Shell",
      dependencies: [
        "Columnar", "Language", "Render",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "pantau", dependencies: ["Shell", "CReadline"]),
    .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
    .testTarget(name: "LanguageTests", dependencies: ["Language", "Columnar"]),
    .testTarget(name: "RenderTests", dependencies: ["Render", "Columnar"], exclude: ["Goldens"]),
    .testTarget(name: "ShellTests", dependencies: ["Shell", "Language", "Columnar", "Render"]),
  ],
  swiftLanguageModes: [.v6]
)
