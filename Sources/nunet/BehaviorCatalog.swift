import DMSActor
import DMSCore
import DMSMessages
import DMSNode
import DMSResources
import Foundation

/// The behaviors `nunet actor cmd` knows, with their flags and how the flags become the payload. A
/// behavior not listed here can still be called with `--payload <json>`.
struct BehaviorCall: Sendable {
    struct Flag: Sendable {
        let name: String
        let short: Character?
        /// false for switches such as `--no-gpu`.
        let takesValue: Bool
        let help: String

        init(_ name: String, short: Character? = nil, takesValue: Bool = true, help: String) {
            self.name = name
            self.short = short
            self.takesValue = takesValue
            self.help = help
        }
    }

    let behavior: String
    let summary: String
    /// Set for broadcast behaviors.
    let topic: String?
    let flags: [Flag]
    let payload: @Sendable ([String: String]) throws -> [UInt8]?

    init<Request, Reply>(
        _ spec: BehaviorSpec<Request, Reply>, flags: [Flag] = [],
        payload: @escaping @Sendable ([String: String]) throws -> [UInt8]? = { _ in nil }
    ) {
        self.behavior = spec.name
        self.summary = spec.summary
        self.topic = spec.topic
        self.flags = flags
        self.payload = payload
    }

    static let onboardFlags = [
        Flag("cpu", short: "C", help: "Cores to offer, e.g. 2 or 1.5."),
        Flag("ram", short: "R", help: "RAM to offer, e.g. 4GiB (a bare number is GiB)."),
        Flag("disk", short: "D", help: "Disk to offer, e.g. 20GiB."),
        Flag("gpus", short: "G", help: "GPUs as index:VRAM, e.g. 0:8GB,1:8GB."),
        Flag("no-gpu", short: "N", takesValue: false, help: "Offer no GPU."),
    ]

    static let catalog: [BehaviorCall] =
        [
            BehaviorCall(Behaviors.hello),
            BehaviorCall(Behaviors.status),
            BehaviorCall(
                Behaviors.broadcastHello),
            BehaviorCall(Behaviors.peersSelf),
            BehaviorCall(Behaviors.peersList),
            BehaviorCall(
                Behaviors.peersConnect, flags: [Flag("address", short: "a", help: "Multiaddress or /p2p/<peer ID>.")]
            ) { values in
                guard let address = values["address"] else { throw CLIError("--address is required") }
                return try Payload.encode(PeerConnectRequest(address: address))
            },
            BehaviorCall(Behaviors.peersPing, flags: [Flag("host", short: "H", help: "The peer ID to ping.")]) {
                values in
                guard let host = values["host"] else { throw CLIError("--host is required") }
                return try Payload.encode(PeerPingRequest(host: host))
            },
            BehaviorCall(Behaviors.peersDHT),
            BehaviorCall(Behaviors.stats),
            BehaviorCall(
                Behaviors.loggerConfig,
                flags: [
                    Flag("level", short: "l", help: "Log level: trace, debug, info, notice, warning, error, critical."),
                    Flag("url", short: "u", help: "Elasticsearch URL (the Go DMS's; refused here)."),
                    Flag("interval", short: "i", help: "Elasticsearch flush interval, seconds (refused here)."),
                    Flag("api-key", help: "Elasticsearch API key (refused here)."),
                    Flag("apm-url", help: "Elastic APM URL (refused here)."),
                    Flag("enable-elastic", takesValue: false, help: "Log to Elasticsearch (refused here)."),
                ]
            ) { values in
                guard let interval = Int(values["interval"] ?? "0") else {
                    throw CLIError("--interval must be a whole number of seconds, not \(values["interval"] ?? "")")
                }
                return try Payload.encode(
                    LoggerConfigRequest(
                        level: values["level"] ?? "", url: values["url"] ?? "", interval: interval,
                        apiKey: values["api-key"] ?? "", apmURL: values["apm-url"] ?? "",
                        elasticEnabled: values["enable-elastic"] != nil ? true : nil))
            },
            BehaviorCall(
                Behaviors.onboard, flags: onboardFlags
            ) { values in try Payload.encode(try onboardRequest(values)) },
            BehaviorCall(
                Behaviors.offboard,
                flags: [Flag("force", short: "f", takesValue: false, help: "Stop running allocations first.")]
            ) { values in try Payload.encode(OffboardRequest(force: values["force"] != nil)) },
            BehaviorCall(Behaviors.onboardingStatus),
            BehaviorCall(Behaviors.resourcesOnboarded),
            BehaviorCall(Behaviors.resourcesFree),
            BehaviorCall(Behaviors.resourcesAllocated),
            BehaviorCall(Behaviors.hardwareSpec),
            BehaviorCall(Behaviors.hardwareUsage),
        ] + deploymentCalls + capabilityCalls

    static func named(_ behavior: String) -> BehaviorCall? { catalog.first { $0.behavior == behavior } }

    /// The onboard request from the flags, sizes parsed with the unit rules before anything is sent.
    static func onboardRequest(_ values: [String: String]) throws -> OnboardRequest {
        guard let cpu = values["cpu"], let ram = values["ram"], let disk = values["disk"] else {
            throw CLIError("--cpu, --ram and --disk are required together")
        }
        guard let cores = Double(cpu), cores > 0 else {
            throw CLIError("invalid --cpu \"\(cpu)\": use a number of cores, e.g. 2")
        }
        if values["gpus"] != nil && values["no-gpu"] != nil { throw CLIError("give --gpus or --no-gpu, not both") }
        let gpus = try values["gpus"].map { try parsed("gpus", $0, OnboardingRequest.parseGPUs) } ?? []
        let resources = Resources(
            cpu: CPUResources(cores: cores), ram: try parsed("ram", ram, Units.bytes),
            disk: try parsed("disk", disk, Units.bytes),
            gpus: gpus.map { GPU(index: $0.index, vram: $0.vram) })
        return OnboardRequest(noGPU: values["no-gpu"] != nil, config: OnboardingConfig(onboardedResources: resources))
    }

    /// Parses one flag's value, naming the flag in the error.
    private static func parsed<T>(
        _ flag: String, _ text: String, _ parse: (String) throws(Units.ParseError) -> T
    ) throws(CLIError) -> T {
        do {
            return try parse(text)
        } catch {
            let part = error.input == text ? "" : "\"\(error.input)\" "
            throw CLIError("invalid --\(flag) \"\(text)\": \(part)\(error.rule)")
        }
    }

    /// Parses this behavior's flags (and `--payload`).
    func parse(_ arguments: [String]) throws -> [UInt8]? {
        var values: [String: String] = [:]
        var rawPayload: [UInt8]?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let flag: Flag?
            if argument == "--payload" {
                guard index + 1 < arguments.count else { throw CLIError("--payload needs a value") }
                guard (try? JSONParser.parse(arguments[index + 1])) != nil else {
                    throw CLIError("--payload must be JSON: \(arguments[index + 1])")
                }
                rawPayload = Array(arguments[index + 1].utf8)
                index += 2
                continue
            } else if argument.hasPrefix("--") {
                flag = flags.first { $0.name == argument.dropFirst(2) }
            } else if argument.hasPrefix("-"), argument.count == 2 {
                flag = flags.first { $0.short == argument.last }
            } else {
                throw CLIError("unexpected argument \"\(argument)\" for \(behavior)")
            }
            guard let flag else {
                let known = flags.map { "--\($0.name)" } + ["--payload"]
                throw CLIError("unknown flag \(argument) for \(behavior); known: \(known.joined(separator: ", "))")
            }
            if flag.takesValue {
                guard index + 1 < arguments.count else { throw CLIError("--\(flag.name) needs a value") }
                values[flag.name] = arguments[index + 1]
                index += 2
            } else {
                values[flag.name] = "true"
                index += 1
            }
        }
        return try rawPayload ?? payload(values)
    }
}
