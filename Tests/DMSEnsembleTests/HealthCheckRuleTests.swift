import DMSEnsemble
import Testing

/// Healthchecks: a command needs exec, http needs endpoint, a positive interval, a string response.
@Suite struct HealthCheckRuleTests {
    static func check(_ flow: String) -> String { ensembleYAML(allocation: [("healthcheck", flow)]) }

    static let cases: [Broken] = [
        Broken(check("{exec: [true]}"), "allocations.api.healthcheck.type", "", "required: command or http"),
        Broken(
            check("{type: ping}"), "allocations.api.healthcheck.type", "ping", "must be command or http"),
        Broken(
            check("{type: command}"), "allocations.api.healthcheck.exec", "",
            "a command healthcheck needs exec: the command and its arguments"),
        Broken(
            check("{type: command, exec: []}"), "allocations.api.healthcheck.exec", "",
            "a command healthcheck needs exec: the command and its arguments"),
        Broken(
            ensembleYAML(allocation: [
                ("executor", "wasm"), ("execution", "{type: wasm, module: a.wasm}"),
                ("healthcheck", "{type: command, exec: [true]}"),
            ]), "allocations.api.healthcheck.type", "command",
            "a WASM module has no shell to run commands in; use http"),
        Broken(
            check("{type: http}"), "allocations.api.healthcheck.endpoint", "",
            "an http healthcheck needs endpoint: the URL to GET"),
        Broken(
            check("{type: http, endpoint: \"http://localhost/health\", interval: 0}"),
            "allocations.api.healthcheck.interval", "0", "must be a number of seconds above 0 or a duration such as 30s"
        ),
        Broken(
            check("{type: http, endpoint: \"http://localhost/health\", interval: soon}"),
            "allocations.api.healthcheck.interval", "soon",
            "must be a number of seconds above 0 or a duration such as 30s"),
        Broken(
            check("{type: command, exec: [true], response: {type: json, value: ok}}"),
            "allocations.api.healthcheck.response.type", "json", "must be string (the only kind of expected response)"),
        Broken(
            check("{type: command, exec: [true], response: {type: string}}"),
            "allocations.api.healthcheck.response.value", "", "required"),
        Broken(
            check("{type: command, exec: [true], retries: 3}"), "allocations.api.healthcheck.retries", "",
            "unknown key; known keys: type, exec, endpoint, response, interval"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    @Test func intervalsInSecondsOrAsDurations() throws {
        let seconds = try EnsembleParser.parse(yaml: Self.check("{type: http, endpoint: \"http://x/\", interval: 2.5}"))
        #expect(
            seconds.allocations["api"]?.healthcheck
                == HealthCheck(type: .http, endpoint: "http://x/", interval: 2.5))
        let duration = try EnsembleParser.parse(
            yaml: Self.check("{type: command, exec: [\"true\"], interval: 1m30s, response: {value: \"\"}}"))
        #expect(
            duration.allocations["api"]?.healthcheck
                == HealthCheck(type: .command, exec: ["true"], expectedResponse: "", interval: 90))
    }
}
