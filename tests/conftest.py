from hypothesis import settings

# Derandomized so that CI is deterministic: the same examples every run.
settings.register_profile("default", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("default")
