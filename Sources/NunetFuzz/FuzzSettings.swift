import Foundation

/// How long the unit tests fuzz and from which seed: `NUNET_FUZZ_ITERATIONS` inputs per entry point (3000
/// by default, a few seconds in all) from `NUNET_FUZZ_SEED` (random, and printed, unless given).
public enum FuzzSettings {
    public static let iterations = Int(ProcessInfo.processInfo.environment["NUNET_FUZZ_ITERATIONS"] ?? "") ?? 3000
    public static let seed =
        UInt64(ProcessInfo.processInfo.environment["NUNET_FUZZ_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
}
