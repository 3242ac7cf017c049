"""jianguan (监管): the working platform of a local Administration for Market Regulation."""

__version__ = "0.1.0"
