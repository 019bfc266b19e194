"""zhengce (政策): a computable policy library built from official Chinese government documents."""

__version__ = "0.1.0"
