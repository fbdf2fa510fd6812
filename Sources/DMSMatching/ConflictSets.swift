/// For each depth of the backtracking search, the earlier depths whose choices are to blame for its
/// failure (bit sets, one row per depth), so the search can jump straight back to the deepest culprit
/// instead of retrying every choice in between.
struct ConflictSets {
    private let words: Int
    private var bits: [UInt64]

    init(depths: Int) {
        words = (depths + 63) / 64
        bits = Array(repeating: 0, count: words * depths)
    }

    mutating func clear(_ row: Int) {
        for word in row * words..<(row + 1) * words { bits[word] = 0 }
    }

    mutating func insert(_ depth: Int, into row: Int) {
        bits[row * words + depth / 64] |= 1 << UInt64(depth % 64)
    }

    /// Adds `row`'s culprits to `target`'s, except `target` itself.
    mutating func merge(_ row: Int, into target: Int) {
        for word in 0..<words { bits[target * words + word] |= bits[row * words + word] }
        bits[target * words + target / 64] &= ~(1 << UInt64(target % 64))
    }

    /// The deepest culprit of `row`, if any.
    func deepest(in row: Int) -> Int? {
        for word in (0..<words).reversed() where bits[row * words + word] != 0 {
            return word * 64 + 63 - bits[row * words + word].leadingZeroBitCount
        }
        return nil
    }
}
