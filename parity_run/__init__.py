"""The parts of ``compare.py``'s jobs that are not the command line.

- :mod:`.datasets`: the data sets (the bundled ones, ``.npz`` files), checked
  and split;
- :mod:`.splits`: the stratified splits, scikit-learn's ``train_test_split``
  in NumPy;
- :mod:`.dataset_cache`: parsed bundled data sets kept as ``.npz`` files in the
  user's cache folder;
- :mod:`.atomic`: writing a file through a temporary file and a rename.

Dependencies run one way: ``compare.py`` imports ``parity_run``, which imports
``scratch_net``; nothing here imports ``compare``. Nothing here prints: what a
user should hear of comes back as a value or through a callback.
"""
