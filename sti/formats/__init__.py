"""Local number and date formats (settings.FORMAT_MODULE_PATH), where Django's own lack
something the pages need."""
