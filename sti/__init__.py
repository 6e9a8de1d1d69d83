"""STI: an open-source science, technology and innovation information platform."""

__version__ = "0.1.0"
