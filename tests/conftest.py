from hypothesis import settings

# Derandomized so that CI is deterministic: the same examples every run.
settings.register_profile("default", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("default")

# One thread for torch and for NumPy's BLAS, as compare.py runs them: on two cores the two
# busy-waiting pools fight, and the lockstep tests get 10x slower.
import torch  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

torch.set_num_threads(1)
threadpool_limits(1)
