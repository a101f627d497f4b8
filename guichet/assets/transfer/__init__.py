"""Assets in and out of the desk in bulk: CSV import (a dry run, then all lines or none),
CSV and XLSX export of a filtered list, and printable sheets of QR labels."""
