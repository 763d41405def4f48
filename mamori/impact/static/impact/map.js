// The flow map (impact/map.html): cytoscape.js draws the nodes and edges of the data endpoint.
// A click shows the node's detail beside the map; PNG comes from cytoscape, SVG is written here from the
// drawn positions (cytoscape's own SVG extension is GPL, which Mamori does not ship).
(function () {
  const box = document.getElementById("flowmap");
  if (!box || !window.cytoscape) return;
  const detail = document.getElementById("map-detail");
  const COLORS = { program: "#0017c1", contractor: "#b35900", body: "#197a4b", partner: "#6b2fb3" };
  const SHAPES = { program: "ellipse", contractor: "round-rectangle", body: "diamond", partner: "hexagon" };

  function text(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function show(node) {
    const d = node.data();
    detail.replaceChildren();
    detail.append(text("h3", d.label));
    detail.append(text("p", d.typeLabel + (d.code ? "（" + d.code + "）" : "")));
    const facts = [];
    if (d.type === "program") {
      facts.push("本人の数：" + (d.persons == null ? "不明" : d.persons.toLocaleString("ja-JP") + "人"));
      if (d.sensitive) facts.push("要配慮個人情報を含む");
      if (d.my_number) facts.push("個人番号を含む");
    }
    const list = document.createElement("ul");
    facts.forEach((f) => list.append(text("li", f)));
    node.connectedEdges().forEach((e) => {
      const other = e.source().id() === node.id() ? e.target() : e.source();
      const arrow = e.source().id() === node.id() ? " → " : " ← ";
      list.append(text("li", e.data("label") + arrow + other.data("label")));
    });
    detail.append(list);
    if (d.type === "program") {
      const a = text("a", "事務事業の画面を開く");
      a.href = "/register/programs/" + encodeURIComponent(d.code) + "/";
      detail.append(a);
    }
  }

  function download(name, url) {
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
  }

  function escapeXml(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  }

  function svgOf(cy) {
    const bb = cy.elements().boundingBox();
    const pad = 40;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${bb.x1 - pad} ${bb.y1 - pad} ${bb.w + 2 * pad} ${bb.h + 2 * pad}" font-family="Noto Sans JP, sans-serif" font-size="10">`,
      `<rect x="${bb.x1 - pad}" y="${bb.y1 - pad}" width="${bb.w + 2 * pad}" height="${bb.h + 2 * pad}" fill="#fff"/>`];
    cy.edges().forEach((e) => {
      const s = e.source().position(), t = e.target().position();
      parts.push(`<line x1="${s.x}" y1="${s.y}" x2="${t.x}" y2="${t.y}" stroke="#767676" stroke-width="1.5"><title>${escapeXml(e.data("label"))}</title></line>`);
    });
    cy.nodes().forEach((n) => {
      const p = n.position(), d = n.data();
      const stroke = d.highlight ? ' stroke="#d00" stroke-width="4"' : "";
      parts.push(`<circle cx="${p.x}" cy="${p.y}" r="12" fill="${COLORS[d.type]}"${stroke}/>`);
      parts.push(`<text x="${p.x}" y="${p.y + 26}" text-anchor="middle">${escapeXml(d.label)}</text>`);
    });
    parts.push("</svg>");
    return parts.join("\n");
  }

  fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((data) => {
      const elements = data.nodes.map((n) => ({ data: Object.assign({ typeLabel: data.types[n.type] }, n), classes: n.highlight ? "highlight" : "" }))
        .concat(data.edges.map((e) => ({ data: e })));
      const big = data.nodes.length > 400;
      const cy = window.cytoscape({
        container: box,
        elements,
        wheelSensitivity: 0.3,
        layout: big ? { name: "concentric", concentric: (n) => n.degree(), levelWidth: () => 4, animate: false }
          : { name: "cose", animate: false, nodeRepulsion: 8000, idealEdgeLength: 80 },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 4,
            "background-color": (n) => COLORS[n.data("type")], shape: (n) => SHAPES[n.data("type")], width: 18, height: 18,
            "text-wrap": "ellipsis", "text-max-width": 120 } },
          { selector: "node.highlight", style: { "border-width": 4, "border-color": "#d00", width: 26, height: 26 } },
          { selector: "edge", style: { width: 1.5, "line-color": "#949494", "target-arrow-color": "#949494", "target-arrow-shape": "triangle",
            "curve-style": "bezier", label: "data(label)", "font-size": 8, "text-rotation": "autorotate", color: "#555" } },
          { selector: ":selected", style: { "border-width": 4, "border-color": "#000" } },
        ],
      });
      cy.on("tap", "node", (ev) => show(ev.target));
      box.dataset.ready = String(data.nodes.length);
      document.getElementById("map-png").addEventListener("click", () => download("流れの地図.png", cy.png({ full: true, scale: 2, bg: "#ffffff" })));
      document.getElementById("map-svg").addEventListener("click", () => {
        const blob = new Blob([svgOf(cy)], { type: "image/svg+xml" });
        download("流れの地図.svg", URL.createObjectURL(blob));
      });
      window.mamoriFlowMap = cy;
    })
    .catch(() => { detail.replaceChildren(text("p", "地図を読み込めませんでした。一覧で内容を確かめてください。", "errorlist")); });
})();
