// swift-tools-version: 6.0
// libFuzzer targets for pantau. Build and run with Fuzz/run.sh; they are a separate
// package because they only link with -sanitize=fuzzer.
import PackageDescription

let fuzz = ["FuzzLanguage", "FuzzReaders", "FuzzPipelines"]

let package = Package(
  name: "PantauFuzz",
  dependencies: [.package(name: "pantau", path: "..")],
  targets: [.target(name: "FuzzSupport")]
    + fuzz.map { name in
      .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "PantauKit", package: "pantau")])
    },
  swiftLanguageModes: [.v6]
)
