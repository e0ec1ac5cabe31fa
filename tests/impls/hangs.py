"""Cannot run: loops forever on import (a training run at module level, say)."""

while True:
    pass
