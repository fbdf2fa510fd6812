/// The dashboard's script (vanilla JavaScript, no framework): fills the page from the read routes,
/// follows `/api/v1/events` for live changes and a selected deployment's logs with `follow=true`. Every
/// value from the node is set as text, never as markup.
enum DashboardScript {
    static let source = #"""
        "use strict";
        (() => {
          const $ = (id) => document.getElementById(id);
          const state = { figures: [], interval: 10, selected: null, chosenByUser: false, detailStamp: "",
            follows: new Map() };

          function el(tag, props, ...children) {
            const node = document.createElement(tag);
            for (const [key, value] of Object.entries(props || {})) {
              if (key === "class") node.className = value;
              else if (key === "style") Object.assign(node.style, value);
              else if (key.startsWith("data-")) node.setAttribute(key, value);
              else node[key] = value;
            }
            for (const child of children) node.append(child instanceof Node ? child : String(child));
            return node;
          }

          async function getJSON(path) {
            const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
            if (!response.ok) throw new Error(path + ": HTTP " + response.status);
            return response.json();
          }

          const time = (seconds) => seconds ? new Date(seconds * 1000).toLocaleString() : "";
          const clock = (seconds) => new Date(seconds * 1000).toLocaleTimeString();
          function bytes(value) {
            const units = ["B", "KiB", "MiB", "GiB", "TiB"];
            let index = 0;
            while (value >= 1024 && index < units.length - 1) { value /= 1024; index += 1; }
            return (index === 0 ? value : value.toFixed(1)) + " " + units[index];
          }
          const cores = (value) => (Math.round(value * 100) / 100) + " cores";
          const short = (text) => text.length > 20 ? text.slice(0, 8) + "…" + text.slice(-8) : text;
          function status(name) {
            return el("span", { class: "status", "data-status": name }, name || "unknown");
          }

          function renderNode(node) {
            $("version").textContent = node.version + " (" + node.commit + ")";
            $("did").textContent = node.did;
            $("peer-id").textContent = node.peer_id;
            $("listen").textContent = node.listen_addresses.join("  ") || "(none)";
            $("started").textContent = time(node.started_at);
            renderResources(node.resources);
            $("peer-count").textContent = "(" + node.peers.length + ")";
            $("no-peers").hidden = node.peers.length > 0;
            $("peer-rows").replaceChildren(...node.peers.map((peer) => el("tr", {},
              el("td", { class: "mono", title: peer.id }, short(peer.id)),
              el("td", { class: "mono" }, peer.addresses.join("\n")),
              el("td", {}, peer.agent))));
          }

          function renderResources(ledger) {
            const bars = $("resource-bars");
            if (!ledger || !ledger.onboarded) {
              $("resources-note").textContent = "This machine is not onboarded: it offers no resources (nunet onboard).";
              bars.replaceChildren();
              return;
            }
            $("resources-note").textContent = "";
            const kinds = [
              ["CPU", (r) => r.cpu.cores, cores],
              ["RAM", (r) => r.ram.size, bytes],
              ["Disk", (r) => r.disk.size, bytes],
            ];
            bars.replaceChildren(...kinds.map(([label, pick, format]) => {
              const total = pick(ledger.onboarded) || 0;
              const allocated = pick(ledger.allocated) || 0;
              const committed = pick(ledger.committed) || 0;
              const share = (value) => total > 0 ? Math.min(100, 100 * value / total) : 0;
              return el("div", { class: "bar-row", "data-resource": label },
                el("div", { class: "bar-label" }, el("span", {}, label),
                  el("span", { class: "muted" },
                    format(allocated) + " allocated, " + format(pick(ledger.free) || 0) + " free of " + format(total))),
                el("div", { class: "bar", title: label },
                  el("span", { class: "allocated", style: { width: share(allocated) + "%" } }),
                  el("span", { class: "committed", style: { width: share(committed) + "%" } })));
            }));
          }

          function renderDeployments(listing) {
            $("deployment-total").textContent = "(" + listing.total + ")";
            $("no-deployments").hidden = listing.deployments.length > 0;
            $("deployment-rows").replaceChildren(...listing.deployments.map((deployment) => {
              const row = el("tr", { class: "selectable" + (deployment.id === state.selected ? " selected" : ""),
                "data-deployment-id": deployment.id, "data-status": deployment.status },
                el("td", { class: "mono" }, deployment.id), el("td", {}, status(deployment.status)),
                el("td", {}, time(deployment.created_at)), el("td", {}, time(deployment.updated_at)));
              row.addEventListener("click", () => { state.chosenByUser = true; select(deployment.id); });
              return row;
            }));
            const newest = listing.deployments[0];
            if (newest && !state.chosenByUser && state.selected !== newest.id) select(newest.id);
            const current = listing.deployments.find((deployment) => deployment.id === state.selected);
            if (current && current.status + current.updated_at !== state.detailStamp) {
              state.detailStamp = current.status + current.updated_at;
              loadDetail(current.id);
            }
          }

          function select(id) {
            if (state.selected === id) return;
            for (const source of state.follows.values()) source.close();
            state.follows.clear();
            state.selected = id;
            state.detailStamp = "";
            $("deployment-allocations").replaceChildren();
            for (const row of $("deployment-rows").children) {
              row.classList.toggle("selected", row.dataset.deploymentId === id);
            }
            loadDetail(id);
          }

          function loadDetail(id) {
            getJSON("/api/v1/deployments/" + encodeURIComponent(id))
              .then((detail) => { if (detail.id === state.selected) renderDetail(detail); })
              .catch((error) => showProblem(error));
          }

          function renderDetail(detail) {
            $("deployment").hidden = false;
            $("deployment").dataset.deploymentId = detail.id;
            $("deployment-id").textContent = detail.id;
            $("deployment-status").replaceWith(Object.assign(status(detail.status), { id: "deployment-status" }));
            $("deployment-reason").textContent = detail.reason;
            $("deployment-events").replaceChildren(...detail.events.map((event) => el("li", {},
              status(event.status), " ", el("span", { class: "muted" }, time(event.at)), " ", event.reason)));
            const list = $("deployment-allocations");
            for (const allocation of detail.allocations) {
              let box = list.querySelector('[data-allocation="' + CSS.escape(allocation.name) + '"]');
              if (!box) {
                box = el("div", { class: "allocation", "data-allocation": allocation.name },
                  el("div", { class: "head" }), el("pre", { class: "logs", "data-logs": allocation.name }));
                list.append(box);
                follow(detail.id, allocation.name, box.querySelector("pre"));
              }
              const parts = [el("strong", {}, allocation.name), " ", status(allocation.status)];
              if (allocation.exit_code !== undefined && allocation.exit_code !== null) {
                parts.push(el("span", { class: "muted" }, " exit " + allocation.exit_code));
              }
              if (allocation.progress) parts.push(el("span", { class: "muted" }, " " + allocation.progress));
              if (allocation.error) parts.push(el("span", { class: "stderr" }, " " + allocation.error));
              if (allocation.node) parts.push(el("div", { class: "muted" }, "ensemble node " + allocation.node));
              box.querySelector(".head").replaceChildren(...parts);
            }
          }

          function follow(id, name, pre, offsets = { stdout: 0, stderr: 0 }) {
            const path = "/api/v1/deployments/" + encodeURIComponent(id) + "/allocations/" + encodeURIComponent(name) +
              "/logs?follow=true&stdout_offset=" + offsets.stdout + "&stderr_offset=" + offsets.stderr;
            const source = new EventSource(path);
            state.follows.set(name, source);
            source.addEventListener("logs", (message) => {
              const chunk = JSON.parse(message.data);
              if (chunk.stdout) pre.append(chunk.stdout);
              if (chunk.stderr) pre.append(el("span", { class: "stderr" }, chunk.stderr));
              offsets = { stdout: chunk.stdout_offset, stderr: chunk.stderr_offset };
              pre.scrollTop = pre.scrollHeight;
              if (!chunk.running) {
                pre.dataset.ended = "true";
                source.close();
              }
            });
            // A dropped stream resumes from the last offsets (the browser's own retry would start over and
            // repeat the output), while this deployment is still the one shown.
            source.onerror = () => {
              source.close();
              if (pre.dataset.ended) return;
              setTimeout(() => {
                if (state.selected === id && state.follows.get(name) === source) follow(id, name, pre, offsets);
              }, 2000);
            };
          }

          function renderHosted(allocations) {
            $("no-hosted").hidden = allocations.length > 0;
            $("hosted-rows").replaceChildren(...allocations.map((allocation) => el("tr", {},
              el("td", { class: "mono" }, allocation.id), el("td", {}, allocation.executor),
              el("td", {}, status(allocation.status)), el("td", {}, cores(allocation.resources.cpu.cores)),
              el("td", {}, bytes(allocation.resources.ram.size)),
              el("td", { class: "mono", title: allocation.orchestrator }, short(allocation.orchestrator)))));
          }

          const charts = [
            ["CPU allocated", (s) => s.cpu_allocated_cores, cores],
            ["RAM allocated", (s) => s.ram_allocated_bytes, bytes],
            ["Messages handled / min", null, (v) => String(Math.round(v))],
            ["Peers connected", (s) => s.peers_connected, String],
            ["Deployments running", (s) => s.deployments_running, String],
          ];

          function series(pick) {
            const samples = state.figures;
            if (pick) return samples.map((s) => [s.at, pick(s)]).filter(([, value]) => typeof value === "number");
            const rates = [];
            for (let index = 1; index < samples.length; index += 1) {
              const seconds = samples[index].at - samples[index - 1].at;
              const handled = samples[index].messages_handled - samples[index - 1].messages_handled;
              if (seconds > 0) rates.push([samples[index].at, Math.max(0, handled) * 60 / seconds]);
            }
            return rates;
          }

          function renderCharts() {
            const svgNS = "http://www.w3.org/2000/svg";
            const now = Date.now() / 1000;
            // The last hour, or since the first sample when the node has run for less.
            const from = Math.max(now - 3600, state.figures.length > 0 ? state.figures[0].at : now - 3600);
            const span = Math.max(10, now - from);
            $("chart-span").textContent = state.figures.length > 0 ? "since " + clock(from) : "";
            $("chart-list").replaceChildren(...charts.map(([title, pick, format]) => {
              const points = series(pick).filter(([at]) => at >= from);
              const top = Math.max(1, ...points.map(([, value]) => value));
              const svg = document.createElementNS(svgNS, "svg");
              svg.setAttribute("viewBox", "0 0 360 44");
              svg.setAttribute("preserveAspectRatio", "none");
              const coordinates = points.map(([at, value]) =>
                (360 * (at - from) / span).toFixed(1) + "," + (42 - 40 * value / top).toFixed(1));
              if (coordinates.length > 0) {
                const line = document.createElementNS(svgNS, "polyline");
                line.setAttribute("points", coordinates.join(" "));
                const area = document.createElementNS(svgNS, "polygon");
                const first = coordinates[0].split(",")[0];
                const last = coordinates[coordinates.length - 1].split(",")[0];
                area.setAttribute("points", first + ",44 " + coordinates.join(" ") + " " + last + ",44");
                svg.append(area, line);
              }
              const latest = points.length > 0 ? format(points[points.length - 1][1]) : "–";
              return el("div", { class: "chart", "data-chart": title },
                el("div", { class: "title" }, el("span", {}, title), el("span", { class: "value" }, latest)), svg);
            }));
          }

          function addFigures(sample) {
            const last = state.figures[state.figures.length - 1];
            if (last && last.at >= sample.at) return;
            state.figures.push(sample);
            while (state.figures.length > 0 && state.figures[0].at < sample.at - 3600) state.figures.shift();
            renderCharts();
          }

          function showProblem(error) {
            const live = $("live");
            live.dataset.state = "offline";
            live.textContent = String(error.message || error);
          }

          function connect() {
            const events = new EventSource("/api/v1/events");
            events.onopen = () => { $("live").dataset.state = "live"; $("live").textContent = "live"; };
            events.onerror = () => { $("live").dataset.state = "offline"; $("live").textContent = "reconnecting"; };
            events.addEventListener("node", (message) => renderNode(JSON.parse(message.data)));
            events.addEventListener("deployments", (message) => renderDeployments(JSON.parse(message.data)));
            events.addEventListener("allocations", (message) => renderHosted(JSON.parse(message.data)));
            events.addEventListener("figures", (message) => addFigures(JSON.parse(message.data)));
          }

          async function start() {
            renderCharts();
            const [node, figures] = await Promise.all([getJSON("/api/v1/node"), getJSON("/api/v1/figures")]);
            renderNode(node);
            state.interval = figures.interval;
            state.figures = figures.samples;
            renderCharts();
            setInterval(renderCharts, 30000);
            connect();
          }

          start().catch((error) => showProblem(error));
        })();
        """#
}
