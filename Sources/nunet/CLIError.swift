/// A one-line error for the user; printed by the argument parser and turned into exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
