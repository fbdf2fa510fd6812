import ArgumentParser
import DMSActor
import DMSConfig
import DMSCore
import DMSMessages
import DMSNode
import Foundation

/// Options shared by the commands that ask the local node something on the user's behalf.
struct NodeCallOptions: ParsableArguments {
    @OptionGroup var configFile: ConfigFileOption
    @Option(name: [.customShort("c"), .customLong("context")], help: "Capability context that signs.") var context =
        "user"
    @OptionGroup var timing: MessageTiming
    @Flag(help: "Print the node's JSON reply instead of a table.") var json = false

    func call<Request, Reply>(_ behavior: BehaviorSpec<Request, Reply>, payload: [UInt8]? = nil) async throws
        -> JSONValue
    {
        try await ActorClient(configFile: configFile.path).call(
            behavior.name, payload: payload, context: context, destination: nil, timing: timing)
    }

}

struct OnboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onboard",
        abstract: "Offer part of this machine to the network (checked against the hardware).",
        discussion: """
            Cores between 1 and the machine's; RAM and each GPU's VRAM between 10% and 90% of the machine's; \\
            disk within what the data directory's filesystem can hold. Sizes take units (4GiB, 12 GB, 512MiB); \\
            a bare number is GiB. To change amounts, onboard again.

            --location declares where the provider is, as Continent/CC/City (the continent by name or \
            code: EU, NA, SA, AS, AF, OC, AN; the country an ISO 3166 code; country and city optional). \
            It sets general.host_continent, general.host_country and general.host_city in the config file, \
            checked like nunet config set, so ensembles' location rules can match this provider.

            The terms flags set what bids offer from now on, and the provider.* keys in the config file: \
            --price-per-hour and --price-per-job in --currency (free when both are 0), --max-job-time (the \
            longest job accepted; none for no limit), --available-until (no job may run past it; none to \
            clear), --public-ports/--no-public-ports, --vpn/--no-vpn and --job-types (batch for tasks, \
            long_running for services). Terms not given stay as they are.

            Examples:
              nunet onboard --cpu 2 --ram 4GiB --disk 20GiB --no-gpu
              nunet onboard -C 2 -R 4GiB -D 20GiB --no-gpu --location Europe/DE/Berlin
              nunet onboard -C 2 -R 4GiB -D 20GiB --no-gpu --price-per-hour 0.5 --max-job-time 3h
            """)

    @OptionGroup var node: NodeCallOptions
    @Option(name: [.customShort("C"), .customLong("cpu")], parsing: .unconditional, help: "Cores to offer.") var cpu:
        String
    @Option(name: [.customShort("R"), .customLong("ram")], parsing: .unconditional, help: "RAM to offer.") var ram:
        String
    @Option(name: [.customShort("D"), .customLong("disk")], parsing: .unconditional, help: "Disk to offer.") var disk:
        String
    @Option(
        name: [.customShort("G"), .customLong("gpus")], parsing: .unconditional,
        help: "GPUs as index:VRAM, e.g. 0:8GB,1:8GB.") var gpus: String?
    @Flag(name: [.customShort("N"), .customLong("no-gpu")], help: "Offer no GPU.") var noGPU = false
    @Option(
        name: [.customShort("L"), .customLong("location")],
        help: "Where this provider is: Continent/CC/City, e.g. Europe/DE/Berlin or EU/DE.") var location: String?
    @Option(help: "What an hour of a job costs here, e.g. 0.5 (0: free).") var pricePerHour: String?
    @Option(help: "What every job costs here on top of its hours.") var pricePerJob: String?
    @Option(help: "The currency of the prices: NTX, ADA, ETH, USDT, USDC, USD or EUR.") var currency: String?
    @Option(help: "The longest job accepted, e.g. 3h (none: no limit).") var maxJobTime: String?
    @Option(help: "No job may run past this date or RFC 3339 time (none: open-ended).") var availableUntil: String?
    @Flag(inversion: .prefixedNo, help: "Whether jobs' ports are reachable on a public address here.")
    var publicPorts: Bool?
    @Flag(inversion: .prefixedNo, help: "Whether this machine can join a job's private overlay network.") var vpn: Bool?

    /// The `provider.*` values the terms flags give, "none" clearing a time.
    var termsValues: [String: String] {
        let clear = { (text: String) in text.lowercased() == "none" ? "" : text }
        var values: [String: String] = [:]
        values["provider.price_per_hour"] = pricePerHour
        values["provider.price_per_job"] = pricePerJob
        values["provider.currency"] = currency
        values["provider.max_job_time"] = maxJobTime.map(clear)
        values["provider.available_until"] = availableUntil.map(clear)
        values["provider.public_ports"] = publicPorts.map { $0 ? "true" : "false" }
        values["provider.vpn"] = vpn.map { $0 ? "true" : "false" }
        return values
    }

    func run() async throws {
        var values = ["cpu": cpu, "ram": ram, "disk": disk]
        values["gpus"] = gpus
        if noGPU { values["no-gpu"] = "true" }
        let source = ConfigSource.flag(name: "onboard")
        // Checked before anything is sent; saved only once the node accepted the onboarding.
        let declared = try location.map { try HostLocation(parsing: $0, source: source) }
        var request = try BehaviorCall.onboardRequest(values)
        request.location = declared.map {
            HostLocationPayload(continent: $0.continent, country: $0.country, city: $0.city)
        }
        // Terms flags change the live terms: checked here, applied over what the node offers now.
        let termsValues = self.termsValues
        var terms: ProviderTerms?
        if !termsValues.isEmpty {
            let status = try await node.call(Behaviors.onboardingStatus).decoded(as: OnboardStatusResponse.self)
            terms = try ProviderTerms(
                values: termsValues, over: status.terms.map(ProviderTerms.init(capability:)) ?? .none,
                source: source)
            request.terms = terms?.capability
        }
        // A refusal throws here, so the config file changes only once the node accepted.
        let reply = try await node.call(Behaviors.onboard, payload: try Payload.encode(request))
        let settings = (declared?.settings ?? []) + termsValues.sorted { $0.key < $1.key }
        if !settings.isEmpty {
            _ = try ConfigFileWriter(loader: ConfigLoader(environment: .current)).set(
                settings.map { ($0.key, $0.value) }, explicitFile: node.configFile.path, source: source)
        }
        if node.json { return reply.printPretty() }
        let response = try reply.decoded(as: OnboardResponse.self)
        print("onboarded: \(response.config?.onboardedResources.map(\.description) ?? "")")
        if let declared { print("location: \(declared)") }
        if let terms { print("offer: \(terms)") }
    }
}

struct OffboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offboard",
        abstract: "Withdraw this machine from the network.",
        discussion: """
            Refused while allocations run, unless --force, which stops them first.

            Example:
              nunet offboard
            """)

    @OptionGroup var node: NodeCallOptions
    @Flag(name: [.customShort("f"), .customLong("force")], help: "Stop running allocations first.") var force = false

    func run() async throws {
        let reply = try await node.call(
            Behaviors.offboard, payload: try Payload.encode(OffboardRequest(force: force)))
        if node.json { return reply.printPretty() }
        print("offboarded")
    }
}

struct ResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resources",
        abstract: "Show onboarded, allocated and free resources.",
        discussion: """
            Example:
              nunet resources
            """)

    @OptionGroup var node: NodeCallOptions

    func run() async throws {
        let statusReply = try await node.call(Behaviors.onboardingStatus)
        let status = try statusReply.decoded(as: OnboardStatusResponse.self)
        var replies: [(String, JSONValue)] = []
        let kinds = [
            ("onboarded", Behaviors.resourcesOnboarded), ("allocated", Behaviors.resourcesAllocated),
            ("free", Behaviors.resourcesFree),
        ]
        for (kind, behavior) in kinds where status.onboarded || kind != "onboarded" {
            replies.append((kind, try await node.call(behavior)))
        }
        if node.json {
            return JSONValue.object([("status", statusReply)] + replies.map { (key: $0.0, value: $0.1) }).printPretty()
        }
        // The declared location, when there is one, follows the resources.
        let place = status.location.map { "location: \($0)" }
        guard status.onboarded else {
            return print((["not onboarded"] + [place].compactMap { $0 }).joined(separator: "\n"))
        }
        var table = TextTable("", "CPU", "RAM", "DISK", "GPUS")
        for (kind, reply) in replies {
            let resources = try reply.decoded(as: ResourcesResponse.self).resources
            table.add(
                kind, ResourceCells.cpu(resources), Units.formatBytes(resources.ram), Units.formatBytes(resources.disk),
                ResourceCells.gpus(resources))
        }
        print(table.rendered)
        if let place { print(place) }
        if let terms = status.terms { print("offer: \(ProviderTerms(capability: terms))") }
    }
}

struct HardwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hardware",
        abstract: "Show the machine's hardware and what it uses now.",
        discussion: """
            Example:
              nunet hardware
            """)

    @OptionGroup var node: NodeCallOptions

    func run() async throws {
        let spec = try await node.call(Behaviors.hardwareSpec)
        let usage = try await node.call(Behaviors.hardwareUsage)
        if node.json { return JSONValue.object([("spec", spec), ("usage", usage)]).printPretty() }
        let specification = try spec.decoded(as: HardwareSpecResponse.self)
        let used = try usage.decoded(as: ResourcesResponse.self).resources
        if let cpu = specification.cpu { print("cpu: \(cpu.model) (\(cpu.vendor)), \(cpu.logicalCores) logical cores") }
        var table = TextTable("", "CPU", "RAM", "DISK", "GPUS")
        table.add(
            "machine", ResourceCells.cpu(specification.resources), Units.formatBytes(specification.resources.ram),
            Units.formatBytes(specification.resources.disk), ResourceCells.gpus(specification.resources))
        table.add(
            "in use", ResourceCells.cpu(used), Units.formatBytes(used.ram), Units.formatBytes(used.disk),
            ResourceCells.gpus(used))
        print(table.rendered)
        for problem in specification.problems { print("note: \(problem)") }
        for (name, state) in (specification.executors ?? [:]).sorted(by: { $0.key < $1.key }) {
            let detail = state.detail.isEmpty ? "" : " (\(state.detail))"
            print("executor \(name): \(state.available ? "available" : "unavailable")\(detail)")
        }
    }
}

/// Table cells for resources.
enum ResourceCells {
    static func cpu(_ resources: Resources) -> String {
        let clock = resources.cpu.clockSpeed > 0 ? " @ \(Units.formatHertz(resources.cpu.clockSpeed))" : ""
        return "\(Units.formatCores(resources.cpu.cores))\(clock)"
    }

    static func gpus(_ resources: Resources) -> String {
        resources.gpus.isEmpty
            ? "-" : resources.gpus.map { "\($0.index): \(Units.formatBytes($0.vram))" }.joined(separator: ", ")
    }
}
