"""Every write of the food app: grading runs and overrides (grading.py), the yearly plan (plan.py)."""
