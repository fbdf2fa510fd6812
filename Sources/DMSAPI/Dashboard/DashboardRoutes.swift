import Hummingbird
import NIOCore

/// The dashboard (`/`, its script and style sheet) and the API's description (`/openapi.yaml`), all
/// compiled into the binary: nothing to install beside `nunet`, no Node toolchain to build it.
enum DashboardRoutes {
    /// Scripts and styles only from this server, no inline code, no frames: data shown on the page is
    /// text, never markup.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    static func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in asset(DashboardPage.html, type: "text/html; charset=utf-8") }
        router.get("dashboard.js") { _, _ in asset(DashboardScript.source, type: "text/javascript; charset=utf-8") }
        router.get("dashboard.css") { _, _ in asset(DashboardStyle.source, type: "text/css; charset=utf-8") }
        router.get("openapi.yaml") { _, _ in asset(OpenAPIDocument.yaml, type: "application/yaml; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff",
                .cacheControl: "no-cache",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
