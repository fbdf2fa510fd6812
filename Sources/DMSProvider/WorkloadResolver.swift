import Crypto
import DMSCore
import DMSEnsemble
import DMSExecutor
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Turns an ensemble's execution into what an executor runs: a WASM module's bytes (inline, or fetched
/// and checked against its SHA-256), a container with the ports the provider holds for it, a Noop workload.
enum WorkloadResolver {
    static func workload(for execution: Execution, type: AllocationType, ports: [PortBinding], defaultFuel: UInt64)
        async throws(ExecutorError)
        -> Workload
    {
        switch execution {
        case .wasm(let wasm):
            let module: [UInt8]
            switch wasm.module {
            case .inline(let bytes): module = bytes
            case .url(let url, let sha256): module = try await fetch(url, sha256: sha256)
            case .path(let path):
                throw .invalidWorkload(
                    "module path \(path) was not inlined: `nunet deploy` reads module files on the user's machine")
            }
            return .wasm(
                WasmWorkload(
                    module: module, entry: wasm.entry, args: wasm.args, environment: wasm.env,
                    fuel: wasm.fuel ?? defaultFuel))
        case .null(let null):
            let duration: Duration? = null.seconds.map { .milliseconds(Int64($0 * 1000)) }
            return .noop(NoopWorkload(exitCode: null.exitCode, duration: duration, stdout: null.stdout))
        case .docker(let docker):
            return .docker(
                DockerWorkload(
                    image: docker.image, entrypoint: docker.entrypoint, cmd: docker.cmd,
                    environment: docker.environment, workingDirectory: docker.workingDirectory,
                    privileged: docker.privileged, ports: ports,
                    registryAuth: docker.registryAuth))
        case .firecracker:
            throw .unsupported("the \(execution.kind.rawValue) executor is not available on this provider")
        }
    }

    /// The wall-clock limit the execution names, if any.
    static func timeout(for execution: Execution) -> Duration? {
        guard case .wasm(let wasm) = execution, let seconds = wasm.timeout else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    static func fetch(_ address: String, sha256 expected: String) async throws(ExecutorError) -> [UInt8] {
        guard let url = URL(string: address) else { throw .invalidWorkload("module url \(address) is not a URL") }
        let bytes: [UInt8]
        do {
            let (data, response) = try await URLSession.shared.data(from: url)
            if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                throw ExecutorError.failed("module url \(address): HTTP \(http.statusCode)")
            }
            bytes = Array(data)
        } catch let error as ExecutorError {
            throw error
        } catch {
            throw .failed("module url \(address): \(error.localizedDescription)")
        }
        let digest = Hex.encode(Array(SHA256.hash(data: bytes)))
        guard digest == expected.lowercased() else {
            throw .invalidWorkload("module from \(address) has sha256 \(digest), the ensemble expects \(expected)")
        }
        return bytes
    }
}
