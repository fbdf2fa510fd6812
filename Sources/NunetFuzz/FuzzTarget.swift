/// One decoder's fuzz entry point, shared by the unit tests (a short deterministic pass in CI) and the
/// `nunet-fuzz` driver (libFuzzer, coverage-guided, for millions of inputs), so both exercise the same checks.
public struct FuzzTarget: Sendable {
    /// The name `scripts/fuzz`, `NUNET_FUZZ_TARGET` and the corpus directory use.
    public let name: String
    /// The longest random input the built-in mutator makes; libFuzzer picks its own lengths.
    public let maxLength: Int
    /// Valid inputs the mutations start from; the checked-in corpus holds the same bytes.
    public let seeds: @Sendable () throws -> [[UInt8]]
    /// Decodes `bytes` with the real decoder. Refusing an input is fine; crashing, or accepting something
    /// that does not survive its own re-encoding, throws (or traps) and is a finding.
    public let run: @Sendable ([UInt8]) throws(FuzzFailure) -> Void

    public init(
        name: String, maxLength: Int = 128, seeds: @escaping @Sendable () throws -> [[UInt8]],
        run: @escaping @Sendable ([UInt8]) throws(FuzzFailure) -> Void
    ) {
        self.name = name
        self.maxLength = maxLength
        self.seeds = seeds
        self.run = run
    }
}

/// A decoder accepted an input but broke one of its own promises about it (a re-encoding that differs).
public struct FuzzFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// Throws `FuzzFailure(message)` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(message()) }
}
