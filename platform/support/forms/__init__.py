"""The support desk's forms: common.py (files, modules), regency.py, console.py,
plans.py (plans, regencies' plans, holidays)."""
