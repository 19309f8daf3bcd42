# Patients, relatives and emergency accesses are deliberately not in the Django admin: every read
# and write of patient data must pass the access check and the audit log, which the audited pages
# in patients.views do and the admin does not.
