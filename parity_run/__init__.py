"""The parts of ``compare.py``'s jobs that are not the command line.

One module per thing a run is made of, so that each can be read and tested
alone:

- :mod:`.parity_check`: ``compare.py check``, one random problem, both nets;
- :mod:`.train_run`: ``compare.py train``, from the settings to the run folder;
- :mod:`.datasets`: the data sets (the bundled ones, ``.npz`` files), checked
  and split;
- :mod:`.splits`: the stratified splits, scikit-learn's ``train_test_split``
  in NumPy;
- :mod:`.dataset_cache`: parsed bundled data sets kept as ``.npz`` files in the
  user's cache folder;
- :mod:`.torch_setup`: threads, deterministic algorithms, TF32;
- :mod:`.run_report`: the run report (``report.json``): building and writing;
- :mod:`.figures`: ``curves.png`` and ``divergence.png``;
- :mod:`.atomic`: writing a file through a temporary file and a rename;
- :mod:`.text_table`: the tables the command line prints.

Dependencies run one way: ``compare.py`` (and ``impl_check``, for its tables) imports ``parity_run``, which imports
``scratch_net`` and ``torch_ref``; nothing here imports ``compare``. The heavy
libraries (torch, matplotlib) are imported inside the functions that need
them, so that importing a module costs what it uses. Nothing here prints:
what a user should hear of comes back as a value or through a callback.
"""
