import Libp2pCrypto
import Multiformats

/// `/ipfs/id/1.0.0`: on every new connection each side asks the other who it is; the answer is one
/// varint-length-delimited `Identify` protobuf (key, listen addresses, protocols, the address the asker
/// was seen from, versions).
public enum Identify {
    public static let protocolID = "/ipfs/id/1.0.0"
    static let protocolVersion = "ipfs/0.1.0"
    static let maxMessageLength = 64 * 1024

    struct Message: Equatable {
        var publicKey: [UInt8]?
        var listenAddresses: [Multiaddr] = []
        var protocols: [String] = []
        var observedAddress: Multiaddr?
        var protocolVersion: String?
        var agentVersion: String?

        var bytes: [UInt8] {
            var writer = ProtobufWriter()
            if let publicKey { writer.bytes(field: 1, publicKey) }
            for address in listenAddresses { writer.bytes(field: 2, address.bytes) }
            for id in protocols { writer.bytes(field: 3, Array(id.utf8)) }
            if let observedAddress { writer.bytes(field: 4, observedAddress.bytes) }
            if let protocolVersion { writer.bytes(field: 5, Array(protocolVersion.utf8)) }
            if let agentVersion { writer.bytes(field: 6, Array(agentVersion.utf8)) }
            return writer.bytes
        }

        init() {}

        /// Addresses this implementation cannot parse are skipped; the rest of the message still counts.
        init(bytes: [UInt8]) throws(Libp2pError) {
            guard let fields = try? ProtobufReader.fields(bytes) else {
                throw .invalidAddress("identify message is not a protobuf")
            }
            func text(_ value: [UInt8]) -> String? { String(validating: value, as: UTF8.self) }
            for field in fields {
                guard case .bytes(let value) = field.value else { continue }
                switch field.field {
                case 1: publicKey = value
                case 2: if let address = try? Multiaddr(bytes: value) { listenAddresses.append(address) }
                case 3: if let id = text(value) { protocols.append(id) }
                case 4: observedAddress = try? Multiaddr(bytes: value)
                case 5: protocolVersion = text(value)
                case 6: agentVersion = text(value)
                default: continue
                }
            }
        }
    }

    static func serve(_ stream: Libp2pStream, host: Libp2pHost) async {
        var message = Message()
        message.publicKey = host.identity.publicKey.protobufBytes
        message.listenAddresses = host.listenAddresses
        message.protocols = host.protocols
        message.observedAddress = host.connections(to: stream.remotePeer).first?.remoteAddress
        message.protocolVersion = protocolVersion
        message.agentVersion = host.configuration.agentVersion
        let body = message.bytes
        try? await stream.write(Varint.encode(UInt64(body.count)) + body)
        stream.closeWrite()
    }

    /// Asks the peer who it is and records the answer; false if it could not be had.
    @discardableResult
    static func request(on connection: Libp2pConnection, host: Libp2pHost) async -> Bool {
        do {
            let stream = try await host.newStream(on: connection, protocols: [protocolID])
            let bytes = try await stream.readAll(limit: maxMessageLength)
            stream.closeWrite()
            let (length, prefix) = try Varint.decode(bytes)
            guard bytes.count - prefix == Int(length) else {
                throw Libp2pError.invalidAddress("identify message length")
            }
            let message = try Message(bytes: Array(bytes[prefix...]))
            if let key = message.publicKey {
                guard let publicKey = try? PublicKey(protobufBytes: key),
                    PeerID(publicKey: publicKey) == connection.remotePeer
                else {
                    throw Libp2pError.invalidAddress("identify key does not match the peer")
                }
            }
            host.peerStore.update(connection.remotePeer) { record in
                for address in message.listenAddresses where !record.addresses.contains(address) {
                    record.addresses.append(address)
                }
                record.protocols = message.protocols
                record.agentVersion = message.agentVersion
                record.protocolVersion = message.protocolVersion
                record.observedAddress = message.observedAddress
            }
            return true
        } catch {
            host.logger.debug(
                "identify failed", metadata: ["peer": "\(connection.remotePeer)", "error": "\(error)"])
            return false
        }
    }
}
