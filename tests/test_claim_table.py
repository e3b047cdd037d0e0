"""The phone cards of a claim table label each cell by its column's position in the style sheet."""

import re
from pathlib import Path

from cnsaudit.book import claim_table

CSS = Path(__file__).resolve().parents[1] / "_static" / "cnsaudit.css"


def test_the_card_labels_name_the_columns_in_order():
    labels = dict(re.findall(r'\.claim-table td:nth-child\((\d)\)::before \{ content: "([^"]+)"; \}', CSS.read_text()))
    expected = {str(i): name for i, name in enumerate(claim_table.COLUMNS, start=1)}
    assert labels == expected, (
        f"_static/cnsaudit.css labels the claim cards {labels}; claim_table.COLUMNS is {expected}: "
        "give each column its own td:nth-child rule, in the order of COLUMNS")
