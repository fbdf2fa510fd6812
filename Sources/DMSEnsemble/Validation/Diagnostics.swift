/// Collects every broken rule of one parse, in the order found. A node reached twice under the same rule
/// (a template or an anchor shared by several allocations) is reported once, at the first path that
/// reached it.
final class Diagnostics {
    private(set) var errors: [EnsembleValidationError] = []
    private var reported: Set<String> = []

    var isEmpty: Bool { errors.isEmpty }

    /// An error about `node` (its text and line), or about a missing value when `node` is the mapping that
    /// lacks it and `showValue` is false.
    func report(_ path: FieldPath, _ node: YAMLNode?, _ rule: String, showValue: Bool = true) {
        if let node {
            let field = path.description.split(separator: ".").last ?? ""
            let identity = "\(node.line):\(node.column):\(field):\(rule)"
            guard !reported.contains(identity) else { return }
            reported.insert(identity)
        }
        errors.append(
            EnsembleValidationError(
                path: path.description, value: showValue ? node?.shown ?? "" : "", rule: rule, line: node?.line))
    }

    /// An error found outside any node (a whole-document problem).
    func add(_ error: EnsembleValidationError) {
        errors.append(error)
    }
}
