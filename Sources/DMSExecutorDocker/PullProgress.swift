import Foundation

/// What an image pull is doing, from the daemon's JSON progress lines, summed over the image's layers into
/// one line a user can follow ("pulling busybox: 3 of 5 layers, 12.4 of 40.0 MB").
public struct PullProgress: Sendable {
    /// One progress line: a layer's status (`Downloading`, `Pull complete`) and bytes, or an error.
    public struct Line: Sendable, Equatable {
        public var layer: String?
        public var status: String
        public var current: UInt64?
        public var total: UInt64?
        public var error: String?

        static func parse(_ bytes: [UInt8]) -> Line? {
            struct Raw: Decodable {
                struct Detail: Decodable {
                    let current: UInt64?
                    let total: UInt64?
                }
                struct ErrorDetail: Decodable { let message: String? }
                let id: String?
                let status: String?
                let progressDetail: Detail?
                let error: String?
                let errorDetail: ErrorDetail?
            }
            guard let raw = try? JSONDecoder().decode(Raw.self, from: Data(bytes)) else { return nil }
            let error = raw.errorDetail?.message ?? raw.error
            return Line(
                layer: raw.id, status: raw.status ?? "", current: raw.progressDetail?.current,
                total: raw.progressDetail?.total, error: error)
        }
    }

    private struct Layer {
        var current: UInt64 = 0
        var total: UInt64 = 0
        var done = false
    }

    public let image: String
    private var layers: [String: Layer] = [:]
    private var order: [String] = []

    public init(image: String) { self.image = image }

    public mutating func record(_ line: Line) {
        // "Pulling from <repository>" names the image, not a layer.
        guard let id = line.layer, !line.status.hasPrefix("Pulling from") else { return }
        if layers[id] == nil {
            layers[id] = Layer()
            order.append(id)
        }
        switch line.status {
        case "Downloading":
            layers[id]!.current = line.current ?? layers[id]!.current
            layers[id]!.total = line.total ?? layers[id]!.total
        case "Download complete", "Pull complete", "Already exists":
            layers[id]!.done = true
            layers[id]!.current = layers[id]!.total
        default:
            break
        }
    }

    public var summary: String {
        let done = layers.values.filter(\.done).count
        let current = layers.values.reduce(0) { $0 + $1.current }
        let total = layers.values.reduce(0) { $0 + $1.total }
        var text = "pulling \(image): \(done) of \(layers.count) layers"
        if total > 0 { text += String(format: ", %.1f of %.1f MB", Double(current) / 1e6, Double(total) / 1e6) }
        return text
    }
}
