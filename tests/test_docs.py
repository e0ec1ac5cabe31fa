"""docs/derivation.md points at real lines of scratch_net/net.py."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_quoted_line_of_the_derivation_is_in_the_code():
    doc = (ROOT / "docs" / "derivation.md").read_text()
    code = (ROOT / "scratch_net" / "net.py").read_text()
    quoted = [q for q in re.findall(r"`net\.py: ([^`]+)`", doc) if q != "<line>"]
    assert len(quoted) >= 15
    missing = [q for q in quoted if q not in code]
    assert not missing, f"derivation.md quotes lines that are not in net.py: {missing}"


def test_the_tolerance_table_of_the_docs_is_the_codes():
    from impl_check.probes import tolerance_table

    doc = (ROOT / "docs" / "tolerances.md").read_text()
    table = doc.split("<!-- tolerance-table -->\n")[1].split("<!-- /tolerance-table -->")[0].strip()
    assert table == tolerance_table()
