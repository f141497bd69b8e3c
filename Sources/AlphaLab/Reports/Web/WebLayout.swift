/// The frame every page of the run browser shares: the navigation, the store's name, the
/// report styles and the little script that turns ticked runs into a comparison link.
enum WebLayout {
    static func esc(_ text: String) -> String { SVGChart.escape(text) }

    static let styles = """

        nav { border-bottom: 1px solid #ddd; padding-bottom: 8px; margin-bottom: 16px; font-size: 14px; }
        nav a { margin-right: 16px; } nav .store { color: #666; float: right; font-size: 12px; }
        form.filters { font-size: 12px; margin-bottom: 12px; } form.filters input, form.filters select { margin-right: 8px; }
        .error { background: #fde2e1; border: 1px solid #e15759; padding: 12px; }
        .credible { color: #2f7d32; font-weight: bold; } .fragile { color: #b8860b; font-weight: bold; } .artefact { color: #c62828; font-weight: bold; } .inconclusive { color: #616161; font-weight: bold; }
        pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; } td.left, th.left { text-align: left; }
        .pages a { margin: 0 6px; }
        a.tag { background: #eef3fb; border-radius: 3px; padding: 0 4px; font-size: 12px; white-space: nowrap; text-decoration: none; }
        .note { border-left: 3px solid #ddd; padding-left: 8px; margin-bottom: 8px; } .note p { margin: 2px 0; }
        .wide { overflow-x: auto; max-width: 100%; } table#runs td, #periods td:not(:last-child) { white-space: nowrap; }
        table#runs .params { font-size: 11px; white-space: normal; display: inline-block; max-width: 260px; }
        form.filters label { display: inline-block; white-space: nowrap; margin-bottom: 4px; }
        """

    /// Selecting runs to compare: the checked boxes' ids into /compare?runs=ID,ID.
    static let script = """
        document.addEventListener("DOMContentLoaded", function () {
          var form = document.getElementById("compare-form");
          if (!form) return;
          var button = document.getElementById("compare-button");
          function chosen() { return Array.prototype.map.call(form.querySelectorAll("input[name=runs]:checked"), function (b) { return b.value; }); }
          function update() { var n = chosen().length; button.disabled = n < 2 || n > 10; button.textContent = "Compare " + n + " selected (2 to 10)"; }
          form.addEventListener("change", update);
          form.addEventListener("submit", function (event) { event.preventDefault(); window.location.href = "/compare?runs=" + chosen().join(","); });
          update();
        });
        """

    static func page(title: String, store: String, body: String) -> String {
        let nav = "<nav><a href=\"/\">Runs</a><a href=\"/trials\">Trials</a><span class=\"store\">\(esc(store))</span></nav>"
        return HTMLReport.page(title: title + " - AlphaLab", body: nav + body, extraStyles: styles, script: script)
    }

    static func error(_ error: WebError, store: String) -> WebResponse {
        let title = error.status == 404 ? "Not found" : "Bad request"
        return WebResponse(status: error.status, body: page(title: title, store: store,
                                                            body: "<h1>\(title)</h1><p class=\"error\">\(esc(error.message))</p><p><a href=\"/\">All runs</a></p>"))
    }

    /// A figure for a table cell: blank when unknown.
    static func pct(_ x: Double) -> String { x.isFinite ? Format.pct(x) : "" }
    static func rate(_ x: Double) -> String { x.isFinite ? Format.rate(x) : "" }
    static func num(_ x: Double) -> String { x.isFinite ? Format.num(x) : "" }
    /// A stored ISO timestamp to the minute, as `2026-12-06 11:20`.
    static func minute(_ timestamp: String) -> String {
        guard timestamp.count >= 16 else { return timestamp }
        return timestamp.prefix(10) + " " + timestamp.dropFirst(11).prefix(5)
    }
}
