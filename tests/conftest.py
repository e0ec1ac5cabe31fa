import pytest
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


@pytest.fixture(autouse=True, scope="session")
def cache_folder_in_tmp(tmp_path_factory):
    """The data set cache of every test (and of the processes they start) in a folder of the session's.

    A test never writes to the real home; tests that need an empty cache point XDG_CACHE_HOME elsewhere.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield
