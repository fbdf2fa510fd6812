import Foundation
import Hummingbird
import NIOCore

/// Shuts the API to requests without a valid token when it listens beyond loopback. A token comes as
/// `Authorization: Bearer <token>` (scripts, the CLI) or as the `nunet_token` cookie (the browser). The
/// dashboard is opened once with `/?token=<token>`: that sets the cookie (HttpOnly, SameSite=Strict) and
/// redirects to `/`, so the token leaves the address bar. A refused request gets 401 and a one-line
/// reason, nothing else.
struct TokenGate: RouterMiddleware {
    typealias Context = BasicRequestContext
    static let cookie = "nunet_token"

    let verifier: TokenVerifier

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path == "/", let token = request.uri.queryParameters.get("token") {
            guard verifier.accepts(token) else { return Self.refusal("the token in the address is not valid") }
            return Response(
                status: .seeOther,
                headers: [
                    .location: "/",
                    .setCookie: "\(Self.cookie)=\(token); Path=/; HttpOnly; SameSite=Strict",
                ])
        }
        guard let token = Self.presented(request) else {
            return Self.refusal("a token is required (Authorization: Bearer <token>; see nunet rest token new)")
        }
        guard verifier.accepts(token) else { return Self.refusal("the token is not valid") }
        return try await next(request, context)
    }

    /// The bearer token of the request, else its cookie.
    static func presented(_ request: Request) -> String? {
        if let authorization = request.headers[.authorization] {
            let prefix = "bearer "
            guard authorization.lowercased().hasPrefix(prefix) else { return nil }
            return String(authorization.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return request.cookies[cookie]?.value
    }

    static func refusal(_ reason: String) -> Response {
        Response(
            status: .unauthorized,
            headers: [.contentType: "text/plain; charset=utf-8", .wwwAuthenticate: "Bearer"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: reason + "\n")))
    }
}
