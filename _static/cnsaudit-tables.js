// Result tables a reader can read at any width. pandas writes its tables without a label per cell,
// so each body cell gets its column's heading as `data-label` (every header row joined, spans
// followed). A table that does not fit the width it is given becomes a stack of labelled cards
// (class `cnsaudit-cards`, _static/cnsaudit.css): nothing scrolls sideways, at 390 px or 1366 px.
(() => {
  const grid = (rows) => {
    // Each row's cells placed by column, following colspan and rowspan.
    const out = [];
    rows.forEach((tr, r) => {
      out[r] = out[r] || [];
      let c = 0;
      for (const cell of tr.cells) {
        while (out[r][c]) c += 1;
        for (let dr = 0; dr < (cell.rowSpan || 1); dr += 1) {
          out[r + dr] = out[r + dr] || [];
          for (let dc = 0; dc < (cell.colSpan || 1); dc += 1) out[r + dr][c + dc] = cell;
        }
        c += cell.colSpan || 1;
      }
    });
    return out;
  };

  const label = (table) => {
    if (!table.tHead || !table.tBodies.length) return;
    const head = grid([...table.tHead.rows]);
    const width = Math.max(...head.map((row) => row.length));
    const names = [];
    for (let c = 0; c < width; c += 1) {
      const parts = [];
      for (const row of head) {
        const text = row[c] ? row[c].textContent.trim() : "";
        if (text && !parts.includes(text)) parts.push(text);
      }
      names.push(parts.join(" · "));
    }
    for (const body of table.tBodies) {
      const cells = grid([...body.rows]);
      cells.forEach((row) => row.forEach((cell, c) => {
        if (cell && !cell.hasAttribute("data-label") && names[c]) cell.setAttribute("data-label", names[c]);
      }));
    }
  };

  const fit = (table) => {
    // Judged in table form: the card form always fits.
    table.classList.remove("cnsaudit-cards");
    const box = table.parentElement;
    if (table.getBoundingClientRect().width > box.clientWidth + 1) table.classList.add("cnsaudit-cards");
  };

  const tables = () => [...document.querySelectorAll(".bd-article table.dataframe:not(.audit-searches):not(.audit-worklist)")];
  document.addEventListener("DOMContentLoaded", () => {
    tables().forEach(label);
    tables().forEach(fit);
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(() => tables().forEach(fit), 150);
    });
  });
})();
