"""floor: a lower bound on how often a model trained on a corpus must hallucinate arbitrary facts.

The Python API mirrors the command line (see :mod:`floor.api`)::

    import floor
    report = floor.run(["data/sample"])    # floor.report/1 as a dict
"""

__version__ = "0.1.0"

# The API functions `audit`, `estimate` and `extract` share their names with the modules floor.audit,
# floor.estimate and floor.extract. Loading the API here loads those modules first, so the names bound below (the
# functions) are the ones that stay; `import floor.estimate.x` still finds the package through sys.modules.
from .api import (audit, check_packs, estimate, extract, merge, packs, predict, read_profile, run,  # noqa: E402
                  sample_mentions, scan)
from .profile import Profile  # noqa: E402
from .report.document import Prediction, Report  # noqa: E402

__all__ = ["__version__", "Prediction", "Profile", "Report", "audit", "check_packs", "estimate", "extract", "merge",
           "packs", "predict", "read_profile", "run", "sample_mentions", "scan"]
