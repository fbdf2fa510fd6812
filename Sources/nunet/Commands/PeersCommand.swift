import ArgumentParser
import DMSActor
import DMSCore
import DMSMessages
import Foundation

struct PeersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "See and reach this node's peers.",
        discussion: """
            The node finds peers through its bootstrap list and the DHT; these commands show what it found \
            and connect or ping by hand, without a restart.

            Examples:
              nunet peers list
              nunet peers connect /ip4/203.0.113.7/tcp/9000/p2p/12D3KooW...
              nunet peers connect /p2p/12D3KooW...        (looked up in the DHT)
              nunet peers ping 12D3KooW...
              nunet peers dht
            """,
        subcommands: [List.self, Connect.self, Ping.self, DHT.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The peers this node is connected to.")

        @OptionGroup var node: NodeCallOptions

        func run() async throws {
            let reply = try await node.call(Behaviors.peersList)
            if node.json { return reply.printPretty() }
            let response = try reply.decoded(as: PeersListResponse.self)
            guard !response.details.isEmpty else { return print("no peers connected") }
            var table = TextTable("PEER", "DHT", "AGENT", "ADDRESS")
            for peer in response.details {
                table.add(peer.id, peer.inRoutingTable ? "yes" : "no", peer.agent, peer.addresses.first ?? "")
            }
            print(table.rendered)
            print("\(response.details.count) peers")
        }
    }

    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "connect",
            abstract: "Connect to a peer by multiaddress, or by /p2p/<peer ID> through the DHT.")

        @OptionGroup var node: NodeCallOptions
        @Argument(help: "A multiaddress such as /ip4/1.2.3.4/tcp/9000/p2p/12D3KooW..., or /p2p/<peer ID>.")
        var address: String

        func run() async throws {
            let reply = try await node.call(
                Behaviors.peersConnect, payload: try Payload.encode(PeerConnectRequest(address: address)))
            if node.json { return reply.printPretty() }
            let response = try reply.decoded(as: PeerConnectResponse.self)
            guard response.error.isEmpty else { throw CLIError(response.error) }
            print("connected to \(response.peer)")
        }
    }

    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ping", abstract: "Ping a peer and print the round trip.")

        @OptionGroup var node: NodeCallOptions
        @Argument(help: "The peer ID.") var peer: String

        func run() async throws {
            let reply = try await node.call(
                Behaviors.peersPing, payload: try Payload.encode(PeerPingRequest(host: peer)))
            if node.json { return reply.printPretty() }
            let response = try reply.decoded(as: PeerPingResponse.self)
            guard response.error.isEmpty else { throw CLIError(response.error) }
            print("\(peer): \(String(format: "%.2f", response.rtt)) ms")
        }
    }

    struct DHT: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dht", abstract: "The DHT routing table, by bucket (common prefix with this node).")

        @OptionGroup var node: NodeCallOptions

        func run() async throws {
            let reply = try await node.call(Behaviors.peersDHT)
            if node.json { return reply.printPretty() }
            let response = try reply.decoded(as: PeersDHTResponse.self)
            print("mode: \(response.mode), \(response.peers.count) peers")
            var table = TextTable("BUCKET", "PEER")
            for bucket in response.buckets {
                for peer in bucket.peers { table.add(String(bucket.commonPrefix), peer) }
            }
            if !response.peers.isEmpty { print(table.rendered) }
        }
    }
}
