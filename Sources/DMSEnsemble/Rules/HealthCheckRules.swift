import DMSCore

/// `healthcheck`: how the supervisor tells a service is healthy: a `command` run inside the workload (its
/// output must contain the expected response) or an `http` GET (its body must equal it).
struct HealthCheckRules {
    let diagnostics: Diagnostics

    static let keys = ["type", "exec", "endpoint", "response", "interval"]

    /// `executor`: a WASM module has no shell, so a command check cannot run inside it.
    func healthCheck(_ fields: Fields, executor: ExecutorKind?) -> HealthCheck? {
        let type = fields.choice("type", HealthCheck.CheckType.self, required: true)
        let exec = fields.strings("exec", allowEmpty: true)
        let endpoint = fields.string("endpoint")
        switch type {
        case .command?:
            if fields["exec"] == nil || exec?.isEmpty == true {
                fields.reportMissing("exec", "a command healthcheck needs exec: the command and its arguments")
            }
            if executor == .wasm {
                fields.report("type", "a WASM module has no shell to run commands in; use http")
            }
        case .http?:
            if fields["endpoint"] == nil {
                fields.reportMissing("endpoint", "an http healthcheck needs endpoint: the URL to GET")
            }
        case nil:
            break
        }
        let response = fields.fields("response", known: ["type", "value"]).flatMap { response -> String? in
            if let kind = response.string("type"), kind != "string" {
                response.report("type", "must be string (the only kind of expected response)")
            }
            return response.string("value", required: true, allowEmpty: true)
        }
        let interval = fields.seconds("interval")
        guard let type else { return nil }
        return HealthCheck(
            type: type, exec: exec ?? [], endpoint: endpoint ?? "", expectedResponse: response, interval: interval)
    }
}
