"""Print mutmut's score for each part of the code and fail below a threshold: python tools/mutation_score.py [MIN_PERCENT].

Reads mutants/mutmut-results.txt, the listing of every mutant that `mutmut results --all true` prints
(``    impl_check.engine.x_level__mutmut_3: killed``), and scores the model code (scratch_net) and the
checker (impl_check) apart: each must reach the minimum. A mutant that makes the tests time out counts
as killed: the suite noticed it.  Anything else that is not a kill (survived, no tests, suspicious,
segfault, not checked) counts against the score.
"""

import sys
from pathlib import Path

PARTS = {"scratch_net": "model code (scratch_net)", "impl_check": "checker (impl_check engine and catalogue)"}
"""The top-level package of a mutant's name -> the part it is scored in."""
KILLED = {"killed", "timeout", "caught by type check"}


def tally(lines: list[str]) -> dict[str, tuple[int, int]]:
    """{package: (killed, total)} from ``name: status`` lines."""
    counts: dict[str, list[int]] = {}
    for line in lines:
        name, sep, status = line.strip().rpartition(": ")
        if not sep:
            continue
        package = name.split(".")[0]
        if package not in PARTS:
            raise SystemExit(f"a mutant outside the scored parts ({', '.join(PARTS)}): {name}")
        count = counts.setdefault(package, [0, 0])
        count[0] += status in KILLED
        count[1] += 1
    return {package: (killed, total) for package, (killed, total) in counts.items()}


def main(argv: list[str]) -> int:
    minimum = float(argv[1]) if len(argv) > 1 else 90.0
    counts = tally(Path("mutants/mutmut-results.txt").read_text().splitlines())
    ok = True
    for package, part in PARTS.items():
        killed, total = counts.get(package, (0, 0))
        score = 100.0 * killed / total if total else 0.0
        print(f"mutation score, {part}: {killed}/{total} killed ({score:.1f}%, required {minimum:g}%)")
        ok = ok and total > 0 and score >= minimum
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
