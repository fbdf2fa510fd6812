/// Where a value sits in the ensemble, written as users read it: `allocations.api.resources.ram.size`,
/// `nodes.gpu-box.ports[0].public`. The root is the empty path.
struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    let description: String

    static let root = FieldPath(description: "")

    func key(_ key: String) -> FieldPath {
        FieldPath(description: description.isEmpty ? key : "\(description).\(key)")
    }

    func index(_ index: Int) -> FieldPath {
        FieldPath(description: "\(description)[\(index)]")
    }
}
