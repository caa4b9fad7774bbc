"""Masking: which columns of a built project are protected and how, and whether it is applied.

The rules themselves live in governance.policy.masking (implemented once); the dbt macros apply
the resolved policy. `protected` reports what the warehouse actually does.
"""
