import Libp2pCrypto
import Multiformats

/// `/ipfs/id/1.0.0`: on every new connection each side asks the other who it is; the answer is one
/// varint-length-delimited `Identify` protobuf (key, listen addresses, protocols, the address the asker
/// was seen from, versions).
public enum Identify {
    public static let protocolID = "/ipfs/id/1.0.0"
    public static let pushProtocolID = "/ipfs/id/push/1.0.0"
    static let protocolVersion = "ipfs/0.1.0"
    static let maxMessageLength = 64 * 1024

    package struct Message: Equatable {
        package var publicKey: [UInt8]?
        package var listenAddresses: [Multiaddr] = []
        package var protocols: [String] = []
        package var observedAddress: Multiaddr?
        package var protocolVersion: String?
        package var agentVersion: String?

        package var bytes: [UInt8] {
            var writer = ProtobufWriter()
            if let publicKey { writer.bytes(field: 1, publicKey) }
            for address in listenAddresses { writer.bytes(field: 2, address.bytes) }
            for id in protocols { writer.bytes(field: 3, Array(id.utf8)) }
            if let observedAddress { writer.bytes(field: 4, observedAddress.bytes) }
            if let protocolVersion { writer.bytes(field: 5, Array(protocolVersion.utf8)) }
            if let agentVersion { writer.bytes(field: 6, Array(agentVersion.utf8)) }
            return writer.bytes
        }

        package init() {}

        /// Addresses this implementation cannot parse are skipped; the rest of the message still counts.
        package init(bytes: [UInt8]) throws(Libp2pError) {
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
        try? await stream.write(message(of: host, for: stream.remotePeer))
        stream.closeWrite()
    }

    /// Asks the peer who it is and records the answer; false if it could not be had.
    @discardableResult
    static func request(on connection: Libp2pConnection, host: Libp2pHost) async -> Bool {
        do {
            let stream = try await host.newStream(on: connection, protocols: [protocolID])
            let bytes = try await stream.readAll(limit: maxMessageLength)
            stream.closeWrite()
            try record(bytes, from: connection.remotePeer, host: host)
            return true
        } catch {
            host.logger.debug("identify failed", metadata: ["peer": "\(connection.remotePeer)", "error": "\(error)"])
            return false
        }
    }

    /// `/ipfs/id/push/1.0.0`: a peer tells what changed (new protocols or addresses) without being asked.
    static func receivePush(_ stream: Libp2pStream, host: Libp2pHost) async {
        do {
            try record(try await stream.readAll(limit: maxMessageLength), from: stream.remotePeer, host: host)
            stream.closeWrite()
        } catch {
            host.logger.debug("identify push refused", metadata: ["peer": "\(stream.remotePeer)", "error": "\(error)"])
            stream.reset()
        }
    }

    /// Records a varint-delimited Identify message from `peer`, whose key (if sent) must be the peer's.
    static func record(_ bytes: [UInt8], from peer: PeerID, host: Libp2pHost) throws {
        let (length, prefix) = try Varint.decode(bytes)
        guard bytes.count - prefix == Int(length) else { throw Libp2pError.invalidAddress("identify message length") }
        let message = try Message(bytes: Array(bytes[prefix...]))
        if let key = message.publicKey {
            guard let publicKey = try? PublicKey(protobufBytes: key), PeerID(publicKey: publicKey) == peer else {
                throw Libp2pError.invalidAddress("identify key does not match the peer")
            }
        }
        host.peerStore.update(peer) { record in
            for address in message.listenAddresses where !record.addresses.contains(address) {
                record.addresses.append(address)
            }
            if !message.protocols.isEmpty { record.protocols = message.protocols }
            record.agentVersion = message.agentVersion ?? record.agentVersion
            record.protocolVersion = message.protocolVersion ?? record.protocolVersion
            record.observedAddress = message.observedAddress ?? record.observedAddress
        }
    }

    /// This host's identify message as seen by `peer`.
    static func message(of host: Libp2pHost, for peer: PeerID) -> [UInt8] {
        var message = Message()
        message.publicKey = host.identity.publicKey.protobufBytes
        message.listenAddresses = host.advertisedAddresses
        message.protocols = host.protocols
        message.observedAddress = host.connections(to: peer).first?.remoteAddress
        message.protocolVersion = protocolVersion
        message.agentVersion = host.configuration.agentVersion
        let body = message.bytes
        return Varint.encode(UInt64(body.count)) + body
    }
}

extension Libp2pHost {
    /// Tells every connected peer this host's current protocols and addresses (identify push), e.g. after
    /// registering handlers.
    public func pushIdentify() async {
        for peer in connectedPeers {
            guard let stream = try? await newStream(to: peer, protocols: [Identify.pushProtocolID]) else { continue }
            try? await stream.write(Identify.message(of: self, for: peer))
            stream.closeWrite()
            _ = try? await stream.readAll(limit: 0)
        }
    }
}
