/// Everything a byte stream yields (an executor's log, for instance), as text.
public func collect(_ stream: AsyncThrowingStream<[UInt8], any Error>) async throws -> String {
    var bytes: [UInt8] = []
    for try await chunk in stream { bytes += chunk }
    return String(decoding: bytes, as: UTF8.self)
}
