"""Print mutmut's score and fail below a threshold: python tools/mutation_score.py [MIN_PERCENT].

Reads mutants/mutmut-cicd-stats.json (written by `mutmut export-cicd-stats`). A mutant that makes
the tests time out counts as killed: the suite noticed it.
"""

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    minimum = float(argv[1]) if len(argv) > 1 else 90.0
    stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
    killed, total = stats["killed"] + stats["timeout"], stats["total"]
    score = 100.0 * killed / total if total else 0.0
    print(f"mutation score: {killed}/{total} killed ({score:.1f}%, required {minimum:g}%)")
    return 0 if total and score >= minimum else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
