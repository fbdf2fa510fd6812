/// The dashboard's page: the frame the script fills from the read routes and keeps live from
/// `/api/v1/events`. Elements the browser tests look at carry `id`s and `data-` attributes.
enum DashboardPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>nunet node</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/dashboard.css">
        <script src="/dashboard.js" defer></script>
        </head>
        <body>
        <header>
          <h1>nunet <span id="version" class="muted"></span></h1>
          <span id="live" class="live" data-state="connecting">connecting</span>
        </header>
        <main>
          <section id="identity" class="card wide">
            <h2>Node</h2>
            <dl>
              <dt>DID</dt><dd id="did" class="mono"></dd>
              <dt>Peer ID</dt><dd id="peer-id" class="mono"></dd>
              <dt>Listening on</dt><dd id="listen" class="mono"></dd>
              <dt>Up since</dt><dd id="started"></dd>
            </dl>
          </section>
          <section id="resources" class="card">
            <h2>Resources</h2>
            <p id="resources-note" class="muted"></p>
            <div id="resource-bars"></div>
            <p class="legend"><span class="swatch allocated"></span>allocated <span class="swatch committed"></span>committed
              <span class="swatch free"></span>free</p>
          </section>
          <section id="charts" class="card">
            <h2>Last hour <span id="chart-span" class="muted"></span></h2>
            <div id="chart-list" class="charts"></div>
          </section>
          <section id="deployments" class="card wide">
            <h2>Deployments <span id="deployment-total" class="muted"></span></h2>
            <table>
              <thead><tr><th>ID</th><th>Status</th><th>Created</th><th>Updated</th></tr></thead>
              <tbody id="deployment-rows"></tbody>
            </table>
            <p id="no-deployments" class="muted" hidden>No deployments yet: <code>nunet deploy -f ensemble.yaml</code>.</p>
          </section>
          <section id="deployment" class="card wide" hidden>
            <h2>Deployment <span id="deployment-id" class="mono"></span>
              <span id="deployment-status" class="status"></span></h2>
            <p id="deployment-reason" class="muted"></p>
            <div class="split">
              <div>
                <h3>State history</h3>
                <ol id="deployment-events" class="timeline"></ol>
              </div>
              <div>
                <h3>Allocations</h3>
                <div id="deployment-allocations"></div>
              </div>
            </div>
          </section>
          <section id="hosted" class="card wide">
            <h2>Allocations this node runs</h2>
            <table>
              <thead><tr><th>ID</th><th>Executor</th><th>Status</th><th>CPU</th><th>RAM</th><th>Orchestrator</th></tr></thead>
              <tbody id="hosted-rows"></tbody>
            </table>
            <p id="no-hosted" class="muted" hidden>None.</p>
          </section>
          <section id="peers" class="card wide">
            <h2>Peers <span id="peer-count" class="muted"></span></h2>
            <table>
              <thead><tr><th>Peer</th><th>Addresses</th><th>Agent</th></tr></thead>
              <tbody id="peer-rows"></tbody>
            </table>
            <p id="no-peers" class="muted" hidden>Not connected to any peer.</p>
          </section>
        </main>
        <footer class="muted">API: <a href="/openapi.yaml">/openapi.yaml</a></footer>
        </body>
        </html>
        """#
}
