import Foundation
import NunetFuzz
import Testing

/// The CI pass of every fuzz entry point: `FuzzSettings.iterations` inputs each from the deterministic
/// mutator (the seed is printed; `NUNET_FUZZ_SEED` replays it), then the checked-in corpus, which holds the
/// seeds and every input fuzzing ever failed on. `scripts/fuzz` runs the same entry points under libFuzzer.
@Suite struct NunetFuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTargets.all.map(\.name))
    func mutatedInputs(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let salt = UInt64(FuzzTargets.all.firstIndex { $0.name == name } ?? 0) &* 0x9E37_79B9
        print("fuzz \(name): seed \(FuzzSettings.seed), \(FuzzSettings.iterations) inputs")
        var mutator = FuzzMutator(
            seed: FuzzSettings.seed ^ salt, samples: try target.seeds(), maxLength: target.maxLength)
        for _ in 0..<FuzzSettings.iterations {
            let input = mutator.next()
            do {
                try target.run(input)
            } catch {
                Issue.record("\(name): \(error) for \(Self.hex(input)) (NUNET_FUZZ_SEED=\(FuzzSettings.seed))")
                return
            }
        }
    }

    /// The corpus `scripts/fuzz` starts from covers every entry point, and every file in it (seeds and past
    /// crashes alike) passes its checks.
    @Test(arguments: FuzzTargets.all.map(\.name))
    func corpus(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let directory = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(
            files.filter { $0.hasPrefix("seed-") }.count == (try target.seeds()).count,
            "regenerate with nunet-fuzz seeds")
        for file in files {
            let input = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(throws: Never.self, "\(name)/\(file)") { try target.run(input) }
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
