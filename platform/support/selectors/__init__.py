"""The support desk's reads.

tickets.py    what a regency's user may see; the engineers' queue
knowledge.py  searching the knowledge base
reports.py    monthly support hours and service levels per regency
plans.py      plans with their targets, regencies' plans, holidays by year
"""
