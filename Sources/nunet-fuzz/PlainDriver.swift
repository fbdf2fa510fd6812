#if !NUNET_LIBFUZZER
    import Foundation
    import NunetFuzz

    /// `nunet-fuzz` without libFuzzer (the normal build): lists the entry points, writes their seed corpora,
    /// replays saved inputs, and fuzzes with the built-in mutator where the sanitizer build is not available.
    @main
    enum PlainDriver {
        static let usage = """
            usage: nunet-fuzz list
                   nunet-fuzz seeds <target> <directory>
                   nunet-fuzz replay <target> <file>...
                   nunet-fuzz run <target> [-runs=N] [-seed=S] [<corpus directory>...]
            """

        static func main() throws {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let command = arguments.first else { fail(usage) }
            if command == "list" {
                for target in FuzzTargets.all { print(target.name) }
                return
            }
            guard arguments.count >= 2, let target = FuzzTargets.named(arguments[1]) else { fail(usage) }
            let rest = Array(arguments.dropFirst(2))
            switch command {
            case "seeds":
                guard let directory = rest.first else { fail(usage) }
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for (index, seed) in try target.seeds().enumerated() {
                    try Data(seed).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(index)"))
                }
            case "replay":
                for path in rest {
                    try target.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
                    print("\(path): ok")
                }
            case "run": try run(target, rest)
            default: fail(usage)
            }
        }

        /// Mutates the seeds and the corpus for `-runs` inputs; a failed check writes the input and exits 1.
        static func run(_ target: FuzzTarget, _ options: [String]) throws {
            var runs = 1_000_000
            var seed = UInt64.random(in: 1...UInt64.max)
            var samples = try target.seeds()
            for option in options {
                if option.hasPrefix("-runs="), let value = Int(option.dropFirst(6)) {
                    runs = value
                } else if option.hasPrefix("-seed="), let value = UInt64(option.dropFirst(6)) {
                    seed = value
                } else {
                    for file in try FileManager.default.contentsOfDirectory(atPath: option).sorted() {
                        samples.append(Array(try Data(contentsOf: URL(fileURLWithPath: option + "/" + file))))
                    }
                }
            }
            print("\(target.name): \(runs) inputs, seed \(seed), \(samples.count) samples")
            var mutator = FuzzMutator(seed: seed, samples: samples, maxLength: target.maxLength)
            let start = ContinuousClock.now
            for index in 0..<runs {
                let input = mutator.next()
                do {
                    try target.run(input)
                } catch {
                    let path = "crash-\(target.name)-\(seed)-\(index)"
                    try Data(input).write(to: URL(fileURLWithPath: path))
                    fail("input \(index) (seed \(seed)): \(error); saved as \(path)")
                }
            }
            print("Done \(runs) runs in \(ContinuousClock.now - start)")
        }

        static func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(1)
        }
    }
#endif
