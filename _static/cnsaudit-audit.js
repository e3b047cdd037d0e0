// The claims audit page: a filter by guide, verdict and words, and a citation for each claim.
// Runs only where the page has its index (table.audit-index) and claim tables (data-cite).
document.addEventListener("DOMContentLoaded", () => {
  const index = document.querySelector("table.audit-index");
  const rows = [...document.querySelectorAll('table.claim-table[data-cite] > tbody > tr[id^="claim-"]')];
  if (!index || !rows.length) return;

  // The worklist was once a section of this page: an address to one of its rows, cited then, now
  // opens that row on the worklist's own page.
  if (/^#worklist-[\w-]+$/.test(location.hash) && !document.getElementById(location.hash.slice(1))) {
    location.replace("worklist.html" + location.hash);
    return;
  }

  // --- filter ---------------------------------------------------------------------------------
  const guides = [...new Set(rows.map((tr) => tr.closest(".audit-group").dataset.guide))];
  const verdicts = [...new Set(rows.map((tr) => tr.dataset.verdict))];
  const form = document.createElement("form");
  form.className = "audit-filter";
  form.setAttribute("role", "search");
  const choice = (name, all, values) => {
    const label = document.createElement("label");
    label.textContent = name + " ";
    const select = document.createElement("select");
    select.name = name;
    for (const [value, text] of [["", all], ...values.map((v) => [v, v])]) select.add(new Option(text, value));
    label.append(select);
    return label;
  };
  const words = document.createElement("label");
  words.textContent = "words ";
  const input = document.createElement("input");
  input.type = "search";
  input.name = "words";
  input.placeholder = "an id, a drug, a figure";
  words.append(input);
  const shown = document.createElement("output");
  shown.setAttribute("aria-live", "polite");
  form.append(choice("guide", "every guide", guides), choice("verdict", "every verdict", verdicts), words, shown);
  form.addEventListener("submit", (event) => event.preventDefault());
  index.closest(".cnsaudit-table, div").before(form);

  const apply = () => {
    const guide = form.guide.value, verdict = form.verdict.value;
    const text = input.value.trim().toLowerCase();
    let count = 0;
    for (const tr of rows) {
      const keep = (!guide || tr.closest(".audit-group").dataset.guide === guide)
        && (!verdict || tr.dataset.verdict === verdict)
        && (!text || tr.textContent.toLowerCase().includes(text));
      tr.hidden = !keep;
      const cite = tr.nextElementSibling;
      if (cite && cite.classList.contains("claim-cite-row")) cite.hidden = !keep;
      if (keep) count += 1;
    }
    for (const group of document.querySelectorAll(".audit-group")) {
      group.hidden = !group.querySelector('tr[id^="claim-"]:not([hidden])');
    }
    shown.textContent = `${count} of ${rows.length} claims shown`;
  };
  form.addEventListener("input", apply);
  apply();

  // --- citation per claim -----------------------------------------------------------------------
  const template = document.querySelector(".cnsaudit-claim-citation pre");
  if (!template) return;
  const PLACEHOLDER = "CLAIM-ID";  // cnsaudit.citation.CLAIM_PLACEHOLDER
  const copy = async (text, button) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {  // no clipboard API (a page opened from disk): select the text to copy by hand
      const range = document.createRange();
      range.selectNodeContents(button.previousElementSibling);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      document.execCommand("copy");
    }
    button.textContent = "copied";
    setTimeout(() => { button.textContent = "copy"; }, 2000);
  };
  for (const tr of rows) {
    const id = tr.id.slice("claim-".length);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "claim-cite-button";
    button.textContent = "cite";
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => {
      let row = tr.nextElementSibling;
      if (!row || !row.classList.contains("claim-cite-row")) {
        row = document.createElement("tr");
        row.className = "claim-cite-row";
        const cell = row.insertCell();
        cell.colSpan = tr.cells.length;
        const pre = document.createElement("pre");
        pre.textContent = template.textContent.split(PLACEHOLDER).join(id);
        const copyButton = document.createElement("button");
        copyButton.type = "button";
        copyButton.className = "claim-copy-button";
        copyButton.textContent = "copy";
        copyButton.addEventListener("click", () => copy(pre.textContent, copyButton));
        cell.append(pre, copyButton);
        tr.after(row);
        row.hidden = true;
      }
      row.hidden = !row.hidden;
      button.setAttribute("aria-expanded", String(!row.hidden));
    });
    tr.cells[0].append(" ", button);
  }
});
