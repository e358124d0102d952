"""Scripts behind make html-check, lighthouse and screenshots; run as modules
(``python -m tools.screenshots``) so they share ``tools.chromium``."""
