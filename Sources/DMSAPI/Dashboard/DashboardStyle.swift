/// The dashboard's style sheet: plain CSS, light and dark following the system, resource bars and
/// charts drawn with boxes and SVG (no images, no fonts to fetch).
enum DashboardStyle {
    static let source = #"""
        :root { --bg: #f6f7f9; --card: #fff; --text: #1d2330; --muted: #6b7385; --line: #e2e5ea;
          --allocated: #2f6fde; --committed: #9bbcf5; --free: #e3e9f3; --ok: #1f9d55; --bad: #d64545; --warn: #c98a00; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #12151b; --card: #1b2029; --text: #e6e9ef; --muted: #8d95a6; --line: #2b313c;
            --allocated: #5b8def; --committed: #34538c; --free: #262c37; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg);
          color: var(--text); }
        header { display: flex; align-items: center; justify-content: space-between; padding: 12px 20px;
          border-bottom: 1px solid var(--line); background: var(--card); }
        h1 { font-size: 18px; margin: 0; }
        h2 { font-size: 15px; margin: 0 0 10px; }
        h3 { font-size: 13px; margin: 8px 0; color: var(--muted); font-weight: 600; }
        main { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; padding: 14px 20px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px; min-width: 0; }
        .wide { grid-column: 1 / -1; }
        footer { padding: 4px 20px 16px; }
        a { color: var(--allocated); }
        .muted { color: var(--muted); font-weight: normal; }
        .mono, code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; }
        .mono { overflow-wrap: anywhere; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; }
        td.mono { max-width: 28em; }
        tbody tr.selectable { cursor: pointer; }
        tbody tr.selectable:hover, tbody tr.selected { background: var(--free); }
        .live { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: var(--free); }
        .live[data-state="live"] { color: var(--ok); }
        .live[data-state="offline"] { color: var(--bad); }
        .status { font-size: 12px; padding: 1px 8px; border-radius: 10px; background: var(--free); font-weight: 600; }
        .status[data-status="Running"], .status[data-status="Completed"] { color: var(--ok); }
        .status[data-status="Failed"] { color: var(--bad); }
        .status[data-status="ShuttingDown"], .status[data-status="Committing"], .status[data-status="Provisioning"] {
          color: var(--warn); }
        .bar-row { margin: 10px 0; }
        .bar-label { display: flex; justify-content: space-between; font-size: 12px; }
        .bar { display: flex; height: 14px; border-radius: 4px; overflow: hidden; background: var(--free); }
        .bar span { display: block; height: 100%; }
        .allocated { background: var(--allocated); }
        .committed { background: var(--committed); }
        .free { background: var(--free); border: 1px solid var(--line); }
        .legend { font-size: 12px; color: var(--muted); }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; }
        .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
        .chart { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
        .chart .title { font-size: 12px; color: var(--muted); display: flex; justify-content: space-between; }
        .chart .value { color: var(--text); font-weight: 600; }
        .chart svg { width: 100%; height: 44px; display: block; }
        .chart polyline { fill: none; stroke: var(--allocated); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
        .chart polygon { fill: var(--committed); opacity: 0.35; }
        .split { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 16px; }
        .timeline { margin: 0; padding-left: 18px; }
        .timeline li { margin-bottom: 4px; overflow-wrap: anywhere; }
        .allocation { border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin-bottom: 10px; }
        .allocation pre { max-height: 220px; overflow: auto; margin: 6px 0 0; padding: 8px; border-radius: 4px;
          background: var(--bg); white-space: pre-wrap; }
        .stderr { color: var(--bad); }
        @media (max-width: 800px) { main, .split, .charts { grid-template-columns: 1fr; } }
        """#
}
