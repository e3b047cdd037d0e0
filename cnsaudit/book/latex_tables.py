"""An HTML table (a pandas DataFrame or Styler as a notebook shows it) set as a LaTeX longtable.

The PDF edition would otherwise print such an output as its ``text/plain`` dump: fixed-width text
that wraps mid-row. The HTML form carries the same cells with their structure, so the LaTeX build
reads it back (``html.parser``, no third-party parser) and typesets it: header rows merged column
by column, spanned cells spread over the grid, column widths shared by content, text wrapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .latex_output import escape

# The first line of every table this module sets from a notebook's HTML output.
TYPESET_MARK = "% cnsaudit-typeset-output"

_LONG_TOKEN = 14


@dataclass
class _Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False


@dataclass
class _Table:
    head: list[list[_Cell]] = field(default_factory=list)
    body: list[list[_Cell]] = field(default_factory=list)


class _Reader(HTMLParser):
    """The first table of a piece of HTML: rows of cells, header rows apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.table: _Table | None = None
        self.depth = 0  # nested tables are read as text of their cell
        self.section = "body"
        self.row: list[_Cell] | None = None
        self.cell: _Cell | None = None
        self.skip = 0  # inside <style> or <script>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "table":
            self.depth += 1
            if self.depth == 1 and self.table is None:
                self.table = _Table()
        elif self.depth != 1 or self.table is None or self.done:
            return
        elif tag == "thead":
            self.section = "head"
        elif tag == "tbody":
            self.section = "body"
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = _Cell(colspan=_span(attrs.get("colspan")), rowspan=_span(attrs.get("rowspan")),
                              header=tag == "th")
        elif tag == "br" and self.cell is not None:
            self.cell.text += " "

    @property
    def done(self) -> bool:
        return getattr(self, "_done", False)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip = max(0, self.skip - 1)
        elif tag == "table":
            self.depth -= 1
            if self.depth == 0 and self.table is not None:
                self._done = True
        elif self.depth != 1 or self.table is None or self.done:
            return
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.cell.text = " ".join(self.cell.text.split())
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            (self.table.head if self.section == "head" else self.table.body).append(self.row)
            self.row = None
        elif tag == "thead":
            self.section = "body"

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.text += data


def _span(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _grid(rows: list[list[_Cell]], repeat: bool = False) -> list[list[str]]:
    """Rows of cells with spans as a rectangular grid of texts: a cell spanning columns stands in
    the first of them (in each of them with `repeat`: a header over several columns), one spanning
    rows in its first row (pandas prints a repeated index once)."""
    grid: list[list[str | None]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        line: list[str | None] = []
        cells = iter(row)
        c = 0
        while True:
            if (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            line.append(cell.text)
            line.extend((cell.text if repeat else "") for _ in range(cell.colspan - 1))
            for down in range(1, cell.rowspan):
                for across in range(cell.colspan):
                    pending[(r + down, c + across)] = ""
            c += cell.colspan
        while (r, c) in pending:  # spans reaching past the row's own cells
            line.append(pending.pop((r, c)))
            c += 1
        grid.append(line)
    width = max((len(line) for line in grid), default=0)
    return [[t or "" for t in line] + [""] * (width - len(line)) for line in grid]


def _header(head: list[list[str]], width: int) -> list[str]:
    """Several header rows (column levels, then the index names) merged into one per column."""
    merged = []
    for c in range(width):
        words: list[str] = []
        for line in head:
            text = line[c] if c < len(line) else ""
            if text and (not words or words[-1] != text):
                words.append(text)
        merged.append(" ".join(words))
    return merged


def _cell(text: str) -> str:
    """A cell's text escaped, with break points inside long tokens."""
    latex = "".join(breakable(escape(token)) for token in re.split(r"(\s+)", text))
    # an underscore joins words (a column's name): a place to break even in a short token
    return re.sub(r"\\_(?!\\allowbreak)", r"\\_\\allowbreak{}", latex)


# What a line holds, in characters of the table's font (Times at \footnotesize and \small on
# Sphinx's letter page), and the padding of a column (2 x 3 pt) in the same unit.
_LINE_CHARS = {"\\footnotesize": 112, "\\small": 98}
_PADDING_CHARS = 1.6


def _widths(columns: list[list[str]], size: str = "\\footnotesize") -> list[float]:
    """Each column's share of the line: first room for its longest word (so that no word runs
    out of its column), then what is left shared by how much longer its longest entry is."""
    line = _LINE_CHARS.get(size, 112)
    words = [max((len(w) for t in texts for w in t.split()), default=1) for texts in columns]
    need = [min(w, _LONG_TOKEN) * 1.1 + _PADDING_CHARS for w in words]
    want = [max(0.0, min(max((len(t) for t in texts), default=1), 45) - n) for texts, n in zip(columns, need)]
    spare = max(0.0, line - sum(need))
    total_want = sum(want) or 1.0
    widths = [n + spare * w / total_want for n, w in zip(need, want)]
    total = sum(widths)
    return [w / total for w in widths]


def column_spec(shares: list[float]) -> str:
    """Wrapped, left-aligned columns whose widths, with their padding, fill the line exactly."""
    # \hspace{0pt} lets TeX hyphenate a cell's first word, which it otherwise never does.
    return "".join(rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{\dimexpr {s:.3f}\linewidth-2\tabcolsep\relax}}"
                   for s in shares)


def latex_longtable(header: list[str], rows: list[list[str]]) -> str:
    """Texts as a booktabs longtable that repeats its header on each page."""
    columns = [[h] + [r[c] for r in rows] for c, h in enumerate(header)]
    size = "\\small" if len(header) <= 5 else "\\footnotesize"
    shares = _widths(columns, size)
    head = " & ".join(rf"\textbf{{{_cell(h)}}}" for h in header) + r" \\"
    body = "\n".join(" & ".join(_cell(t) for t in row) + r" \\" for row in rows)
    return "\n".join([
        TYPESET_MARK, "{" + size, r"\setlength{\tabcolsep}{3pt}", r"\setlength{\LTpre}{4pt}\setlength{\LTpost}{8pt}",
        rf"\begin{{longtable}}{{{column_spec(shares)}}}",
        r"\toprule", head, r"\midrule", r"\endfirsthead",
        r"\toprule", head, r"\midrule", r"\endhead",
        r"\bottomrule", r"\endlastfoot",
        body,
        r"\end{longtable}", "}", ""])


def html_table_to_latex(html: str) -> str | None:
    """The first table of `html` as a LaTeX longtable, or None when there is no table in it."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    table = reader.table
    if table is None or not (table.head or table.body):
        return None
    head, body = table.head, table.body
    if not head and body and all(c.header for c in body[0]):
        head, body = body[:1], body[1:]
    heads, rows = _grid(head, repeat=True), _grid(body)
    width = max((len(line) for line in heads + rows), default=0)
    if width == 0:
        return None
    header = _header(heads, width)
    rows = [r + [""] * (width - len(r)) for r in rows]
    # A column empty from top to bottom (pandas' blank corner over an unnamed index) is dropped.
    keep = [c for c in range(width) if header[c] or any(r[c] for r in rows)]
    return latex_longtable([header[c] for c in keep], [[r[c] for c in keep] for r in rows])


# --- tables written by the package's own LaTeX forms ------------------------------------------------

_LONGTABLE_SPEC = re.compile(r"\\begin\{longtable\}\{((?:p\{[\d.]+\\linewidth\})+)\}")
_P_COLUMN = re.compile(r"p\{([\d.]+)\\linewidth\}")
_BODY = re.compile(r"(\\endlastfoot\n)(.*?)(\\end\{longtable\})", re.S)
# A token made of plain characters only (an escaped underscore allowed): nothing LaTeX would read
# as a command or a group, so a break point can go anywhere in it.
_PLAIN_TOKEN = re.compile(r"(?:[^\s\\{}&]|\\_)+")
_BREAK_POINT = re.compile(r"(?<=[/.:=,;\-])(?=[^\s/])|(?<=\\_)|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def breakable(token: str) -> str:
    """A long plain token (an address, a file name, a bibliography key) with places to break."""
    if len(token) <= _LONG_TOKEN or not _PLAIN_TOKEN.fullmatch(token):
        return token
    return _BREAK_POINT.sub(r"\\allowbreak{}", token)


_COMMAND = re.compile(r"\\[A-Za-z]+\*?|[{}$^]")


def _plain_columns(table: str, count: int) -> list[list[str]]:
    """The texts of a longtable's rows, column by column, its commands left out (for widths)."""
    columns: list[list[str]] = [[] for _ in range(count)]
    for row in table.split("\\\\"):
        cells = row.split(" & ")
        if len(cells) != count:
            continue
        for c, cell in enumerate(cells):
            columns[c].append(" ".join(_COMMAND.sub(" ", cell).split()))
    return columns


def _fit_spec(m: re.Match, table: str) -> str:
    shares = [float(s) for s in _P_COLUMN.findall(m.group(1))]
    if len(shares) >= 3 and len(set(shares)) == 1:
        # Equal shares are no choice at all (cnsaudit.book.numbered's default): share by content.
        columns = _plain_columns(table, len(shares))
        if all(columns):
            shares = _widths(columns)
    total = sum(shares)
    # Widths given as shares of the line leave out each column's padding (2\tabcolsep), which is
    # what made every such table run past the margin; the shares are kept, the padding taken out.
    return rf"\begin{{longtable}}{{{column_spec([s / max(total, 1.0) for s in shares])}}}"


def fit_tables(latex: str) -> str:
    """Longtables of the package's LaTeX forms made to fit the line: columns of the stated shares
    with their padding inside the line, ragged right with hyphenation from the first word, narrower
    padding for many columns, and break points in long tokens."""
    if r"\begin{longtable}" not in latex:
        return latex

    def spec(m: re.Match) -> str:
        fitted = _fit_spec(m, latex[m.end():latex.find(r"\end{longtable}", m.end())])
        if len(_P_COLUMN.findall(m.group(1))) >= 6:
            fitted = r"\setlength{\tabcolsep}{3pt}" + "\n" + fitted
        return fitted

    def body(m: re.Match) -> str:
        rows = re.sub(r"[^\s]+", lambda t: breakable(t.group(0)), m.group(2))
        return m.group(1) + rows + m.group(3)

    return _BODY.sub(body, _LONGTABLE_SPEC.sub(spec, latex))
