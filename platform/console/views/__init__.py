"""The engineers' console: thin views over tenants' services and selectors.

tenants.py       the tenant list, a new prospect, the tenant detail page
actions.py       domains, modules, lifecycle moves, exports, support access
provisioning.py  starting a run, its live progress, retry and cancel
fleet.py         every schema's migration state
audit.py         the engineers' audit log and its CSV export
"""
