"""CMA Career Explorer: an offline study and career guide for Certified Medical Assistants."""

__version__ = "0.1.0"
APP_NAME = "CMA Career Explorer"
