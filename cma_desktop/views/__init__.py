"""Everything that imports Qt widgets: the main window, its tabs, dialogs and Qt models."""
