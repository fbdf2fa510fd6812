import DMSCore

/// The docker executor's settings: an image (checked against the reference grammar), its entrypoint,
/// command, environment and working directory, a restart policy, whether it runs privileged, and a registry
/// login.
extension ExecutionRules {
    static let restartPolicies = ["no", "on-failure", "always", "unless-stopped"]

    func docker(_ fields: Fields) -> DockerExecution? {
        let image = fields.string("image", required: true)
        if let image, !DockerImageReference.isValid(image) {
            fields.report("image", DockerImageReference.rule)
        }
        let entrypoint = fields.strings("entrypoint", allowEmpty: true) ?? []
        let cmd = fields.strings("cmd", allowEmpty: true) ?? []
        let environment = self.environment(fields)
        let workingDirectory = fields.string("working_directory")
        let restartPolicy = fields.string("restart_policy")
        if let restartPolicy, !Self.restartPolicies.contains(restartPolicy) {
            fields.report("restart_policy", Fields.mustBeOneOf(Self.restartPolicies, given: restartPolicy))
        }
        let privileged = fields.bool("privileged") ?? false
        let registryAuth = self.registryAuth(fields)
        guard let image else { return nil }
        return DockerExecution(
            image: image, entrypoint: entrypoint, cmd: cmd, environment: environment,
            workingDirectory: workingDirectory, restartPolicy: restartPolicy, privileged: privileged,
            registryAuth: registryAuth)
    }

    /// A login for the image's registry: `username` and `password`, and `server` when the image names none.
    private func registryAuth(_ fields: Fields) -> RegistryCredentials? {
        guard let auth = fields.fields("registry_auth", known: ["username", "password", "server"]) else { return nil }
        let username = auth.string("username", required: true)
        let password = auth.string("password", required: true)
        let server = auth.string("server")
        guard let username, let password else { return nil }
        return RegistryCredentials(username: username, password: password, server: server ?? "")
    }

    /// `KEY=VALUE` entries whose key is a valid variable name.
    private func environment(_ fields: Fields) -> [String] {
        var environment: [String] = []
        for (index, item) in (fields.list("environment") ?? []).enumerated() {
            let path = fields.path("environment").index(index)
            guard let entry = Fields.text(item, at: path, allowEmpty: false, diagnostics: diagnostics) else { continue }
            let name = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard entry.contains("="), EnvironmentName.isValid(name) else {
                diagnostics.report(path, item, "must be KEY=VALUE, with KEY a letter or _, then letters, digits or _")
                continue
            }
            environment.append(entry)
        }
        return environment
    }
}
