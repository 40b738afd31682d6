"""floor: a lower bound on how often a model trained on a corpus must hallucinate arbitrary facts.

The Python API mirrors the command line (see :mod:`floor.api`)::

    import floor
    report = floor.run(["data/sample"])    # floor.report/1 as a dict
"""

__version__ = "0.1.0"

_API = ("estimate", "extract", "read_profile", "run", "scan")
__all__ = ["__version__", "Profile", *_API]


def __getattr__(name):
    # Imported on first use, so that `import floor.profile` (and worker start-up) does not load every stage.
    if name in _API:
        from . import api
        return getattr(api, name)
    if name == "Profile":
        from .profile import Profile
        return Profile
    raise AttributeError(f"module 'floor' has no attribute {name!r}")
