/// The null executor's settings: what its stand-in workload prints, how long it runs and its exit code.
/// A service without `seconds` runs until stopped; a task without it exits at once.
extension ExecutionRules {
    func null(_ fields: Fields, allocationType: AllocationType?) -> NullExecution? {
        let exitCode = fields.integer("exit_code", in: 0...255, rule: "must be an exit code from 0 to 255") ?? 0
        let seconds = fields.number(
            "seconds", in: 0...Double.greatestFiniteMagnitude, rule: "must be a number of seconds, 0 or more")
        let stdout = fields.string("stdout", allowEmpty: true) ?? ""
        let defaultSeconds: Double? = allocationType == .service ? nil : 0
        return NullExecution(
            exitCode: Int32(exitCode), seconds: fields["seconds"] == nil ? defaultSeconds : seconds, stdout: stdout)
    }
}
