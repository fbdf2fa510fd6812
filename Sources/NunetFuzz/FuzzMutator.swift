/// The deterministic input generator of the unit tests and of the driver built without libFuzzer: random
/// bytes, or a seed with a few bytes flipped, inserted, removed or truncated. The same seed gives the same
/// inputs, so a failure printed with its seed replays exactly.
public struct FuzzMutator {
    /// xorshift64*: small, fast and reproducible from the seed.
    public struct Generator: RandomNumberGenerator, Sendable {
        public var state: UInt64

        public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

        public mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    public var generator: Generator
    public let samples: [[UInt8]]
    public let maxLength: Int

    public init(seed: UInt64, samples: [[UInt8]], maxLength: Int) {
        generator = Generator(seed: seed)
        self.samples = samples
        self.maxLength = maxLength
    }

    /// The next input: half random bytes, half a mutated sample (all random when there are no samples).
    public mutating func next() -> [UInt8] {
        if samples.isEmpty || Bool.random(using: &generator) {
            return (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
        }
        var bytes = samples.randomElement(using: &generator)!
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(
                    in: 1...255, using: &generator)
            case 1:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &generator), at: Int.random(in: 0...bytes.count, using: &generator)
                )
            case 2 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &generator))
            default: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
        }
        return bytes
    }
}
