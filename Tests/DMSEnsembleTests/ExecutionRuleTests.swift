import DMSCore
import DMSEnsemble
import Foundation
import Testing

/// The docker, firecracker, wasm and null execution schemas.
@Suite struct ExecutionRuleTests {
    static func docker(_ flow: String) -> String {
        ensembleYAML(allocation: [("execution", "{type: docker, \(flow)}")])
    }
    static func firecracker(_ flow: String) -> String {
        ensembleYAML(allocation: [("executor", "firecracker"), ("execution", "{type: firecracker, \(flow)}")])
    }
    static func wasm(_ flow: String) -> String {
        ensembleYAML(allocation: [("executor", "wasm"), ("execution", "{type: wasm, \(flow)}")])
    }
    static let digest = String(repeating: "ab", count: 32)
    static let module = Base64.encode([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00])

    static let cases: [Broken] = [
        Broken(docker("cmd: [a]"), "allocations.api.execution.image", "", "required"),
        Broken(
            docker("image: \"Alpine:3\""), "allocations.api.execution.image", "Alpine:3",
            "must be an image reference such as alpine:3.20 or ghcr.io/org/app:1.2 (lowercase path)"),
        Broken(
            docker("image: \"alpine::3\""), "allocations.api.execution.image", "alpine::3",
            "must be an image reference such as alpine:3.20 or ghcr.io/org/app:1.2 (lowercase path)"),
        Broken(
            docker("image: alpine, entrypoint: /bin/sh"), "allocations.api.execution.entrypoint", "/bin/sh",
            "must be a list"),
        Broken(docker("image: alpine, cmd: [[a]]"), "allocations.api.execution.cmd[0]", "[…]", "must be text"),
        Broken(
            docker("image: alpine, environment: [\"A=1\", \"1X=2\"]"), "allocations.api.execution.environment[1]",
            "1X=2",
            "must be KEY=VALUE, with KEY a letter or _, then letters, digits or _"),
        Broken(
            docker("image: alpine, environment: [NOVALUE]"), "allocations.api.execution.environment[0]", "NOVALUE",
            "must be KEY=VALUE, with KEY a letter or _, then letters, digits or _"),
        Broken(
            docker("image: alpine, working_directory: \"\""), "allocations.api.execution.working_directory", "",
            "must not be empty"),
        Broken(
            docker("image: alpine, restart_policy: sometimes"), "allocations.api.execution.restart_policy", "sometimes",
            "must be no, on-failure, always or unless-stopped"),
        Broken(
            docker("image: alpine, privileged: sure"), "allocations.api.execution.privileged", "sure",
            "must be true or false"),
        Broken(
            docker("image: alpine, kernel_image: k"), "allocations.api.execution.kernel_image", "",
            "unknown key; known keys: type, image, entrypoint, cmd, environment, working_directory, restart_policy, "
                + "privileged, registry_auth"),
        Broken(
            docker("image: alpine, registry_auth: {username: me}"), "allocations.api.execution.registry_auth.password",
            "", "required"),
        Broken(
            docker("image: alpine, enviroment: [A=1]"), "allocations.api.execution.enviroment", "",
            #"unknown key; did you mean "environment"?"#),
        Broken(firecracker("root_file_system: /rootfs"), "allocations.api.execution.kernel_image", "", "required"),
        Broken(firecracker("kernel_image: /vmlinux"), "allocations.api.execution.root_file_system", "", "required"),
        Broken(
            firecracker("kernel_image: /vmlinux, root_file_system: /rootfs, initrd: /a, initrd_path: /b"),
            "allocations.api.execution.initrd_path", "/b", "give either initrd or initrd_path, not both"),
        Broken(
            firecracker("kernel_image: /vmlinux, root_file_system: /rootfs, kernel_args: \"\""),
            "allocations.api.execution.kernel_args", "", "must not be empty"),
        Broken(
            wasm("entry: main"), "allocations.api.execution.module", "", "required: a path, {url, sha256} or {inline}"),
        Broken(
            wasm("module: {url: \"http://example.org/a.wasm\", sha256: \(digest)}"),
            "allocations.api.execution.module.url", "http://example.org/a.wasm",
            "must be an https URL, such as https://example.org/app.wasm"),
        Broken(
            wasm("module: {url: \"https://example.org/a.wasm\"}"), "allocations.api.execution.module.sha256", "",
            "required"),
        Broken(
            wasm("module: {url: \"https://example.org/a.wasm\", sha256: abc}"),
            "allocations.api.execution.module.sha256",
            "abc", "must be the module's SHA-256 as 64 hexadecimal digits"),
        Broken(
            wasm("module: {path: a.wasm, sha256: \(digest)}"), "allocations.api.execution.module.sha256", digest,
            "only a url module has a sha256"),
        Broken(
            wasm("module: {path: a.wasm, inline: \(module)}"), "allocations.api.execution.module", "{…}",
            "must give exactly one of path, url (with sha256) or inline"),
        Broken(
            wasm("module: {inline: \"!!!!\"}"), "allocations.api.execution.module.inline", "!!!!",
            "must be a WASM module in base64 (its bytes start with \\0asm)"),
        Broken(
            wasm("module: {inline: \(Base64.encode(Array("hello".utf8)))}"), "allocations.api.execution.module.inline",
            Base64.encode(Array("hello".utf8)), "must be a WASM module in base64 (its bytes start with \\0asm)"),
        Broken(
            wasm("module: {path: a.wasm, pth: b.wasm}"), "allocations.api.execution.module.pth", "",
            #"unknown key; did you mean "path"?"#),
        Broken(wasm("module: \"\""), "allocations.api.execution.module", "", "must not be empty"),
        Broken(
            wasm("module: a.wasm, env: {1BAD: x}"), "allocations.api.execution.env.1BAD", "1BAD",
            "must be an environment variable name: a letter or _, then letters, digits or _"),
        Broken(
            wasm("module: a.wasm, fuel: 0"), "allocations.api.execution.fuel", "0",
            "must be a whole number of fuel units above 0"),
        Broken(
            wasm("module: a.wasm, timeout: soon"), "allocations.api.execution.timeout", "soon",
            "must be a number of seconds above 0 or a duration such as 30s"),
        Broken(wasm("module: a.wasm, args: --fast"), "allocations.api.execution.args", "--fast", "must be a list"),
        Broken(wasm("module: a.wasm, entry: \"\""), "allocations.api.execution.entry", "", "must not be empty"),
        Broken(
            ensembleYAML(allocation: [("executor", "null"), ("execution", "{type: null, exit_code: 300}")]),
            "allocations.api.execution.exit_code", "300", "must be an exit code from 0 to 255"),
        Broken(
            ensembleYAML(allocation: [("executor", "null"), ("execution", "{type: null, seconds: -1}")]),
            "allocations.api.execution.seconds", "-1", "must be a number of seconds, 0 or more"),
        Broken(
            ensembleYAML(allocation: [("executor", "null"), ("execution", "{type: null, image: alpine}")]),
            "allocations.api.execution.image", "", "unknown key; known keys: type, exit_code, seconds, stdout"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    @Test(arguments: [
        "alpine", "alpine:3.20", "prom/prometheus:v2.53.0", "ghcr.io/example/infer:1.2", "localhost:5000/app",
        "registry.example.com:443/team/app_name-x:1.0.0-rc.1",
        "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ])
    func validImageReferences(_ image: String) {
        #expect(errors(Self.docker("image: \"\(image)\"")) == [])
    }

    @Test func dockerSettingsAreKept() throws {
        let yaml = Self.docker(
            "image: alpine, entrypoint: [sh, \"-c\"], cmd: [\"\"], environment: [\"A=\", \"_B=x=y\"], "
                + "working_directory: /w, restart_policy: no, privileged: yes, "
                + "registry_auth: {username: me, password: \"s3cret\", server: \"registry.example:5000\"}")
        #expect(
            try EnsembleParser.parse(yaml: yaml).allocations["api"]?.execution
                == .docker(
                    DockerExecution(
                        image: "alpine", entrypoint: ["sh", "-c"], cmd: [""], environment: ["A=", "_B=x=y"],
                        workingDirectory: "/w", restartPolicy: "no", privileged: true,
                        registryAuth: RegistryCredentials(
                            username: "me", password: "s3cret", server: "registry.example:5000"))))
    }

    @Test func firecrackerSettingsAreKept() throws {
        let yaml = Self.firecracker(
            "kernel_image: /vmlinux, root_file_system: /rootfs.ext4, kernel_args: console=ttyS0, "
                + "initrd_path: /initrd, mmds_message: hello")
        #expect(
            try EnsembleParser.parse(yaml: yaml).allocations["api"]?.execution
                == .firecracker(
                    FirecrackerExecution(
                        kernelImage: "/vmlinux", rootFileSystem: "/rootfs.ext4", kernelArgs: "console=ttyS0",
                        initrd: "/initrd", mmdsMessage: "hello")))
    }

    @Test func wasmModuleForms() throws {
        func module(_ flow: String) throws -> WasmModuleSource? {
            guard
                case .wasm(let wasm) = try EnsembleParser.parse(yaml: Self.wasm("module: \(flow)")).allocations["api"]?
                    .execution
            else { return nil }
            return wasm.module
        }
        #expect(try module("app.wasm") == .path("app.wasm"))
        #expect(try module("{path: /opt/app.wasm}") == .path("/opt/app.wasm"))
        #expect(
            try module("{url: \"https://example.org/a.wasm\", sha256: \(Self.digest.uppercased())}")
                == .url("https://example.org/a.wasm", sha256: Self.digest))
        #expect(try module("{inline: \(Self.module)}") == .inline([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]))
    }

    @Test func wasmSettingsAndDefaults() throws {
        let full = Self.wasm(
            "module: a.wasm, entry: run, args: [\"\", x], env: {MODE: fast, _N: 1}, fuel: 1000, timeout: 2m")
        #expect(
            try EnsembleParser.parse(yaml: full).allocations["api"]?.execution
                == .wasm(
                    WasmExecution(
                        module: .path("a.wasm"), entry: "run", args: ["", "x"], env: ["MODE": "fast", "_N": "1"],
                        fuel: 1000, timeout: 120)))
        #expect(
            try EnsembleParser.parse(yaml: Self.wasm("module: a.wasm")).allocations["api"]?.execution
                == .wasm(WasmExecution(module: .path("a.wasm"))))
    }

    @Test func everyExecutionKindRoundTripsThroughJSON() throws {
        let yaml = """
            version: "V1"
            allocations:
              box:
                executor: docker
                type: service
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: docker, image: alpine, privileged: true, restart_policy: always}
                volume: [{type: local, src: data, mount_destination: /d}]
              vm:
                executor: firecracker
                type: task
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: firecracker, kernel_image: /k, root_file_system: /r, mmds_message: m}
              module:
                executor: wasm
                type: task
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: wasm, module: {inline: \(Self.module)}, env: {A: b}, fuel: 5}
              fetched:
                executor: wasm
                type: task
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: wasm, module: {url: "https://example.org/a.wasm", sha256: \(Self.digest)}}
              idle:
                executor: null
                type: service
                resources: {cpu: {cores: 0.25}, ram: {size: 64MiB}, disk: {size: 1}}
                execution: {type: null, stdout: hi}
            """
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        let data = try JSONEncoder().encode(ensemble)
        #expect(try JSONDecoder().decode(Ensemble.self, from: data) == ensemble)
    }
}
