"""Everything that takes personal data out of the portal: PDF, CSV, Excel, FHIR, the audit log as CSV.

Every download is audited by the view that serves it (one row: what, how many).
"""
